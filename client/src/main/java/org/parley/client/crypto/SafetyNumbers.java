// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.crypto;

import java.nio.charset.StandardCharsets;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * Safety numbers with libsignal's {@link NumericFingerprintGenerator}.
 *
 * <p>In Signal every device of an account shares one identity key, so one number covers a whole
 * conversation. In Parley every device has its own identity key, so a safety number belongs to a pair of
 * devices: my device (my handle, my device's identity key) and one remote device (its handle, its
 * identity key). A contact with three devices has three numbers, and a new device of theirs shows up as
 * a new number to compare rather than silently joining the conversation.
 *
 * <p>The stable identifiers are the normalised handles (UTF-8), as Signal's first fingerprint version
 * used phone numbers; the handle is what both people can see and agree on.
 */
public final class SafetyNumbers {
    /** Signal's iteration count; changing it changes every number. */
    static final int ITERATIONS = 5200;
    /** Only the scannable (QR) form carries the version; the 60 digits do not depend on it. */
    static final int VERSION = 1;

    private final NumericFingerprintGenerator generator = new NumericFingerprintGenerator(ITERATIONS);

    public SafetyNumber compute(String localHandle, IdentityKey localIdentity, String remoteHandle, IdentityKey remoteIdentity) {
        String text = generator.createFor(VERSION,
                        localHandle.getBytes(StandardCharsets.UTF_8), localIdentity,
                        remoteHandle.getBytes(StandardCharsets.UTF_8), remoteIdentity)
                .getDisplayableFingerprint()
                .getDisplayText();
        return new SafetyNumber(text);
    }
}
