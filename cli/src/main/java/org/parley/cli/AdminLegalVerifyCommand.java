// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.parley.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley admin legal verify ZIP [--server URL]}: checks a disclosure package offline, as
 * its recipient can; with {@code --server} the key must also be the one the server publishes.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a package's manifest hashes and Ed25519 signature. Exit 4 if it does not verify.")
final class AdminLegalVerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ZIP", description = "The disclosure package.")
    Path file;

    @Option(names = "--server", paramLabel = "URL",
            description = "Also require the key the server publishes at /.well-known/parley/legal-signing-key.")
    String server;

    @Option(names = "--json", description = "Print the result as one JSON document (docs/cli.md).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            byte[] zip;
            try {
                zip = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new OperatorHttp.Failure(Failures.LOCAL_ERROR, "cannot read " + file + ": " + IoErrors.reason(file, e));
            }
            String expected = null;
            if (server != null) {
                var request = HttpRequest.newBuilder(java.net.URI.create(OperatorHttp.baseUri(server)
                        + "/.well-known/parley/legal-signing-key")).GET().build();
                JsonNode key = Json.lenient().readTree(OperatorHttp.send(request).body());
                expected = key.path("publicKeyPem").asText();
            }
            DisclosureVerifier.Result result = DisclosureVerifier.verify(zip, expected);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, JsonOutput.fields("valid", result.ok(), "problems", result.problems(),
                        "manifest", result.manifest(), "serverKeyChecked", server != null));
                return result.ok() ? 0 : AdminLegalCommand.PACKAGE_INVALID;
            }
            if (!result.ok()) {
                result.problems().forEach(p -> out.println("INVALID: " + p));
                out.flush();
                return AdminLegalCommand.PACKAGE_INVALID;
            }
            JsonNode m = result.manifest();
            out.println("package verified: request " + m.path("requestId").asText() + " (" + m.path("type").asText()
                    + ", " + m.path("reference").asText() + "), outcome " + m.path("outcome").asText() + ", "
                    + m.path("files").size() + (m.path("files").size() == 1 ? " file" : " files") + ", signing key sha256 " + m.path("signingKeySha256").asText()
                    + (server != null ? " (matches the server's published key)" : ""));
            out.flush();
            return 0;
        } catch (OperatorHttp.Failure f) {
            return AdminLegalCommand.fail(spec, json, f);
        } catch (IOException e) {
            return AdminLegalCommand.fail(spec, json, Failures.SERVER_ERROR, "server_error", "the server's key answer is not JSON");
        }
    }
}
