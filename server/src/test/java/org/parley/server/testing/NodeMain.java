// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;

/**
 * A Parley node as its own process, for multi-node tests ({@link NodeProcess}): loads the given
 * configuration file and the environment like {@code parley server --config}, then prints
 * {@value #READY} and the port. The server module cannot use the CLI's main (the CLI depends on it).
 */
public final class NodeMain {
    public static final String READY = "PARLEY-NODE-READY ";

    private NodeMain() {}

    public static void main(String[] args) throws InterruptedException {
        ParleyServer server = ParleyServer.start(ConfigLoader.load(Path.of(args[0]), System.getenv()), Clock.systemUTC());
        System.out.println(READY + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
