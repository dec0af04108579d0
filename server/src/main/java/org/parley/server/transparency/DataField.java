// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

/** One stored field of a data category, named as an operator or user would understand it. */
public record DataField(String name, String description) {}
