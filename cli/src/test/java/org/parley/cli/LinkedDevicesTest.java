// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.store.LocalState;
import org.parley.protocol.Json;

/**
 * Linked devices end to end: the real server, real libsignal (HPKE for the link message, sessions for
 * everything else) and real WebSockets (provisioning and delivery), driven through the CLI as a user
 * would. A device linked to Alice gets every message sent to her from then on, sees what her other
 * devices send, and decrypts all of it; her other devices are told of every added and removed device;
 * an unlinked device receives nothing more.
 */
class LinkedDevicesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CODE = Pattern.compile("parley://link\\?\\S+?(?=')");

    @RegisterExtension
    static final CliUsers users = new CliUsers();

    /** Runs {@code device link} into {@code newHome}, adds its code from {@code fromHome}; returns add's output. */
    private static CliRun link(String newHome, String fromHome) throws Exception {
        BackgroundCli link = BackgroundCli.start("device", "link", "--server", users.server().url(), "--home", newHome);
        link.awaitOut(out -> out.contains("waiting for the other device"), WAIT, "the link code");
        Matcher code = CODE.matcher(link.out());
        assertTrue(code.find());
        assertTrue(link.out().contains("▀") || link.out().contains("▄"), "a QR code is printed:\n" + link.out());
        CliRun add = CliRun.ok("device", "add", code.group(), "--home", fromHome);
        CliRun linked = link.await(WAIT);
        assertEquals(0, linked.exitCode(), linked.err());
        return add;
    }

    /** Receives in {@code home}; no warning may come (every device was announced). */
    private static String receive(String home) {
        CliRun run = CliRun.ok("receive", "--home", home);
        assertEquals("", run.err(), run.out());
        return run.out();
    }

    @Test
    void aLinkedDevice_getsEverything_siblingsAreTold_andUnlinkingStopsDelivery() throws Exception {
        String alice = users.register("alice");
        String bob = users.register("bob");
        String phone = users.home("alice");
        String laptop = users.home("alice-laptop");
        String tablet = users.home("alice-tablet");

        assertEquals("linked device 2; told 1 device\n", link(laptop, phone).out());
        assertTrue(receive(laptop).contains("[device 2 was linked to your account by your device 1]"));

        // Bob's messages reach both of Alice's devices; each decrypts its own copy.
        assertEquals("sent to " + alice + " (2 devices)\n", CliRun.ok("send", alice, "hello Alice", "--home", users.home("bob")).out());
        assertTrue(receive(laptop).contains(bob + ": hello Alice"));
        assertTrue(receive(phone).contains(bob + ": hello Alice"));

        // What one of Alice's devices sends, the other sees as a sync copy.
        CliRun.ok("send", bob, "from the phone", "--home", phone);
        assertTrue(receive(laptop).contains("you -> " + bob + ": from the phone"));
        CliRun.ok("send", bob, "from the laptop", "--home", laptop);
        assertTrue(receive(phone).contains("you -> " + bob + ": from the laptop"));
        String bobGot = receive(users.home("bob"));
        assertTrue(bobGot.contains(alice + ": from the phone") && bobGot.contains(alice + ": from the laptop"), bobGot);

        // A third device: the laptop is told, end-to-end, by the phone.
        assertEquals("linked device 3; told 2 devices\n", link(tablet, phone).out());
        assertTrue(receive(laptop).contains("[device 3 was linked to your account by your device 1]"));
        CliRun list = CliRun.ok("device", "list", "--home", laptop);
        assertEquals("", list.err(), "every device was announced");
        assertEquals(4, list.outLines().size(), list.out());

        // Unlinking the laptop: the tablet is told, the laptop's login and queue are gone.
        assertEquals("removed device 2; told 1 device\n", CliRun.ok("device", "remove", "2", "--home", phone).out());
        assertTrue(receive(tablet).contains("[device 2 was removed from your account by your device 1]"));
        // Sealed: Bob has Alice's access key from her earlier messages.
        assertEquals("sent to " + alice + " (2 devices), sealed\n",
                CliRun.ok("send", alice, "after unlinking", "--home", users.home("bob")).out());
        CliRun laptopAfter = CliRun.parley("receive", "--home", laptop);
        assertEquals(2, laptopAfter.exitCode(), laptopAfter.out() + laptopAfter.err());
        assertFalse(laptopAfter.out().contains("after unlinking"));
        String atTablet = receive(tablet);
        assertTrue(atTablet.contains("[sealed, verified] " + bob + ": after unlinking"), atTablet);
        String atPhone = receive(phone);
        assertTrue(atPhone.contains(bob + ": after unlinking"), atPhone);
    }

    @Test
    void deviceList_warnsAboutADeviceNoDeviceAnnounced() throws Exception {
        users.register("alice");
        String phone = users.home("alice");
        String laptop = users.home("alice-laptop");
        link(laptop, phone);
        // As if the server had added device 2 silently: the phone forgets it was ever told.
        try (LocalState state = LocalState.open(Path.of(phone))) {
            state.ownDevices().remove(2);
        }
        CliRun list = CliRun.ok("device", "list", "--home", phone);
        assertTrue(list.err().contains("device 2 is on the server, but none of your devices announced it"), list.err());
        assertTrue(list.out().contains("NOT ANNOUNCED"), list.out());

        // A message from the unannounced device warns on receive, once.
        String bob = users.register("bob");
        CliRun.ok("send", bob, "from the laptop", "--home", laptop);
        CliRun.ok("send", bob, "again from the laptop", "--home", laptop);
        CliRun got = CliRun.ok("receive", "--home", phone);
        assertTrue(got.out().contains("you -> " + bob + ": from the laptop"), got.out());
        assertEquals(1, got.err().split("a message came from your device 2, which none of your devices announced", -1).length - 1,
                got.err());

        JsonNode json = Json.lenient().readTree(CliRun.ok("device", "list", "--json", "--home", phone).out());
        assertEquals(2, json.size());
        assertTrue(json.get(0).get("thisDevice").asBoolean());
        assertFalse(json.get(1).get("announced").asBoolean());
    }

    @Test
    void add_refusesAGarbledCode_andLinkRefusesARegisteredHome() {
        users.register("alice");
        CliRun garbled = CliRun.parley("device", "add", "parley://nope", "--home", users.home("alice"));
        assertEquals(1, garbled.exitCode());
        assertTrue(garbled.err().contains("invalid link code"), garbled.err());
        CliRun registered = CliRun.parley("device", "link", "--server", users.server().url(), "--home", users.home("alice"));
        assertEquals(1, registered.exitCode());
        assertTrue(registered.err().contains("already holds a registered device"), registered.err());
    }
}
