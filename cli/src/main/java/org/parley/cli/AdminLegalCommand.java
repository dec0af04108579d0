// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.protocol.Json;
import org.parley.protocol.LegalIntakeRequest;
import org.parley.protocol.LegalReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley admin legal ...}: the legal request register over the operator API (docs/legal.md).
 * Exit codes: 0 ok, 1 local error, 2 the server refused or could not be reached, 4 a package does
 * not verify.
 */
@Command(name = "legal", mixinStandardHelpOptions = true,
        description = "The legal request register: intake, approve/reject, holds, production, verification.",
        subcommands = {
            AdminLegalCommand.Intake.class, AdminLegalCommand.ListRequests.class, AdminLegalCommand.Show.class,
            AdminLegalCommand.Approve.class, AdminLegalCommand.Reject.class, AdminLegalCommand.Review.class,
            AdminLegalCommand.Hold.class, AdminLegalCommand.Extend.class, AdminLegalCommand.Release.class,
            AdminLegalCommand.Produce.class, AdminLegalCommand.Download.class, AdminLegalVerifyCommand.class})
final class AdminLegalCommand {
    static final int PACKAGE_INVALID = 4;
    static final String BASE = "/v1/admin/legal/requests";

    /** A command that talks to the server with an operator token. */
    abstract static class Call implements Callable<Integer> {
        @Option(names = "--server", required = true, paramLabel = "URL", description = "Server base URL, e.g. http://127.0.0.1:8080.")
        String server;

        @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "A file holding your operator token.")
        Path tokenFile;

        @Option(names = "--json", description = "Print the server's JSON: one document (docs/cli.md).")
        boolean json;

        @Spec
        CommandSpec spec;

        abstract int run(OperatorHttp http) throws OperatorHttp.Failure;

        @Override
        public final Integer call() {
            try {
                return run(OperatorHttp.open(server, tokenFile));
            } catch (OperatorHttp.Failure f) {
                return fail(spec, json, f);
            }
        }

