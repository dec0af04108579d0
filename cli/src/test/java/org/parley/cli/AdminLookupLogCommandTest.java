// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.Route;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.admin.AdminFeature;
import org.parley.server.audit.AuditFeature;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.ErrorMapping;
import org.parley.server.lookuplog.LookupLog;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.privatelookup.PrivateLookupFeature;
import org.parley.server.storage.Database;
import org.parley.server.storage.PurgeScheduler;
import picocli.CommandLine;

/** Drives the command against the real lookup-log and admin features on a real SQLite database. */
class AdminLookupLogCommandTest {
    private static final String ALICE = "+12025550143";
    private static final String BOB = "bob@example.org";
    private static final String ALICE_ID = "11111111-1111-4111-8111-111111111111";
    private static final String CAROL_ID = "33333333-3333-4333-8333-333333333333";

    @TempDir
    Path dir;

    private Database database;
    private WebServer server;
    private String url;
    private Path tokenFile;

    /** The two accounts the entries refer to: a data fixture, not a stand-in for behaviour under test. */
    private static final Accounts ACCOUNTS = new Accounts() {
        private final Map<String, String> handles = Map.of(ALICE_ID, ALICE, CAROL_ID, "carol@example.org");

        @Override
        public Optional<String> accountIdOf(String handle) {
            return handles.entrySet().stream().filter(e -> e.getValue().equals(handle)).map(Map.Entry::getKey).findFirst();
        }

        @Override
        public Optional<String> handleOf(String accountId) {
            return Optional.ofNullable(handles.get(accountId));
        }

        @Override
        public List<DeviceRecord> devices(String accountId) {
            return List.of();
        }
    };

    @BeforeEach
    void start() throws Exception {
        ServerConfig config = ConfigLoader.defaultsOnly().withHttp(null, 0, dir);
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T21:04:05.123Z"), ZoneOffset.UTC);
        database = Database.openSqlite(dir.resolve("t.db"), "NORMAL");
        database.migrate(List.of("/db/sqlite/lookuplog.sql", "/db/sqlite/admin.sql", "/db/sqlite/audit.sql",
                "/db/sqlite/admin-revocation.sql", "/db/sqlite/holds.sql", "/db/sqlite/privatelookup.sql"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ServerContext ctx = new ServerContext(config, database, clock, new SecureRandom(), meters,
                new ClientAddresses(List.of()), new PurgeScheduler(clock, meters));
        LookupLog log = LookupLogFeature.create(ctx, ACCOUNTS, PrivateLookupFeature.fetchLog(ctx)).log();
        AdminFeature admin = AdminFeature.create(ctx, log, ACCOUNTS, AuditFeature.create(ctx));
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorMapping.register(routing);
        admin.routing(routing);
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false).featuresDiscoverServices(false)
                .routing(routing).build().start();
        url = "http://127.0.0.1:" + server.port();
        tokenFile = dir.resolve("admin.token");

        InetAddress ip = InetAddress.getByName("203.0.113.7");
        log.record(List.of(new LookupLog.Entry(ALICE_ID, 1, BOB, Route.PARLEY, ip),
                new LookupLog.Entry(CAROL_ID, 2, ALICE, Route.SMS, null)));
        // A private lookup's bucket fetch, a millisecond later (the private lookup writes these itself).
        database.write(c -> {
            try (var s = c.prepareStatement("INSERT INTO private_lookup_log (time_ms, requester_account_id,"
                    + " requester_device_id, key_id, prefix_bits, bucket, client_ip) VALUES (?, ?, 3, 'k1', 2, 1, NULL)")) {
                s.setLong(1, clock.millis() + 1);
                s.setString(2, ALICE_ID);
                s.executeUpdate();
            }
            return null;
        });
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        database.close();
    }

    private record Result(int exit, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AdminLookupLogCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler(new Failures());
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Result runWithToken(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server", url, "--token-file", tokenFile.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void lookupLog_noFilter_printsATableLinePerEntry() {
        Result r = runWithToken();

        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(0).matches("TIME +KIND +REQUESTER +DEVICE +QUERIED +ROUTE +IP"), lines.get(0));
        assertTrue(lines.get(1).matches("2026-11-27T21:04:05\\.123Z +plain +\\+12025550143 +1 +bob@example\\.org +parley +203\\.0\\.113\\.7"),
                lines.get(1));
        assertTrue(lines.get(2).matches("2026-11-27T21:04:05\\.123Z +plain +carol@example\\.org +2 +\\+12025550143 +sms +-"),
                lines.get(2));
        assertTrue(lines.get(3).matches("2026-11-27T21:04:05\\.124Z +private +\\+12025550143 +3 +bucket k1/2/1 +- +-"),
                lines.get(3));
        assertEquals("", r.err());
    }

    @Test
    void lookupLog_json_printsTheServersJson() {
        Result r = runWithToken("--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"entries\":["), r.out());
        assertTrue(r.out().contains("\"requesterHandle\":\"+12025550143\""), r.out());
    }

    @Test
    void lookupLog_filters_areSentToTheServer() {
        Result byHandle = runWithToken("--handle", "+1 202 555 0143");
        assertEquals(2, byHandle.out().lines().count(), byHandle.out());
        assertTrue(byHandle.out().contains("sms"));
        assertTrue(byHandle.err().startsWith("note: plain lookups only"), byHandle.err());

        Result byRequester = runWithToken("--requester", "+12025550143");
        assertEquals(3, byRequester.out().lines().count(), byRequester.out());
        assertTrue(byRequester.out().contains("bob@example.org"));
        assertTrue(byRequester.out().contains("bucket k1/2/1"), byRequester.out());
        assertEquals("", byRequester.err());

        assertEquals(1, runWithToken("--since", "2026-11-28").out().lines().count());
        assertEquals(4, runWithToken("--since", "2026-11-27", "--until", "2026-11-28T00:00:00Z").out().lines().count());
        assertEquals(2, runWithToken("--limit", "1").out().lines().count());
    }

    @Test
    void lookupLog_badTime_exits2WithTheServersMessage() {
        Result r = runWithToken("--since", "yesterday");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("400 invalid_request: since must be an ISO-8601 instant"), r.err());
    }

    @Test
    void lookupLog_missingTokenFile_exits1WithOneLine() {
        Result r = run("--server", url, "--token-file", dir.resolve("nope").toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void lookupLog_wrongToken_exits2AndNeverPrintsTheToken() throws Exception {
        Path wrong = dir.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token-abcdefghijklmnop\n");
        Result r = run("--server", url, "--token-file", wrong.toString());

        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("401 unauthorized"), r.err());
        assertFalse(r.err().contains("not-the-token"));
        String real = Files.readString(tokenFile).strip();
        Result ok = runWithToken("--json");
        assertFalse(ok.out().contains(real) || ok.err().contains(real));
    }

    @Test
    void lookupLog_serverDown_exits2() {
        int port = server.port();
        server.stop();
        server = null;
        Result r = run("--server", "http://127.0.0.1:" + port, "--token-file", tokenFile.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void lookupLog_badServerUrl_exits1() {
        Result r = run("--server", "not a url", "--token-file", tokenFile.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
