// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.List;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Option;

/** {@code --server URL} on send and receive: other server URLs for this run, not stored in the home. */
final class ServerOverride {
    @Option(names = "--server", paramLabel = "URL", split = ",",
            description = "Use this server instead of the ones stored in the home, for this run only;"
                    + " repeat it or separate URLs with commas to list several nodes, tried in order.")
    List<String> urls;

    void applyTo(ParleyClient client) {
        if (urls != null && !urls.isEmpty()) {
            client.useServers(urls);
        }
    }
}
