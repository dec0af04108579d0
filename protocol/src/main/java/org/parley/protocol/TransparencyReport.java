// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/**
 * {@code GET /v1/transparency/report?period=2026-H2}: legal requests received in the period (by
 * received date, UTC) and their outcomes so far. {@code band} is 0 for exact counts, else the width of
 * the bands whose lower bounds the counts are.
 */
public record TransparencyReport(String period, String from, String until, int band, List<TransparencyCounts> types) {}
