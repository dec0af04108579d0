// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.server.HostTools;
import org.parley.server.admin.HostTokens;
import org.parley.server.audit.AuditLog;
import org.parley.server.config.ConfigException;
import org.parley.server.storage.StorageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley admin token create|list|revoke}: operator tokens, run on the server host. These open
 * the server's database directly (no token needed; whoever can read the data directory is the
 * operator) and audit every change as {@code host:<os user>}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Manage operator tokens (run on the server host; opens the server's database directly).",
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.ListTokens.class, AdminTokenCommand.Revoke.class})
final class AdminTokenCommand {

    /** Shared plumbing: open the database, turn failures into one line and exit code 1. */
    abstract static class HostCommand implements Callable<Integer> {
        @Mixin
        HostOptions host;

        @Option(names = "--json", description = "Print one JSON document (docs/cli.md); errors as JSON on standard error.")
        boolean json;

        @Spec
        CommandSpec spec;

        abstract int run(HostTools tools) throws IOException;

        @Override
        public final Integer call() {
            try (HostTools tools = host.open()) {
                return run(tools);
            } catch (IllegalArgumentException | ConfigException | StorageException e) {
                return fail(e.getMessage());
            } catch (IOException e) {
                return fail(e.getMessage());
            }
        }

        int fail(String message) {
            PrintWriter err = spec.commandLine().getErr();
            if (json) {
                JsonOutput.printError(err, "local_error", message, Failures.LOCAL_ERROR);
            } else {
                err.println(spec.qualifiedName() + ": " + message);
                err.flush();
            }
            return Failures.LOCAL_ERROR;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** A note for the person at the terminal; with --json it stays off standard error's error document. */
        void note(String message) {
            if (!json) {
                spec.commandLine().getErr().println(message);
                spec.commandLine().getErr().flush();
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue a token. It is printed once (or written to --out) and never stored; only its SHA-256 is.")
    static final class Create extends HostCommand {
        @Option(names = "--name", required = true, paramLabel = "N", description = "A unique name (a-z, 0-9, . _ -): the actor in the audit log.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "R", description = "admin, legal-reviewer or auditor.")
        String role;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the token to this new file (mode 0600) instead of standard output.")
        Path outFile;

        @Override
        int run(HostTools tools) throws IOException {
            if (outFile != null) {
                // The file first: a token created but not saved is one nobody has, yet it stays valid.
                try {
                    Files.createFile(outFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException e) {
                    return fail(outFile + " already exists; choose a new file so no other token is overwritten");
                } catch (IOException e) {
                    return fail("cannot create " + outFile + ": " + IoErrors.reason(outFile, e));
                }
            }
            String token;
            try {
                token = tools.tokens().create(AuditLog.hostActor(), name, role);
            } catch (RuntimeException e) {
                if (outFile != null) {
                    Files.deleteIfExists(outFile);
                }
                throw e;
            }
            if (outFile != null) {
                try {
                    Files.writeString(outFile, token + "\n", StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    return fail("the token '" + name + "' was created but could not be written to " + outFile + " ("
                            + IoErrors.reason(outFile, e) + "); revoke it with parley admin token revoke " + name);
                }
                if (json) {
                    JsonOutput.print(out(), JsonOutput.fields("name", name, "role", role, "file", outFile.toString()));
                }
                note("Token '" + name + "' (" + role + ") written to " + outFile + ".");
            } else {
                if (json) {
                    JsonOutput.print(out(), JsonOutput.fields("name", name, "role", role, "token", token));
                } else {
                    out().println(token);
                    out().flush();
                }
                note("Token '" + name + "' (" + role + ") created. It is shown only"
                        + " this once; send it as 'Authorization: Bearer <token>'.");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every token ever issued (never the tokens themselves).")
    static final class ListTokens extends HostCommand {
        @Override
        int run(HostTools tools) {
            List<HostTokens.Listed> tokens = tools.tokens().list();
            PrintWriter out = out();
            if (json) {
                JsonOutput.print(out, tokens.stream().map(t -> JsonOutput.fields("name", t.name(), "role", t.role(),
                        "createdAt", t.createdAt().toString(),
                        "revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString())).toList());
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "ROLE", "CREATED", "REVOKED"});
            for (HostTokens.Listed t : tokens) {
                rows.add(new String[] {t.name(), t.role(), t.createdAt().toString(),
                    t.revokedAt() == null ? "-" : t.revokedAt().toString()});
            }
            Tables.print(out, rows);
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token; the server refuses it from the next request on.")
    static final class Revoke extends HostCommand {
        @Parameters(paramLabel = "NAME", description = "The token's name.")
        String name;

        @Override
        int run(HostTools tools) {
            tools.tokens().revoke(AuditLog.hostActor(), name);
            if (json) {
                JsonOutput.print(out(), JsonOutput.fields("name", name, "revoked", true));
            } else {
                out().println("Token '" + name + "' revoked.");
                out().flush();
            }
            return 0;
        }
    }
}
