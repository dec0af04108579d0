// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import picocli.CommandLine.Command;

/**
 * Operator commands. {@code lookup-log} and {@code legal} talk to a running server with an operator token
 * ({@code --token-file}); {@code token} and {@code audit} run on the server host and open its
 * database directly.
 */
@Command(name = "admin",
        description = "Operator commands: lookup-log and legal (over HTTP with a token); token and audit (on the server host).",
        mixinStandardHelpOptions = true,
        subcommands = {AdminLookupLogCommand.class, AdminLegalCommand.class, AdminTokenCommand.class, AdminAuditCommand.class})
final class AdminCommand {}
