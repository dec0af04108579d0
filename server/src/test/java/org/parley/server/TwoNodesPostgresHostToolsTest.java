// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AuditVerificationReport;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.PostgresDatabase;
import org.parley.server.testing.PostgresProcess;
import org.parley.server.testing.TestHttp;

/**
 * Two fully wired nodes started at the same moment against one empty PostgreSQL database, then the
 * host commands' {@link HostTools} on the same configuration: both nodes start, exactly one of them
 * writes the first operator token, a token made by the host tools works on both nodes at once, and
 * the audit chain the nodes and the tools wrote together verifies.
 */
class TwoNodesPostgresHostToolsTest {
    @TempDir
    Path dir;

    private final List<ParleyServer> nodes = new ArrayList<>();
    private final TestHttp http = new TestHttp();

    @AfterEach
    void stop() {
        nodes.forEach(ParleyServer::close);
    }

    private static ServerConfig config(String database, Path secret, Path data) {
        PostgresProcess pg = PostgresProcess.shared();
        return ConfigLoader.load(null, Map.of(
                "PARLEY_STORAGE_BACKEND", "postgresql",
                "PARLEY_STORAGE_POSTGRESQL_URL", pg.jdbcUrl(database),
                "PARLEY_STORAGE_POSTGRESQL_USER", PostgresProcess.USER,
                "PARLEY_STORAGE_POSTGRESQL_PASSWORD_FILE", secret.toString(),
                "PARLEY_STORAGE_POSTGRESQL_POOL_SIZE", "4")).withHttp("127.0.0.1", 0, data);
    }

    @Test
    void twoNodesStartAtOnce_oneBootstrapToken_hostToolsTokenWorksOnBoth_chainVerifies() throws Exception {
        String database = PostgresProcess.shared().createDatabase();
        Path secret = Files.writeString(dir.resolve("pg-password"), PostgresProcess.PASSWORD + "\n");
        List<ServerConfig> configs = List.of(
                config(database, secret, Files.createDirectories(dir.resolve("node-a"))),
                config(database, secret, Files.createDirectories(dir.resolve("node-b"))));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<ParleyServer>> starting = new ArrayList<>();
            for (ServerConfig c : configs) {
                starting.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return ParleyServer.start(c, Clock.systemUTC());
                }));
            }
            for (Future<ParleyServer> f : starting) {
                nodes.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertInstanceOf(PostgresDatabase.class, nodes.getFirst().database());

        List<Path> tokenFiles = configs.stream().map(c -> c.http().dataDir().resolve("admin.token"))
                .filter(Files::exists).toList();
        assertEquals(1, tokenFiles.size(), "exactly one node wrote the first operator token");
        String bootstrap = Files.readString(tokenFiles.getFirst()).strip();

        String auditor;
        try (HostTools tools = HostTools.open(configs.getFirst(), Clock.systemUTC())) {
            assertInstanceOf(PostgresDatabase.class, tools.database());
            assertEquals(List.of("admin"), tools.tokens().list().stream().map(t -> t.name()).toList());
            auditor = tools.tokens().create("host:test", "carol", "auditor");
        }

        for (ParleyServer node : nodes) {
            for (String token : List.of(bootstrap, auditor)) {
                JsonNode report = TestHttp.ok(http.send(node.port(), "GET", "/v1/admin/audit/verify", null, "Bearer " + token));
                assertTrue(report.path("intact").asBoolean(), report.toString());
            }
        }

        try (HostTools tools = HostTools.open(configs.get(1), Clock.systemUTC())) {
            tools.tokens().revoke("host:test", "carol");
            AuditVerificationReport report = tools.audit().trail().verify();
            assertTrue(report.intact(), report.problem());
            assertTrue(report.entriesChecked() >= 3, "token.create twice, audit reads, token.revoke: " + report);
        }
        for (ParleyServer node : nodes) {
            assertEquals(401, http.send(node.port(), "GET", "/v1/admin/audit/verify", null, "Bearer " + auditor).statusCode());
        }
    }
}
