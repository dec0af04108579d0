// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.AccessKeyStatus;
import org.parley.protocol.SealedMultiRecipientRequest;
import org.parley.protocol.SealedSendRequest;
import org.parley.protocol.SendMessageResponse;
import org.parley.server.errors.RateLimited;
import org.parley.server.errors.Unauthenticated;
import org.parley.server.messages.SealedQueue;
import org.parley.server.sealedsender.AccessKeyStore.AccessKey;

/**
 * Authorises a sealed send by the recipient's unidentified access key, never by the sender's
 * credentials, rate-limits it, and hands it to the messages feature's commit path.
 *
 * <p>Order of checks: the per-IP limit first (it counts wrong keys too, so guessing keys is slow),
 * then the key (one answer, 401, for an unknown account, an account that accepts no sealed sends and
 * a wrong key, so the endpoint tells a stranger nothing), then the per-recipient limit (counting only
 * authorised sends, so strangers cannot use up a recipient's budget).
 */
final class SealedSender {
    private static final String REFUSED = "a sealed send needs the recipient's unidentified access key "
            + "(header Unidentified-Access-Key); send it identified instead";

    private static final String REFUSED_MULTI = "the access keys of the accounts listed were refused (unknown "
            + "account, no key, or a wrong one); nothing was stored: send to those accounts identified and to the "
            + "others sealed again";

    private final AccessKeyStore keys;
    private final SealedQueue queue;
    private final MinuteLimit perRecipient;
    private final MinuteLimit perIp;
    private final Clock clock;
    private final Counter accepted;
    private final Counter refused;

    SealedSender(AccessKeyStore keys, SealedQueue queue, SealedSenderConfig config, MinuteLimit.Sharing sharing,
                 Clock clock, MeterRegistry meters) {
        this.keys = keys;
        this.queue = queue;
        this.perRecipient = sharing.share("recipient", config.maxPerRecipientPerMinute(),
                MinuteLimit.inMemory(config.maxPerRecipientPerMinute()));
        this.perIp = sharing.share("ip", config.maxPerIpPerMinute(), MinuteLimit.inMemory(config.maxPerIpPerMinute()));
        this.clock = clock;
        this.accepted = Counter.builder("parley.sealed.sent").description("Accepted sealed sends").register(meters);
        this.refused = Counter.builder("parley.sealed.refused")
                .description("Sealed sends refused for a missing or wrong access key").register(meters);
    }

    /**
     * @param presentedKey the decoded {@code Unidentified-Access-Key} header, if any
     * @param client the client IP at the edge (null when unknown: then no per-IP limit applies)
     */
    SendMessageResponse send(String destination, Optional<byte[]> presentedKey, InetAddress client,
                             SealedSendRequest request) {
        if (client != null) {
            limit(perIp, client.getHostAddress(), "too many sealed sends from this address");
        }
        if (!authorised(keys.find(destination), presentedKey)) {
            refused.increment();
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, REFUSED);
        }
        limit(perRecipient, destination, "too many sealed messages to this account; retry later or send identified");
        SendMessageResponse response = queue.sendSealed(destination, request);
        accepted.increment();
        return response;
    }

    /**
     * A sealed send to several accounts, each authorised by the key given with it. The same checks in the
     * same order as {@link #send}, with every recipient counted: the per-IP limit once per account named,
     * then every key (a 401 names all refused accounts and stores nothing), then the per-recipient limit
     * of each account (the counts of the accounts before a limited one stay spent, as they would for
     * one-by-one sends).
     */
    SendMessageResponse sendMulti(InetAddress client, SealedMultiRecipientRequest request) {
        List<SealedMultiRecipientRequest.SealedRecipient> recipients = request.recipients();
        if (client != null) {
            Optional<Duration> wait = perIp.tryAcquire(client.getHostAddress(), clock.instant(), recipients.size());
            if (wait.isPresent()) {
                throw new RateLimited("too many sealed sends from this address (each recipient counts)", wait.get());
            }
        }
        List<String> refusedAccounts = new ArrayList<>();
        for (SealedMultiRecipientRequest.SealedRecipient r : recipients) {
            // Every key is checked, none skipped after a refusal: the time taken does not tell which failed.
            if (!authorised(keys.find(r.accountId()), Optional.ofNullable(r.accessKey()))) {
                refusedAccounts.add(r.accountId());
            }
        }
        if (!refusedAccounts.isEmpty()) {
            refused.increment(refusedAccounts.size());
            throw new Unauthenticated(Unauthenticated.Party.DEVICE, REFUSED_MULTI, refusedAccounts);
        }
        for (SealedMultiRecipientRequest.SealedRecipient r : recipients) {
            limit(perRecipient, r.accountId(), "too many sealed messages to account " + r.accountId()
                    + "; retry later or send to it identified");
        }
        SendMessageResponse response = queue.sendSealedMulti(request);
        accepted.increment();
        return response;
    }

    /** Replaces the account's access key and setting. */
    void setAccessKey(String accountId, AccessKeySettings settings) {
        keys.put(accountId, new AccessKey(settings.accessKey(), settings.unrestricted()), clock.millis());
    }

    /** Whether the account set a key and accepts sealed sends without it; never the key itself. */
    AccessKeyStatus accessKeyStatus(String accountId) {
        Optional<AccessKey> key = keys.find(accountId);
        return new AccessKeyStatus(key.isPresent(), key.map(AccessKey::unrestricted).orElse(false));
    }

    static boolean authorised(Optional<AccessKey> stored, Optional<byte[]> presented) {
        if (stored.isEmpty()) {
            return false;
        }
        if (stored.get().unrestricted()) {
            return true;
        }
        // Constant time: the comparison must not tell how many leading bytes of a guess were right.
        return presented.isPresent() && MessageDigest.isEqual(stored.get().accessKey(), presented.get());
    }

    private void limit(MinuteLimit windows, String key, String message) {
        Optional<Duration> wait = windows.tryAcquire(key, clock.instant());
        if (wait.isPresent()) {
            throw new RateLimited(message, wait.get());
        }
    }
}
