// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.parley.server.HostTools;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import picocli.CommandLine.Option;

/**
 * Where the server's data lives, for commands run on the server host: the same layering as
 * {@code parley server} (defaults, {@code --config}, PARLEY_* environment, then {@code --data-dir}).
 */
public final class HostOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "The server's YAML configuration (as for parley server).")
    Path config;

    @Option(names = {"--data-dir", "--data"}, paramLabel = "DIR",
            description = "The server's data directory (server.data-dir, default ./parley-data).")
    Path dataDir;

    ServerConfig load(Map<String, String> env) {
        return ConfigLoader.load(config, env).withHttp(null, null, dataDir);
    }

    /** Opens the server's database; the caller closes it. */
    HostTools open() {
        return HostTools.open(load(System.getenv()), Clock.systemUTC());
    }
}
