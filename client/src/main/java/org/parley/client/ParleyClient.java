// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.crypto.KeyGenerator;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.crypto.SafetyNumbers;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.AccountState;
import org.parley.client.store.HistoryEntry;
import org.parley.client.store.HomeLock;
import org.parley.client.store.LocalState;
import org.parley.client.transport.Backoff;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.client.transport.ServerUrls;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.Handles;
import org.parley.protocol.LookupResult;
import org.parley.protocol.MyData;
import org.parley.protocol.Route;
import org.parley.protocol.UserNotice;
import org.parley.protocol.UserNotices;
import org.signal.libsignal.protocol.IdentityKey;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyApiException;
import org.parley.client.error.ParleyStateException;
import org.parley.client.error.ParleyTransportException;

/**
 * A Parley device: its home directory (keys, sessions, account) and its conversation with one server.
 *
 * <p>Blocking and single-threaded: call one method at a time. Several clients with different homes may run
 * side by side in one process. Failures are {@link ParleyException}s: {@link ParleyApiException} when the
 * server refused, {@link ParleyTransportException} when it could not be reached,
 * {@link ParleyStateException} for local state, {@link IllegalArgumentException} for bad input such as an
 * invalid handle.
 */
public final class ParleyClient implements AutoCloseable {
    private final LocalState state;
    private final ClientOptions options;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final PreKeyManager keys;
    /** Server URLs for this instance only ({@link #useServers}); null: the ones stored in the home. */
    private List<URI> serverOverride;

