// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.store.LocalState;

/**
 * Issue 9 item 20: {@code receive} exited 2 ("the server closed the connection: no reason given") when
 * its server node died. Now it reconnects with backoff, moving through the home's server URLs, and
 * {@code send}/{@code receive} take {@code --server} for one run.
 */
class ReceiveReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private String home(String name) {
        return tmp.resolve(name).toString();
    }

    private static String register(UserTestServer server, String home, String... servers) {
        String handle = UserTestServer.freshHandle(Path.of(home).getFileName().toString());
        String serverList = servers.length == 0 ? server.url() : String.join(",", servers);
        CliRun register = CliRun.parley("register", handle, "--server", serverList, "--home", home);
        assertEquals(0, register.exitCode(), register.err());
        CliRun verify = CliRun.parley("verify", server.codeFor(handle), "--home", home);
        assertEquals(0, verify.exitCode(), verify.err());
        return handle;
    }

    private static void send(String fromHome, String to, String text, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "send";
        args[1] = to;
        args[2] = text;
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = "--home=" + fromHome;
        CliRun send = CliRun.parley(args);
        assertEquals(0, send.exitCode(), send.err());
    }

    @Test
    void receiveFollow_serverRestartedOnSamePortAndData_receivesMessageSentAfterRestart() throws Exception {
        Path data = tmp.resolve("data");
        UserTestServer first = UserTestServer.start(data);
        int port = first.port();
        String alice = register(first, home("alice"));
        String bob = register(first, home("bob"));
        BackgroundCli follow = BackgroundCli.start("receive", "--follow", "--max-messages", "2", "--timeout", "60",
                "--home", home("bob"));
        first.awaitDeliveryConnections(1, WAIT);
        send(home("alice"), bob, "before the restart");
        follow.awaitOut(out -> out.contains("before the restart"), WAIT, "the first message");

        first.close();
        try (UserTestServer second = UserTestServer.start(data, port)) {
            send(home("alice"), bob, "after the restart");

            CliRun done = follow.await(WAIT);

            assertEquals(0, done.exitCode(), done.err());
            assertEquals(List.of(alice + ": before the restart", alice + ": after the restart"), done.outLines());
            assertOneReconnectWarning(done.err());
        }
    }

    @Test
    void receiveFollow_firstNodeOfHomeDies_continuesOnSecondUrl() throws Exception {
        try (UserTestServer server = UserTestServer.start(tmp.resolve("data"));
             TcpProxy node1 = TcpProxy.start(server.port())) {
            String alice = register(server, home("alice"));
            String bob = register(server, home("bob"), node1.url(), server.url());
            try (LocalState bobState = LocalState.open(tmp.resolve("bob"))) {
                assertEquals(List.of(URI.create(node1.url()), URI.create(server.url())), bobState.serverUrls().load());
            }
            BackgroundCli follow = BackgroundCli.start("receive", "--follow", "--max-messages", "2", "--timeout", "60",
                    "--home", home("bob"));
            server.awaitDeliveryConnections(1, WAIT);
            send(home("alice"), bob, "through node 1");
            follow.awaitOut(out -> out.contains("through node 1"), WAIT, "the first message");

            node1.close();
            send(home("alice"), bob, "after node 1 died");

            CliRun done = follow.await(WAIT);
            assertEquals(0, done.exitCode(), done.err());
            assertEquals(List.of(alice + ": through node 1", alice + ": after node 1 died"), done.outLines());
            assertOneReconnectWarning(done.err());
        }
    }

    @Test
    void sendAndReceive_serverOverrideWithDeadFirstUrl_useTheLiveOne() throws Exception {
        String dead = "http://127.0.0.1:" + unusedPort();
        try (UserTestServer server = UserTestServer.start(tmp.resolve("data"))) {
            String alice = register(server, home("alice"));
            String bob = register(server, home("bob"));

            send(home("alice"), bob, "via the override", "--server", dead + "," + server.url());
            CliRun receive = CliRun.parley("receive", "--server", dead, "--server", server.url(), "--home", home("bob"));
            CliRun unreachable = CliRun.parley("receive", "--server", dead, "--timeout", "1", "--home", home("bob"));

            assertEquals(0, receive.exitCode(), receive.err());
            assertEquals(List.of(alice + ": via the override"), receive.outLines());
            assertEquals(2, unreachable.exitCode());
            List<String> errors = unreachable.err().lines().toList();
            assertEquals(2, errors.size(), unreachable.err());
            assertTrue(errors.get(0).startsWith("parley receive: warning: cannot open the delivery connection to "
                    + dead.replace("http:", "ws:") + "/v1/websocket"), errors.get(0));
            assertTrue(errors.get(0).endsWith("; reconnecting for up to 1 s"), errors.get(0));
            assertTrue(errors.get(1).startsWith("parley receive: could not reach the server for 1 s: "
                    + "cannot open the delivery connection to ws://127.0.0.1:"), errors.get(1));
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One outage, one line on stderr, and nothing else there (no decrypt failure, no error). */
    private static void assertOneReconnectWarning(String err) {
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.getFirst().startsWith("parley receive: warning: "), err);
        assertTrue(lines.getFirst().endsWith("; reconnecting for up to 60 s"), err);
    }
}
