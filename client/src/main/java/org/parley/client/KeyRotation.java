// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.store.SqliteProtocolStore;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * Rotates this device's signed EC prekey and last-resort Kyber prekey, together, once the current
 * pair is {@link #INTERVAL} old (Signal rotates about every two days), whenever the client runs
 * (send, receive, {@code keys status}).
 *
 * <p>The new pair is stored before it is uploaded, and the pair the server has is remembered in
 * {@code meta} only after the server accepted it: an upload that fails is retried at the next run,
 * and until then the server keeps handing out the previous pair, which this device still holds.
 *
 * <p>A replaced pair's private keys stay for {@link #GRACE} after their replacement, then they are
 * deleted: a sender that fetched the old bundle just before the rotation can still start a session
 * (its first message names the old key ids), and so can its message waiting in our queue, which
 * the server keeps for at most {@code messages.ttl} (30 days by default); hence 30 days. After that
 * a session started from the old bundle fails with UNKNOWN_PREKEY and is repaired by a session reset.
 */
final class KeyRotation {
    static final Duration INTERVAL = Duration.ofDays(2);
    static final Duration GRACE = Duration.ofDays(30);
    static final String CURRENT_SIGNED = "current_signed_prekey_id";
    static final String CURRENT_LAST_RESORT = "current_last_resort_kyber_id";

    /** What a run did: whether a new pair went to the server, and how many replaced keys were deleted. */
    record Outcome(boolean rotated, int deleted) {}

    private final DeviceContext ctx;
    private final PreKeyManager keys;

    KeyRotation(DeviceContext ctx, PreKeyManager keys) {
        this.ctx = ctx;
        this.keys = keys;
    }

    Outcome rotateIfDue() {
        SqliteProtocolStore store = ctx.state().protocolStore();
        List<SignedPreKeyRecord> signed = store.loadSignedPreKeys();
        List<KyberPreKeyRecord> lastResort = store.loadLastResortKyberPreKeys();
        if (signed.isEmpty() || lastResort.isEmpty()) {
            return new Outcome(false, 0);
        }
        long now = ctx.clock().millis();
        SignedPreKeyRecord newestSigned = signed.getLast();
        KyberPreKeyRecord newestLastResort = lastResort.getLast();
        SignedPreKeyRecord current = current(signed, store.metaValue(CURRENT_SIGNED));
        boolean rotated = false;
        if (current.getId() != newestSigned.getId()) {
            // A pair stored by an earlier run whose upload did not go through: upload it now.
            upload(PreKeyManager.signedKeysUpload(newestSigned, newestLastResort), newestSigned, newestLastResort);
            rotated = true;
        } else if (now - current.getTimestamp() >= INTERVAL.toMillis()) {
            var request = keys.createSignedKeys();
            newestSigned = store.loadSignedPreKeys().getLast();
            newestLastResort = store.loadLastResortKyberPreKeys().getLast();
            upload(request, newestSigned, newestLastResort);
            rotated = true;
        }
        return new Outcome(rotated, deleteReplaced(now));
    }

    private void upload(org.parley.protocol.KeyUploadRequest request, SignedPreKeyRecord signed,
                        KyberPreKeyRecord lastResort) {
        ctx.api().uploadKeys(request);
        SqliteProtocolStore store = ctx.state().protocolStore();
        ctx.state().database().update(c -> {
            store.setMetaValue(CURRENT_SIGNED, signed.getId());
            store.setMetaValue(CURRENT_LAST_RESORT, lastResort.getId());
        });
    }

    /** The key the server has; homes from before rotation existed, or a re-registration, know only the newest. */
    private static SignedPreKeyRecord current(List<SignedPreKeyRecord> signed, OptionalInt remembered) {
        if (remembered.isPresent()) {
            for (SignedPreKeyRecord r : signed) {
                if (r.getId() == remembered.getAsInt()) {
                    return r;
                }
            }
        }
        return signed.getLast();
    }

    /**
     * Deletes each key whose successor (the next newer key of its kind) was made more than
     * {@link #GRACE} ago. The key the server currently has is never deleted.
     */
    private int deleteReplaced(long now) {
        SqliteProtocolStore store = ctx.state().protocolStore();
        long cutoff = now - GRACE.toMillis();
        int currentSigned = store.metaValue(CURRENT_SIGNED).orElse(-1);
        int currentLastResort = store.metaValue(CURRENT_LAST_RESORT).orElse(-1);
        int deleted = 0;
        List<SignedPreKeyRecord> signed = store.loadSignedPreKeys();
        for (int i = 0; i < signed.size() - 1; i++) {
            if (signed.get(i).getId() != currentSigned && signed.get(i + 1).getTimestamp() <= cutoff) {
                store.removeSignedPreKey(signed.get(i).getId());
                deleted++;
            }
        }
        List<KyberPreKeyRecord> lastResort = store.loadLastResortKyberPreKeys();
        for (int i = 0; i < lastResort.size() - 1; i++) {
            if (lastResort.get(i).getId() != currentLastResort && lastResort.get(i + 1).getTimestamp() <= cutoff) {
                store.removeLastResortKyberPreKey(lastResort.get(i).getId());
                deleted++;
            }
        }
        return deleted;
    }
}
