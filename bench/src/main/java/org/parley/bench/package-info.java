// SPDX-License-Identifier: AGPL-3.0-only
/** Parley's load generator ({@code parley bench}) and its JMH benchmarks. */
package org.parley.bench;
