// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.transport.ParleyApi;
import org.parley.protocol.LookupResult;
import org.parley.protocol.OprfEvaluateRequest;
import org.parley.protocol.OprfEvaluateResponse;
import org.parley.protocol.PrivateLookupBucket;
import org.parley.protocol.Route;
import org.parley.protocol.oprf.Oprf;
import org.parley.protocol.oprf.PrivateLookupKeys;

/**
 * The private lookup (docs/privacy.md): blind each handle, have the server evaluate the blinded
 * elements, unblind to the handle's OPRF output, fetch the bucket its hash names and find the entry
 * whose tag matches; its pointer opens to the account and devices. The server sees blinded points and
 * bucket numbers, never a handle. A handle whose tag is in no bucket is not on Parley (route sms).
 */
final class PrivateDirectory {
    private final ParleyApi api;
    private final SecureRandom random;
    private final Oprf oprf = Oprf.p256Sha256();

    PrivateDirectory(ParleyApi api, SecureRandom random) {
        this.api = api;
        this.random = random;
    }

    /** Answers normalised {@code handles} in order: one evaluate request per 100, then one bucket fetch per distinct bucket. */
    List<LookupResult> lookup(List<String> handles) {
        List<LookupResult> out = new ArrayList<>(handles.size());
        for (int from = 0; from < handles.size(); from += 100) {
            out.addAll(batch(handles.subList(from, Math.min(handles.size(), from + 100))));
        }
        return out;
    }

    private List<LookupResult> batch(List<String> handles) {
        List<byte[]> inputs = handles.stream().map(h -> h.getBytes(StandardCharsets.UTF_8)).toList();
        List<Oprf.Blinded> blinded = inputs.stream().map(in -> oprf.blind(in, random)).toList();
        Base64.Encoder b64 = Base64.getEncoder();
        OprfEvaluateResponse evaluated = api.evaluate(new OprfEvaluateRequest(null,
                blinded.stream().map(b -> b64.encodeToString(b.blindedElement())).toList()));
        Map<Integer, PrivateLookupBucket> buckets = new HashMap<>();
        List<LookupResult> out = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            byte[] output = oprf.finalizeOutput(inputs.get(i), blinded.get(i),
                    Base64.getDecoder().decode(evaluated.evaluatedElements().get(i)));
            int bits = evaluated.prefixBits();
            int prefix = PrivateLookupKeys.bucketOf(PrivateLookupKeys.bucketHash(output), bits);
            PrivateLookupBucket bucket = buckets.computeIfAbsent(prefix,
                    p -> api.bucket(evaluated.keyId(), bits, p));
            out.add(find(handles.get(i), output, bucket));
        }
        return out;
    }

    private static LookupResult find(String handle, byte[] output, PrivateLookupBucket bucket) {
        byte[] tag = PrivateLookupKeys.tag(output);
        for (PrivateLookupBucket.Entry e : bucket.entries()) {
            if (PrivateLookupKeys.sameTag(tag, Base64.getDecoder().decode(e.tag()))) {
                PrivateLookupKeys.Pointer p = PrivateLookupKeys.open(output, Base64.getDecoder().decode(e.pointer()));
                return new LookupResult(handle, Route.PARLEY, p.accountId(), p.devices());
            }
        }
        return LookupResult.sms(handle);
    }
}
