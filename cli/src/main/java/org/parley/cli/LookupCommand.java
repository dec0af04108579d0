// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import org.parley.protocol.LookupResult;
import org.parley.protocol.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley lookup HANDLE...}: whether each handle is on Parley, one line per handle (with --json one array). */
@Command(name = "lookup", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show whether each HANDLE is on Parley (each lookup is recorded in the server's lookup log).")
public final class LookupCommand extends UserCommand {
    @Parameters(arity = "1..*", paramLabel = "HANDLE", description = "Phone numbers (+E.164) or email addresses.")
    List<String> handles;

    @Override
    Integer precheck() {
        return checkHandles(handles);
    }

    @Override
    int run(ParleyClient client) {
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