    private ParleyClient(LocalState state, ClientOptions options) {
        this.state = state;
        this.options = options;
        this.ownsHttp = options.httpClient() == null;
        this.http = ownsHttp
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(options.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build()
                : options.httpClient();
        this.keys = new PreKeyManager(state.database(), state.protocolStore(), new KeyGenerator(options.clock()));
    }

    /** Opens (creating if needed) the home directory {@code home}. */
    public static ParleyClient open(Path home, ClientOptions options) {
        return new ParleyClient(LocalState.open(home, options.clock()), options);
    }

    public static ParleyClient open(Path home) {
        return open(home, ClientOptions.defaults());
    }

    // ---- registration ---------------------------------------------------------------------------

    /**
     * Asks {@code serverUrl} to send a verification code to {@code handle} and remembers the pending
     * session in the home. The server normalises the handle; the result carries its form.
     */
    public PendingRegistration startRegistration(String serverUrl, String handle) {
        return startRegistration(List.of(serverUrl), handle);
    }

    /**
     * Like {@link #startRegistration(String, String)} for a deployment with several URLs (its nodes, or a
     * load balancer and nodes): registration talks to the first; all of them are stored in the home, and
     * the device moves to the next when one cannot be reached.
     */
    public PendingRegistration startRegistration(List<String> serverUrls, String handle) {
        List<URI> urls = ServerUrls.normalizeAll(serverUrls);
        PendingRegistration pending = registrar().start(urls.getFirst(), handle);
        state.serverUrls().save(urls);
        return pending;
    }

    /**
     * Uses {@code serverUrls} instead of the home's stored URLs for the rest of this client's life (they are
     * not stored): e.g. to reach the deployment through another address for one run.
     */
    public void useServers(List<String> serverUrls) {
        serverOverride = ServerUrls.normalizeAll(serverUrls);
    }


    /** Proves the code, creates this device with fresh keys and uploads 100 + 100 one-time prekeys. */
    public Registration verify(String code) {
        return registrar().verify(code);
    }

    /** The registration of this home, without secrets; empty before {@link #startRegistration}. */
    public Optional<AccountInfo> account() {
        return state.accounts().load().map(a -> new AccountInfo(a.serverUrl(), a.handle(), a.accountId(),
                a.deviceId(), a.pendingSessionId() != null));
    }

    // ---- messaging ------------------------------------------------------------------------------

    /** Capability lookups, one result per handle in order. Every handle is one lookup-log entry on the server. */
    public List<LookupResult> lookup(List<String> handles) {
        if (handles.isEmpty()) {
            return List.of();
        }
        return directory(device()).lookup(handles);
    }

    /**
     * Sends {@code text} to every device of {@code handle} and a copy to this account's other devices.
     * A handle without Parley devices gives {@link SendResult.NotOnParley}, not an exception.
     */
    public SendResult send(String handle, String text) {
        DeviceContext ctx = device();
        SendResult result = new MessageSender(ctx, directory(ctx)).send(handle, text);
        if (result instanceof SendResult.Delivered d && d.deviceCount() + d.syncCount() > 0) {
            // After the server's 200: a crash in between leaves the message delivered but not in our history.
            long now = ctx.clock().millis();
            state.history().sent(d.handle(), d.accountId(), text, now, d.serverTimestamp());
        }
        return result;
    }

    /**
     * Sends {@code text} (may be null) and the files {@code attachments} to {@code handle}: each file is
     * encrypted under a fresh key and uploaded first (docs/protocol.md, Attachments), then one message
     * carries the keys, digests and download tokens to the recipient's devices and to this account's other
     * devices. The server never sees which account a blob went to.
     */
    public SendResult send(String handle, String text, List<Path> attachments) {
        if ((text == null || text.isEmpty()) && attachments.isEmpty()) {
            throw new IllegalArgumentException("a message needs a text or at least one attachment");
        }
        DeviceContext ctx = device();
        AttachmentTransfer transfer = attachments(ctx);
        List<org.parley.client.crypto.AttachmentPointer> pointers = new ArrayList<>();
        for (Path file : attachments) {
            pointers.add(transfer.upload(file, contentType(file)));
        }
        SendResult result = new MessageSender(ctx, directory(ctx)).send(handle, text, pointers);
        if (result instanceof SendResult.Delivered d && d.deviceCount() + d.syncCount() > 0) {
            long now = ctx.clock().millis();
            long entry = state.history().sent(d.handle(), d.accountId(), text == null ? "" : text, now, d.serverTimestamp());
            state.historyAttachments().save(entry, AttachmentTransfer.toJson(pointers));
        }
        return result;
    }

    /**
     * Downloads a received attachment into {@code folder}, checks its digest and MAC, decrypts it and
     * returns where it was saved (under the sender's file name, made unique in the folder).
     *
     * @throws ParleyException when the blob is gone (expired), was altered, or cannot be saved
     */
    public Path download(org.parley.client.crypto.AttachmentPointer attachment, Path folder) {
        return attachments(device()).download(attachment, folder);
    }

    /**
     * Sends attachments this device already has pointers for (received or sent earlier) to {@code handle}
     * without uploading them again: each blob is renewed first, so it stays on the server for another
     * retention period (30 days by default) from now.
     *
     * @throws ParleyApiException {@code 404} when a blob has already expired
     */
    public SendResult forward(String handle, String text, List<org.parley.client.crypto.AttachmentPointer> attachments) {
        DeviceContext ctx = device();
        for (org.parley.client.crypto.AttachmentPointer pointer : attachments) {
            ctx.api().renewAttachment(pointer.id(), pointer.token());
        }
        SendResult result = new MessageSender(ctx, directory(ctx)).send(handle, text, attachments);
        if (result instanceof SendResult.Delivered d && d.deviceCount() + d.syncCount() > 0) {
            long entry = state.history().sent(d.handle(), d.accountId(), text == null ? "" : text, ctx.clock().millis(),
                    d.serverTimestamp());
            state.historyAttachments().save(entry, AttachmentTransfer.toJson(attachments));
        }
        return result;
    }

    private AttachmentTransfer attachments(DeviceContext ctx) {
        return new AttachmentTransfer(ctx.api(), state.home().resolve("tmp"), new java.security.SecureRandom());
    }

    private static String contentType(Path file) {
        try {
            return java.nio.file.Files.probeContentType(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Receives messages: each envelope is stored in the history (with its session state, in one
     * transaction), acked, and then every history entry not shown yet goes to {@code handler} and is marked
     * shown once the handler returns. A handler that throws stops the call; its entry is handed over again
     * by the next call. Identity changes also go to the handler. Afterwards one-time prekeys are topped up
     * if the server is running low. See {@link ReceiveOptions} for draining, following and timeouts.
     */
    public ReceiveSummary receive(ReceiveOptions options, ReceiveHandler handler) {
        DeviceContext ctx = device();
        MessageReceiver.Outcome outcome = new MessageReceiver(ctx, options, handler, Backoff.standard()).run();
        PreKeyRefill refill = null;
        String refillError = null;
        if (outcome.stopReason() != ReceiveSummary.StopReason.UNREACHABLE) {
            try {
                refill = new PreKeyRefiller(ctx, keys).refillIfLow();
            } catch (ParleyException e) {
                // The messages are already stored and acked; a failed top-up must not turn that into an error.
                refillError = e.getMessage();
            }
        }
        return new ReceiveSummary(outcome.messages(), outcome.failures(), outcome.duplicates(), outcome.shown(),
                outcome.reconnects(), outcome.stopReason(), outcome.detail(), refill, refillError);
    }

    /**
     * Hands every history entry not shown yet to {@code display} as one list (empty when there is none) and
     * marks them shown once it returns; for interfaces that print a batch, after
     * {@link ReceiveOptions#storeOnly()}. Returns how many there were.
     */
    public int showUnshown(Consumer<List<ReceiveEvent>> display) {
        AccountState account = registeredAccount();
        UnshownEntries entries = new UnshownEntries(state, account.handle(), account.accountId());
        try (HomeLock lock = HomeLock.open(state.home()); HomeLock.Held held = lock.acquire()) {
            return entries.showAll(display);
        }
    }

    /**
     * The last {@code limit} history entries, oldest first: with {@code handle} null of every conversation,
     * otherwise of the conversation with that handle (and with its account under another handle).
     * Reading the history does not mark entries shown.
     */
    public List<HistoryEntry> history(String handle, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the history limit must be at least 1; was " + limit);
        }
        if (handle == null) {
            return state.history().latest(limit);
        }
        String normalized = Handles.normalize(handle);
        return state.history().conversation(normalized, state.contacts().accountIdOf(normalized).orElse(null), limit);
    }

    /** Uploads one-time prekeys if the server holds fewer than 20 of a kind. */
    public PreKeyRefill refillPreKeys() {
        return new PreKeyRefiller(device(), keys).refillIfLow();
    }

    /**
     * The safety number with each device of {@code handle}. Devices without a session yet get one (their
     * bundle is fetched), so the number shown is the one the next message will be encrypted under.
     */
    public SafetyNumberReport safetyNumbers(String handle) {
        DeviceContext ctx = device();
        LookupResult target = directory(ctx).lookup(handle);
        if (target.route() != Route.PARLEY) {
            return new SafetyNumberReport(target.handle(), false, List.of());
        }
        Map<Integer, Integer> devices = new LinkedHashMap<>();
        for (DeviceInfo d : target.devices() == null ? List.<DeviceInfo>of() : target.devices()) {
            boolean self = target.accountId().equals(ctx.accountId()) && d.deviceId() == ctx.deviceId();
            if (!self) {
                devices.put(d.deviceId(), d.registrationId());
            }
        }
        new SessionSetup(ctx).ensure(target.accountId(), devices);
        IdentityKey mine = state.protocolStore().getIdentityKeyPair().getPublicKey();
        SafetyNumbers numbers = new SafetyNumbers();
        List<SafetyNumberReport.DeviceSafetyNumber> result = new ArrayList<>();
        for (int deviceId : devices.keySet()) {
            IdentityKey theirs = state.protocolStore().getIdentity(SessionCrypto.address(target.accountId(), deviceId));
            if (theirs != null) {
                result.add(new SafetyNumberReport.DeviceSafetyNumber(deviceId,
                        numbers.compute(ctx.account().handle(), mine, target.handle(), theirs)));
            }
        }
        return new SafetyNumberReport(target.handle(), true, result);
    }

    /**
     * The legal disclosures the server made about this account, once each one's non-disclosure
     * period is over (type, date, categories). Empty when there were none, or when the server's
     * policy is to withhold notices.
     */
    public List<UserNotice> notices() {
        UserNotices answer = device().api().notices();
        return answer.notices() == null ? List.of() : answer.notices();
    }

    // ---- SMS ------------------------------------------------------------------------------------

    /**
     * SMS fallback for handles that are not on Parley. SMS is not end-to-end encrypted: the server, the
     * gateway and the carriers see the text. Call it only on the user's explicit choice.
     */
    public SmsClient sms() {
        return new SmsClient(device().api());
    }

    // ---- transparency ---------------------------------------------------------------------------

    /**
     * Everything the server holds about this account: handles, devices (days), prekey counts, the
     * lookups this account made within the lookup-log retention, queued envelopes and disclosures
     * whose non-disclosure period has ended. Lookups of this account's handles by others are not included.
     */
    public MyData myData() {
        return device().api().myData();
    }

    // ---- wiring ---------------------------------------------------------------------------------

    private Registrar registrar() {
        return new Registrar(state, this::api, keys);
    }

    private ParleyApi api(URI serverUrl, DeviceCredentials credentials) {
        return new ParleyApi(serverUrl, http, options.requestTimeout(), credentials);
    }

    private AccountState registeredAccount() {
        return state.accounts().load()
                .filter(AccountState::registered)
                .orElseThrow(() -> new ParleyStateException("this device is not registered yet"));
    }

    /** The registration server first (a list stored by an older registration must not override it), then the rest. */
    private List<URI> servers(AccountState account) {
        if (serverOverride != null) {
            return serverOverride;
        }
        List<URI> urls = new ArrayList<>();
        urls.add(account.serverUrl());
        for (URI url : state.serverUrls().load()) {
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return urls;
    }

    private DeviceContext device() {
        AccountState account = registeredAccount();
        ParleyApi api = new ParleyApi(servers(account), http, options.requestTimeout(),
                new DeviceCredentials(account.accountId(), account.deviceId(), account.password()));
        return new DeviceContext(state, api, account, new SessionCrypto(state.protocolStore()), options.clock());
    }

    private static Directory directory(DeviceContext ctx) {
        return new Directory(ctx.api(), ctx.state().contacts());
    }

    @Override
    public void close() {
        state.close();
        if (ownsHttp) {
            http.close();
        }
    }
}
