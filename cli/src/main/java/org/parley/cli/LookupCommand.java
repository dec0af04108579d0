// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.protocol.LookupResult;
import org.parley.protocol.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley lookup HANDLE...}: whether each handle is on Parley, one line per handle (with --json one array). */
@Command(name = "lookup", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show whether each HANDLE is on Parley (a plain lookup is recorded, with the handle, in the"
                + " server's lookup log; a --private one only as the bucket fetched).")
public final class LookupCommand extends UserCommand {
    @Parameters(arity = "1..*", paramLabel = "HANDLE", description = "Phone numbers (+E.164) or email addresses.")
    List<String> handles;

    @Option(names = "--private", negatable = true, description = "Look the handle up privately (OPRF): the server"
            + " learns a bucket of at least lookup.private.min-bucket handles, never the handle itself."
            + " --no-private forces the plain lookup. Default: private when the server requires it (lookup.mode).")
    Boolean privateLookup;

    @Override
    Integer precheck() {
        return checkHandles(handles);
    }

    @Override
    int run(ParleyClient client) {
        client.usePrivateLookup(privateLookup);
        List<LookupResult> results = client.lookup(handles);
        if (json()) {
            printJson(results.stream().map(r -> fields("handle", r.handle(), "route", r.route().wire(),
                    "devices", devices(r))).toList());
            return OK;
        }
        for (LookupResult result : results) {
            printLine(result.route() == Route.PARLEY
                    ? result.handle() + " parley devices=" + devices(result)
                    : result.handle() + " " + result.route().wire());
        }
        return OK;
    }

    private static int devices(LookupResult result) {
        return result.devices() == null ? 0 : result.devices().size();
    }
}