        /** Prints one request: the JSON with --json, else a summary. */
        void print(JsonNode request) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, request);
            } else {
                out.println(summary(request));
                out.flush();
            }
        }
    }

    /** A command about one request id. */
    abstract static class OnRequest extends Call {
        @Parameters(index = "0", paramLabel = "ID", description = "The request id.")
        long id;

        String path(String suffix) {
            return BASE + "/" + id + suffix;
        }
    }

    /** A register action: one POST to {@code /v1/admin/legal/requests/{id}<suffix>}, the updated request printed. */
    abstract static class Action extends OnRequest {
        private final String suffix;

        Action(String suffix) {
            this.suffix = suffix;
        }

        /** The request body; none by default. */
        Object body() {
            return null;
        }

        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            print(http.json("POST", path(suffix), body()));
            return 0;
        }
    }

    @Command(name = "intake", mixinStandardHelpOptions = true, description = "Register a request as received.")
    static final class Intake extends Call {
        @Option(names = "--type", required = true, description = "preservation, subpoena, court-order, search-warrant, pen-register or emergency.")
        String type;

        @Option(names = "--authority", required = true, description = "Who issued it.")
        String authority;

        @Option(names = "--reference", required = true, description = "Its reference or case number.")
        String reference;

        @Option(names = "--received", required = true, paramLabel = "DATE", description = "Date received (2026-11-27).")
        String received;

        @Option(names = "--handle", required = true, paramLabel = "H", description = "A target handle (repeat for several).")
        List<String> handles;

        @Option(names = "--from", required = true, paramLabel = "DATE", description = "First day of the date range.")
        String from;

        @Option(names = "--until", required = true, paramLabel = "DATE", description = "Last day of the date range (inclusive).")
        String until;

        @Option(names = "--category", required = true, paramLabel = "C",
                description = "subscriber, lookup-log-by-target or lookup-log-of-target (repeat for several).")
        List<String> categories;

        @Option(names = "--non-disclosure-until", paramLabel = "DATE", description = "The affected users may not be told before the day after this.")
        String nonDisclosureUntil;

        @Option(names = "--document", paramLabel = "FILE", description = "A document that came with the request; its SHA-256 is registered (repeatable).")
        List<Path> documents = new ArrayList<>();

        @Option(names = "--document-sha256", paramLabel = "HEX", description = "The SHA-256 of a document kept elsewhere (repeatable).")
        List<String> documentHashes = new ArrayList<>();

        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            List<String> hashes = new ArrayList<>(documentHashes);
            for (Path doc : documents) {
                try {
                    hashes.add(DisclosureVerifier.sha256(Files.readAllBytes(doc)));
                } catch (IOException e) {
                    throw new OperatorHttp.Failure(Failures.LOCAL_ERROR, "cannot read document " + doc + ": " + IoErrors.reason(doc, e));
                }
            }
            print(http.json("POST", BASE, new LegalIntakeRequest(type, authority, reference, received, handles, from,
                    until, categories, nonDisclosureUntil, hashes)));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the register, newest first.")
    static final class ListRequests extends Call {
        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            JsonNode list = http.json("GET", BASE, null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, list);
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "TYPE", "RECEIVED", "STATUS", "OUTCOME", "REFERENCE"});
                for (JsonNode r : list.path("requests")) {
                    rows.add(new String[] {r.path("id").asText(), r.path("type").asText(), r.path("received").asText(),
                        r.path("status").asText() + (r.path("reviewRequired").asBoolean() ? " (review required)" : ""),
                        r.path("outcome").asText("-"), r.path("reference").asText()});
                }
                Tables.print(out, rows);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one request with its holds.")
    static final class Show extends OnRequest {
        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            JsonNode r = http.json("GET", path(""), null);
            if (json) {
                print(r);
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                out.println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a request (legal-reviewer; not the operator who registered it).")
    static final class Approve extends Action {
        Approve() {
            super("/approve");
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a request with a reason (legal-reviewer).")
    static final class Reject extends Action {
        Reject() {
            super("/reject");
        }

        @Option(names = "--reason", required = true, description = "Why; recorded in the register and the audit log.")
        String reason;

        @Override
        Object body() {
            return new LegalReason(reason);
        }
    }

    @Command(name = "review", mixinStandardHelpOptions = true,
            description = "Record the legal process that followed an emergency request (legal-reviewer).")
    static final class Review extends Action {
        Review() {
            super("/review");
        }

        @Option(names = "--note", required = true, description = "What was checked, e.g. the court order that followed.")
        String note;

        @Override
        Object body() {
            return new LegalReason(note);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Place a preservation hold on the request's scope.")
    static final class Hold extends Action {
        Hold() {
            super("/hold");
        }
    }

    @Command(name = "extend", mixinStandardHelpOptions = true, description = "Extend the request's hold (once).")
    static final class Extend extends Action {
        Extend() {
            super("/hold/extend");
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release the request's hold.")
    static final class Release extends Action {
        Release() {
            super("/hold/release");
        }

        @Option(names = "--reason", required = true, description = "Why the data need no longer be preserved.")
        String reason;

        @Override
        Object body() {
            return new LegalReason(reason);
        }
    }

    @Command(name = "produce", mixinStandardHelpOptions = true,
            description = "Produce the disclosure package of an approved request and write it to --out.")
    static final class Produce extends OnRequest {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the zip (a new file, mode 0600).")
        Path out;

        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            JsonNode r = http.json("POST", path("/produce"), null);
            writeNew(out, http.bytes(path("/package")));
            if (json) {
                JsonOutput.print(spec.commandLine().getOut(), r);
            } else {
                spec.commandLine().getOut().println(summary(r) + "\nwrote " + out);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = "Download a produced package again.")
    static final class Download extends OnRequest {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the zip (a new file, mode 0600).")
        Path out;

        @Override
        int run(OperatorHttp http) throws OperatorHttp.Failure {
            byte[] zip = http.bytes(path("/package"));
            writeNew(out, zip);
            if (json) {
                JsonOutput.print(spec.commandLine().getOut(), JsonOutput.fields("id", id, "file", out.toString(),
                        "bytes", zip.length));
            } else {
                spec.commandLine().getOut().println("wrote " + out);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    static String summary(JsonNode r) {
        StringBuilder s = new StringBuilder();
        s.append("request ").append(r.path("id").asText()).append(": ").append(r.path("type").asText())
                .append(", ").append(r.path("status").asText());
        if (r.path("reviewRequired").asBoolean()) {
            s.append(" (review required)");
        }
        if (r.hasNonNull("outcome")) {
            s.append(", ").append(r.path("outcome").asText());
        }
        if (r.hasNonNull("reason")) {
            s.append(", reason: ").append(r.path("reason").asText());
        }
        for (JsonNode h : r.path("holds")) {
            s.append("\n  hold ").append(h.path("handle").asText()).append(": ").append(h.path("state").asText())
                    .append(", expires ").append(h.path("expiresAt").asText());
        }
        return s.toString();
    }

    /** Writes a package to a new file, owner-only: it holds user data. */
    static void writeNew(Path target, byte[] bytes) throws OperatorHttp.Failure {
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(target);
            }
            Files.write(target, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new OperatorHttp.Failure(Failures.LOCAL_ERROR, target + " already exists; choose a new --out file");
        } catch (IOException e) {
            throw new OperatorHttp.Failure(Failures.LOCAL_ERROR, "cannot write " + target + ": " + IoErrors.reason(target, e));
        }
    }

    static int fail(CommandSpec spec, boolean json, OperatorHttp.Failure failure) {
        return fail(spec, json, failure.exitCode, failure.error, failure.getMessage());
    }

    static int fail(CommandSpec spec, boolean json, int code, String error, String message) {
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            JsonOutput.printError(err, error, message, code);
        } else {
            err.println("parley admin legal " + spec.name() + ": " + message);
            err.flush();
        }
        return code;
    }
}
