// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.parley.protocol.Json;
import org.parley.protocol.LookupLogEntryView;
import org.parley.protocol.LookupLogPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley admin lookup-log}: reads the lookup log through {@code GET /v1/admin/lookup-log}
 * with the operator token. Prints one table line per entry, or the server's JSON with {@code --json}.
 * Exit codes: 0 ok, 1 local error (token file, bad URL), 2 server error or server unreachable.
 */
@Command(name = "lookup-log", mixinStandardHelpOptions = true,
        description = "Show capability-lookup log entries (oldest first): plain lookups and private lookups'"
                + " bucket fetches (KIND private, QUERIED shows the bucket: a private lookup never names the handle).")
public final class AdminLookupLogCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--server", required = true, paramLabel = "URL", description = "Server base URL, e.g. http://127.0.0.1:8080.")
    String server;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "The operator token file (<data>/admin.token).")
    Path tokenFile;

    @Option(names = "--handle", paramLabel = "H", description = "Only plain lookups of this handle (private lookups never name one, so none can match).")
    String handle;

    @Option(names = "--requester", paramLabel = "H", description = "Only lookups made by the account with this handle.")
    String requester;

    @Option(names = "--since", paramLabel = "T", description = "From this instant or date, inclusive (2026-11-27T10:00:00Z or 2026-11-27).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Before this instant or date, exclusive.")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (1-10000, server default 1000).")
    Integer limit;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (NoSuchFileException e) {
            return fail(err, Failures.LOCAL_ERROR, "token file " + tokenFile
                    + " does not exist; the server writes admin.token to its data directory at first start");
        } catch (IOException e) {
            return fail(err, Failures.LOCAL_ERROR, "cannot read token file " + tokenFile + ": " + IoErrors.reason(tokenFile, e));
        }
        if (token.isEmpty()) {
            return fail(err, Failures.LOCAL_ERROR, "token file " + tokenFile + " is empty");
        }
        URI uri;
        try {
            uri = uri();
        } catch (IllegalArgumentException e) {
            return fail(err, Failures.LOCAL_ERROR, "--server must be a URL such as http://127.0.0.1:8080");
        }
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .GET().build();
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            return fail(err, Failures.SERVER_ERROR, "cannot connect to " + server);
        } catch (IOException e) {
            return fail(err, Failures.SERVER_ERROR, "request to " + server + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, Failures.SERVER_ERROR, "interrupted");
        }
        if (response.statusCode() != 200) {
            return fail(err, Failures.SERVER_ERROR, "server answered " + response.statusCode() + describe(response.body()));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                JsonOutput.print(out, Json.lenient().readTree(response.body()));
            } catch (JsonProcessingException e) {
                return fail(err, Failures.SERVER_ERROR, "the server's answer is not JSON");
            }
        } else {
            try {
                LookupLogPage page = Json.lenient().readValue(response.body(), LookupLogPage.class);
                printTable(out, page.entries());
                if (page.note() != null) {
                    err.println("note: " + page.note());
                    err.flush();
                }
            } catch (JsonProcessingException e) {
                return fail(err, Failures.SERVER_ERROR, "the server's answer is not a lookup-log page");
            }
        }
        out.flush();
        return 0;
    }

    private URI uri() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("handle", handle);
        params.put("requester", requester);
        params.put("since", since);
        params.put("until", until);
        params.put("limit", limit == null ? null : limit.toString());
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        // URLEncoder writes spaces as '+', which the server reads as a literal plus.
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        });
        String base = server.strip().replaceAll("/+$", "");
        URI uri = URI.create(base + "/v1/admin/lookup-log" + query);
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return uri;
    }

    /** ": error: message" from an error body, or nothing when the body is not ours. */
    private static String describe(String body) {
        try {
            JsonNode node = Json.lenient().readTree(body);
            if (node != null && node.hasNonNull("error")) {
                String message = node.hasNonNull("message") ? ": " + node.get("message").asText() : "";
                return " " + node.get("error").asText() + message;
            }
        } catch (JsonProcessingException e) {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return "";
    }

    static void printTable(PrintWriter out, List<LookupLogEntryView> entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIME", "KIND", "REQUESTER", "DEVICE", "QUERIED", "ROUTE", "IP"});
        for (LookupLogEntryView e : entries) {
            boolean bucket = "private".equals(e.kind());
            rows.add(new String[] {
                e.time(),
                e.kind() == null ? "plain" : e.kind(),
                e.requesterHandle() != null ? e.requesterHandle() : e.requesterAccountId(),
                Integer.toString(e.requesterDeviceId()),
                // A private lookup names no handle: show the bucket it fetched instead.
                bucket ? "bucket " + e.keyId() + "/" + e.prefixBits() + "/" + e.bucket() : e.queriedHandle(),
                e.route() == null ? "-" : e.route().wire(),
                e.clientIp() != null ? e.clientIp() : "-"});
        }
        Tables.print(out, rows);
    }

    private int fail(PrintWriter err, int code, String message) {
        if (json) {
            JsonOutput.printError(err, code == Failures.SERVER_ERROR ? "server_error" : "local_error", message, code);
            return code;
        }
        err.println("parley admin lookup-log: " + message);
        err.flush();
        return code;
    }
}
