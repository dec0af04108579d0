// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.protocol.Json;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigException;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley server}: runs the relay until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the Parley server (embedded SQLite in the data directory by default).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration; see --print-default-config.")
    Path config;

    @Option(names = {"--data", "--data-dir"}, paramLabel = "DIR", description = "Data directory (server.data-dir, default ./parley-data).")
    Path data;

    @Option(names = "--host", paramLabel = "H", description = "Address to bind (server.host, default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "N", converter = PortConverter.class,
            description = "Port (server.port, default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--print-default-config", description = "Print the commented default configuration and exit.")
    boolean printDefaults;

    @Option(names = "--json", description = "Print one JSON line when listening instead of log lines only.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (printDefaults) {
            System.out.print(ConfigLoader.defaultsText());
            return 0;
        }
        ServerConfig effective;
        ParleyServer server;
        try {
            effective = ConfigLoader.load(config, System.getenv()).withHttp(host, port, data);
            server = ParleyServer.start(effective, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("parley server: " + e.getMessage());
            return Failures.LOCAL_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-shutdown"));
        if (json) {
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("status", "listening");
            ready.put("url", server.uri().toString());
            ready.put("port", server.port());
            ready.put("dataDir", effective.http().dataDir().toString());
            ready.put("lookupLogMode", effective.lookupLog().mode().wire());
            ready.put("lookupLogRetention", effective.lookupLog().retention().toString());
            System.out.println(Json.strict().writeValueAsString(ready));
            System.out.flush();
        }
        stopped.await();
        return 0;
    }
}
