// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.protocol.RegistrationRequest;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import org.parley.server.testing.AccountsTestKeys;
import org.parley.testing.Eventually;
import org.parley.server.testing.TestHttp;

/**
 * The whole server (SQLite, HTTP) wired to a {@link TestSmsc}, with verification codes by SMPP, and
 * helpers to register users with the codes the SMSC received.
 */
final class SmsTestWorld implements AutoCloseable {
    private static final Pattern CODE = Pattern.compile("Your Parley code is (\\d{6})");

    final TestSmsc smsc;
    final Path dataDir;
    private final Map<String, String> env;
    private final TestHttp http = new TestHttp();
    ParleyServer server;

    /** A registered account: id and Basic auth header. */
    record User(String accountId, String handle, String auth) {}

    SmsTestWorld(Path dataDir, Map<String, String> extraEnv) {
        this.smsc = TestSmsc.start();
        this.dataDir = dataDir;
        Map<String, String> e = new HashMap<>(smsc.env(true, true));
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        start();
    }

    void start() {
        ServerConfig config = ConfigLoader.load(null, env).withHttp("127.0.0.1", 0, dataDir);
        server = ParleyServer.start(config, Clock.systemUTC());
    }

    /** Stops the server cleanly (the SMSC stays up). */
    void stop() {
        server.close();
        server = null;
    }

    HttpResponse<String> call(String method, String path, Object body, String auth) {
        return http.send(server.port(), method, path, body, auth);
    }

    /** Asks for a code for {@code number}, reads it off the SMSC, registers a device with it. */
    User register(String number) throws InterruptedException {
        int before = smsc.textsTo(number).size();
        JsonNode session = TestHttp.ok(call("POST", "/v1/verification/sessions", Map.of("handle", number), null));
        Eventually.eventually(() -> smsc.textsTo(number).size() > before, Duration.ofSeconds(20), "a code by SMPP");
        Matcher m = CODE.matcher(smsc.textsTo(number).getLast());
        if (!m.find()) {
            throw new AssertionError("no code in " + smsc.textsTo(number));
        }
        AccountsTestKeys keys = new AccountsTestKeys();
        JsonNode account = TestHttp.ok(call("POST", "/v1/accounts", new RegistrationRequest(
                session.get("sessionId").asText(), m.group(1), keys.registration(4711)), null));
        String id = account.get("accountId").asText();
        return new User(id, number, keys.basic(id, 1));
    }

    /** Registers {@code number} and turns SMS fallback on for it. */
    User optedIn(String number) throws InterruptedException {
        User user = register(number);
        assertEquals(200, call("PUT", "/v1/me/settings/sms", Map.of("enabled", true), user.auth()).statusCode());
        return user;
    }

    /** Sends an SMS and returns its id. */
    String sms(User from, String to, String text) {
        HttpResponse<String> r = call("POST", "/v1/sms", Map.of("to", to, "text", text), from.auth());
        return TestHttp.ok(r).get("id").asText();
    }

    JsonNode status(User from, String id) {
        return TestHttp.ok(call("GET", "/v1/sms/" + id, null, from.auth()));
    }

    void awaitStatus(User from, String id, String status) throws InterruptedException {
        Eventually.eventually(() -> status.equals(status(from, id).get("status").asText()), Duration.ofSeconds(20),
                "SMS " + id + " " + status);
    }

    void awaitStatuses(User from, List<String> ids, String status) throws InterruptedException {
        for (String id : ids) {
            awaitStatus(from, id, status);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        smsc.close();
    }
}
