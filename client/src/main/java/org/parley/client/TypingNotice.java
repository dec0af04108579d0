// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/** A contact started or stopped typing to us; shown once, never kept in the history. */
public record TypingNotice(String handle, String accountId, boolean started) implements ReceiveEvent {}
