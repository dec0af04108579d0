// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.server.storage.Database;
import org.parley.server.testing.StorageBackend;

/** The {@link SmsOutbox} contract on every backend: idempotent queueing, leases, text deletion, receipts, purge. */
@ParameterizedClass
@EnumSource(StorageBackend.class)
class SmsOutboxContractTest {
    private static final String ALICE = "22222222-2222-4222-8222-222222222222";
    private static final String TO = "+14155550100";

    @Parameter
    StorageBackend backend;

    @TempDir
    Path dir;

    private Database db;
    private JdbcSmsOutbox outbox;

    @BeforeEach
    void open() {
        db = backend.open(dir);
        outbox = new JdbcSmsOutbox(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private SmsOutbox.NewSms sms(String clientId, int parts, long now) {
        return new SmsOutbox.NewSms(UUID.randomUUID().toString(), ALICE, clientId, SmsRecord.Purpose.MESSAGE, TO,
                "secret text", SmsAlphabet.GSM7, parts, 7, now, now + 1000);
    }

    private String body(String id) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM sms_messages WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void enqueue_sameClientMessageId_returnsTheFirstSms() {
        SmsRecord first = outbox.enqueue(sms("c1", 2, 100));
        SmsRecord again = outbox.enqueue(sms("c1", 2, 200));
        assertEquals(first.id(), again.id());
        assertEquals(List.of(PartState.QUEUED, PartState.QUEUED), first.parts());
        assertEquals(1, outbox.countSince(ALICE, 0));
        // Without a client id every request is its own SMS.
        assertTrue(!outbox.enqueue(sms(null, 1, 300)).id().equals(outbox.enqueue(sms(null, 1, 300)).id()));
    }

    @Test
    void claim_leased_isNotClaimedAgainUntilReleasedOrExpired() {
        SmsRecord r = outbox.enqueue(sms("c1", 2, 100));
        List<SmsOutbox.Claimed> claimed = outbox.claim("node-a", 100, 600, 10);
        assertEquals(1, claimed.size());
        assertEquals(List.of(1, 2), claimed.getFirst().openParts());
        assertEquals("secret text", claimed.getFirst().body());
        assertTrue(outbox.claim("node-b", 200, 700, 10).isEmpty());
        outbox.release(r.id(), "node-b");
        assertTrue(outbox.claim("node-b", 200, 700, 10).isEmpty(), "only the owner releases");
        outbox.release(r.id(), "node-a");
        assertEquals(1, outbox.claim("node-b", 200, 700, 10).size());
        assertEquals(1, outbox.claim("node-c", 700, 900, 10).size(), "an expired lease is claimable");
    }

    @Test
    void accepted_lastPart_deletesTheTextAndAccepts() {
        SmsRecord r = outbox.enqueue(sms("c1", 2, 100));
        assertEquals(SmsState.QUEUED, outbox.accepted(r.id(), 1, "smsc-1", 110));
        assertEquals("secret text", body(r.id()), "kept while a part still waits");
        List<SmsOutbox.Claimed> again = outbox.claim("n", 120, 500, 10);
        assertEquals(List.of(2), again.getFirst().openParts(), "an accepted part is never submitted again");
        assertEquals(SmsState.ACCEPTED, outbox.accepted(r.id(), 2, "smsc-2", 130));
        assertNull(body(r.id()));
        assertTrue(outbox.claim("n", 600, 900, 10).isEmpty());
    }

    @Test
    void receipt_byGatewayId_updatesPartAndMessage() {
        SmsRecord r = outbox.enqueue(sms("c1", 2, 100));
        outbox.accepted(r.id(), 1, "smsc-1", 110);
        outbox.accepted(r.id(), 2, "smsc-2", 110);
        assertTrue(outbox.receipt("smsc-1", PartState.DELIVERED, 120));
        assertEquals(SmsState.ACCEPTED, outbox.find(r.id()).orElseThrow().status());
        assertTrue(outbox.receipt("smsc-2", PartState.DELIVERED, 130));
        assertEquals(SmsState.DELIVERED, outbox.find(r.id()).orElseThrow().status());
        assertFalse(outbox.receipt("unknown", PartState.DELIVERED, 130));
        outbox.receipt("smsc-2", PartState.UNDELIVERABLE, 140);
        SmsRecord after = outbox.find(r.id()).orElseThrow();
        assertEquals(SmsState.FAILED, after.status());
        assertEquals(List.of(PartState.DELIVERED, PartState.UNDELIVERABLE), after.parts());
    }

    @Test
    void failed_deletesTheText() {
        SmsRecord r = outbox.enqueue(sms("c1", 1, 100));
        outbox.failed(r.id(), "refused", 110);
        assertNull(body(r.id()));
        assertEquals("refused", outbox.find(r.id()).orElseThrow().failure());
    }

    @Test
    void purge_expiresQueuedAndDeletesOld() {
        SmsRecord stuck = outbox.enqueue(sms("stuck", 1, 100)); // expires at 1100
        SmsRecord done = outbox.enqueue(sms("done", 1, 100));
        outbox.accepted(done.id(), 1, "x", 150);
        SmsRecord young = outbox.enqueue(sms("young", 1, 5000));
        assertEquals(1, outbox.purge(1200, 0), "the stuck one is given up");
        assertEquals(SmsState.FAILED, outbox.find(stuck.id()).orElseThrow().status());
        assertNull(body(stuck.id()));
        outbox.purge(1300, 1000);
        assertTrue(outbox.find(stuck.id()).isEmpty());
        assertTrue(outbox.find(done.id()).isEmpty());
        assertTrue(outbox.find(young.id()).isPresent(), "a queued SMS inside its retention stays");
    }
}
