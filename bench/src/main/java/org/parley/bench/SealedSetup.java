// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.parley.protocol.AccessKeySettings;

/**
 * Sealed-sender set-up of a relay run: every device uploads a random access key (what its senders
 * present) and fetches a sender certificate (what it seals with), as the client does at registration.
 */
final class SealedSetup {
    private final Map<SimDevice, String> accessKeys = new IdentityHashMap<>();
    private final Map<SimDevice, byte[]> certificates = new IdentityHashMap<>();

    private SealedSetup() {}

    static SealedSetup prepare(BenchTarget target, List<SimDevice> devices) {
        SealedSetup setup = new SealedSetup();
        SecureRandom random = new SecureRandom();
        for (SimDevice d : devices) {
            byte[] key = new byte[AccessKeySettings.KEY_BYTES];
            random.nextBytes(key);
            var api = target.api(d.credentials());
            api.setAccessKey(new AccessKeySettings(key, false));
            setup.accessKeys.put(d, Base64.getEncoder().encodeToString(key));
            setup.certificates.put(d, api.senderCertificate().certificate());
        }
        return setup;
    }

    /** The recipient's access key, base64, for the {@code Unidentified-Access-Key} header. */
    String accessKey(SimDevice recipient) {
        return accessKeys.get(recipient);
    }

    byte[] certificate(SimDevice sender) {
        return certificates.get(sender);
    }
}
