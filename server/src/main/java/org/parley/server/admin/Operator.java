// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

/** The operator a request was authenticated as: the token's name and role (never the token). */
public record Operator(String name, OperatorRole role) {}
