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
import org.parley.client.store.GroupRecord;
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
import org.parley.protocol.AccessKeySettings;
import org.parley.protocol.AccessKeyStatus;
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
    /** The epoch minute of the last key upkeep after a send. */
    private static final String SEND_UPKEEP_MINUTE = "send_key_upkeep_minute";
    /** Server URLs for this instance only ({@link #useServers}); null: the ones stored in the home. */
    private List<URI> serverOverride;
    /** Null: follow the server's published lookup mode; see {@link #usePrivateLookup}. */
    private Boolean privateLookup;
    private final java.security.SecureRandom lookupRandom = new java.security.SecureRandom();

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

    // ---- linked devices (docs/protocol.md, "Provisioning") --------------------------------------

    /**
     * Starts linking this (empty) home as a new device of an existing account: opens the provisioning
     * socket on the first of {@code serverUrls} and returns the code to show to a device of the account.
     */
    public PendingLink beginLink(List<String> serverUrls) {
        if (state.accounts().load().filter(AccountState::registered).isPresent()) {
            throw new ParleyStateException("this home already holds a registered device; link into an empty --home");
        }
        return linker().start(ServerUrls.normalizeAll(serverUrls));
    }

    /**
     * Waits up to {@code timeout} for the linking device's message, then registers this device in its
     * account with the account's identity key and this device's own keys.
     */
    public Registration completeLink(PendingLink link, java.time.Duration timeout) {
        return linker().complete(link, timeout);
    }

    /**
     * Links the new device that shows {@code code}: sends it the account's identity and a provisioning
     * code end-to-end encrypted, waits up to {@code timeout} for it to join, and tells every other device.
     */
    public LinkedDevice addDevice(String code, java.time.Duration timeout) {
        return new DeviceManager(device()).add(LinkCode.parse(code), timeout);
    }

    /** The account's devices as the server lists them, each marked if it was never announced end-to-end. */
    public List<DeviceStatus> devices() {
        return new DeviceManager(device()).list();
    }

    /** Removes (unlinks) device {@code deviceId} and tells the other devices; returns how many were told. */
    public int removeDevice(int deviceId) {
        return new DeviceManager(device()).remove(deviceId);
    }

    // ---- messaging ------------------------------------------------------------------------------

    /**
     * Chooses the lookup this client makes (for {@link #lookup}, {@link #send} and the rest): {@code true}
     * the private (OPRF) lookup, in which the server never sees the handle; {@code false} the plain one;
     * {@code null} (the default) what the server publishes: private when it requires it.
     */
    public void usePrivateLookup(Boolean privately) {
        this.privateLookup = privately;
    }

    /**
     * Capability lookups, one result per handle in order. A plain lookup is one lookup-log entry per handle
     * on the server; a private one (see {@link #usePrivateLookup}) one bucket entry without the handle.
     */
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
        return send(handle, text, SendMode.AUTO);
    }

    /**
     * As {@link #send(String, String)}, choosing whether the server learns the sender: {@link SendMode#AUTO}
     * (the default) seals whenever this device holds the recipient's access key.
     */
    public SendResult send(String handle, String text, SendMode mode) {
        DeviceContext ctx = device();
        long sentAt = ctx.clock().millis();
        SendResult result = new MessageSender(ctx, directory(ctx)).send(handle, text, sentAt, mode);
        if (result instanceof SendResult.Delivered d && d.deviceCount() + d.syncCount() > 0) {
            // After the server's 200: a crash in between leaves the message delivered but not in our history.
            // The plaintext's sentAt, so that receipts (which name messages by it) find this entry.
            state.history().sent(d.handle(), d.accountId(), text, sentAt, d.serverTimestamp());
        }
        try {
            // At most hourly after sends: the one-time key check costs a request, and a burst of sends
            // must not pay it each time. Every receive runs it.
            int minute = (int) (ctx.clock().millis() / 60_000);
            if (minute - state.protocolStore().metaValue(SEND_UPKEEP_MINUTE).orElse(Integer.MIN_VALUE / 2) >= 60) {
                maintainKeys(ctx);
                state.protocolStore().setMetaValue(SEND_UPKEEP_MINUTE, minute);
            }
        } catch (ParleyException e) {
            // The message is sent; key upkeep is retried by the next send or receive.
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
            // Receipts owed for what arrived after the last flush (or shown after it); kept if this fails.
            ReceiptSender.flush(ctx);
            try {
                refill = maintainKeys(ctx);
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
        int shown;
        try (HomeLock lock = HomeLock.open(state.home()); HomeLock.Held held = lock.acquire()) {
            shown = entries.showAll(display);
        }
        if (shown > 0) {
            ReceiptSender.flush(device());
        }
        return shown;
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
     * Key upkeep, after every send and receive: rotates the signed and last-resort prekeys once they
     * are {@link KeyRotation#INTERVAL} old (deleting replaced ones after {@link KeyRotation#GRACE}),
     * then tops up one-time prekeys if the server runs low.
     */
    private PreKeyRefill maintainKeys(DeviceContext ctx) {
        new KeyRotation(ctx, keys).rotateIfDue();
        return new PreKeyRefiller(ctx, keys).refillIfLow();
    }

    /** Runs the key upkeep of a send or receive on its own (rotation when due, then the one-time key top-up). */
    public PreKeyRefill maintainKeys() {
        return maintainKeys(device());
    }

    /** The signed prekey's age and the one-time prekeys the server has left; changes nothing. */
    public KeyStatus keyStatus() {
        DeviceContext ctx = device();
        var counts = ctx.api().preKeyCounts();
        var store = state.protocolStore();
        var signed = store.loadSignedPreKeys();
        if (signed.isEmpty()) {
            throw new ParleyStateException("this device holds no signed prekey; register it first");
        }
        int currentId = store.metaValue(KeyRotation.CURRENT_SIGNED).orElse(signed.getLast().getId());
        var current = signed.stream().filter(r -> r.getId() == currentId).findFirst().orElse(signed.getLast());
        java.time.Instant created = java.time.Instant.ofEpochMilli(current.getTimestamp());
        int kept = signed.size() - 1 + Math.max(0, store.loadLastResortKyberPreKeys().size() - 1);
        return new KeyStatus(current.getId(), created, java.time.Duration.between(created, ctx.clock().instant()),
                KeyRotation.INTERVAL, kept, KeyRotation.GRACE, counts.preKeys(), counts.pqPreKeys());
    }

    /**
     * Deletes this account on the server: every device, key, queued message and the handle (which can
     * then be registered again). This home is then no longer registered; its history stays.
     */
    public void deleteAccount() {
        DeviceContext ctx = device();
        ctx.api().deleteAccount();
        state.accounts().forget();
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

    // ---- groups ---------------------------------------------------------------------------------

    /**
     * Creates a group of this account and {@code handles} (looked up once each) and tells every member
     * device 1:1; the server never learns the membership. Returns the group, with its id.
     */
    public GroupRecord createGroup(String name, List<String> handles) {
        DeviceContext ctx = device();
        return new GroupService(ctx, directory(ctx)).create(name, handles);
    }

    public GroupRecord addToGroup(String groupId, List<String> handles) {
        DeviceContext ctx = device();
        return new GroupService(ctx, directory(ctx)).add(groupId, handles);
    }

    /** Removes members; our sender key is replaced, so they cannot read later messages. */
    public GroupRecord removeFromGroup(String groupId, List<String> handles) {
        DeviceContext ctx = device();
        return new GroupService(ctx, directory(ctx)).remove(groupId, handles);
    }

    public GroupRecord renameGroup(String groupId, String name) {
        DeviceContext ctx = device();
        return new GroupService(ctx, directory(ctx)).rename(groupId, name);
    }

    public GroupRecord leaveGroup(String groupId) {
        DeviceContext ctx = device();
        return new GroupService(ctx, directory(ctx)).leave(groupId);
    }

    /** Every group this home knows, those we left or were removed from included (inactive). */
    public List<GroupRecord> groups() {
        return state.groups().list();
    }

    /** Sends {@code text} to every member device of the group, encrypted once with our sender key. */
    public GroupSendResult sendToGroup(String groupId, String text) {
        return sendToGroup(groupId, text, SendMode.AUTO);
    }

    /**
     * As {@link #sendToGroup(String, String)}, sealed for the members whose access key this device holds
     * ({@link SendMode#AUTO}), for all or not at all ({@link SendMode#SEALED}: fails naming the members
     * without a key), or never ({@link SendMode#IDENTIFIED}).
     */
    public GroupSendResult sendToGroup(String groupId, String text, SendMode mode) {
        DeviceContext ctx = device();
        GroupService.Sent sent = new GroupService(ctx, directory(ctx)).send(groupId, text, mode);
        return new GroupSendResult(sent.group().id(), sent.group().name(), sent.accounts(), sent.devices(),
                sent.sentAt(), sent.serverTimestamp(), sent.sealedAccounts());
    }

    // ---- receipts and typing ------------------------------------------------------------------------

    /** Whether this device sends read receipts (delivery receipts are always sent). */
    public boolean readReceipts() {
        return state.notices().readReceipts();
    }

    public void setReadReceipts(boolean on) {
        state.notices().setReadReceipts(on);
    }

    /** Tells {@code handle}'s devices that we started (or stopped) typing; nothing is stored. */
    public void typing(String handle, boolean started) {
        DeviceContext ctx = device();
        LookupResult target = directory(ctx).lookup(handle);
        if (target.route() != Route.PARLEY) {
            throw new IllegalArgumentException(target.handle() + " is not on Parley");
        }
        if (target.accountId().equals(ctx.accountId())) {
            throw new IllegalArgumentException("typing indicators go to someone else");
        }
        long now = ctx.clock().millis();
        String action = started ? "started" : "stopped";
        byte[] toPeer = org.parley.client.crypto.Plaintext.typing(action, now, null).encode();
        byte[] toOwn = org.parley.client.crypto.Plaintext.typing(action, now, target.handle()).encode();
        // Through the text path, sealed when a text would be: like a receipt, it must look like a message.
        java.util.Map<Integer, Integer> devices = new java.util.LinkedHashMap<>();
        for (org.parley.protocol.DeviceInfo d : target.devices() == null ? List.<org.parley.protocol.DeviceInfo>of()
                : target.devices()) {
            devices.put(d.deviceId(), d.registrationId());
        }
        new MessageSender(ctx, directory(ctx)).sendLikeAMessage(target.handle(), target.accountId(), devices, toPeer,
                toOwn);
    }

    // ---- SMS ------------------------------------------------------------------------------------

    /**
     * SMS fallback for handles that are not on Parley. SMS is not end-to-end encrypted: the server, the
     * gateway and the carriers see the text. Call it only on the user's explicit choice.
     */
    public SmsClient sms() {
        return new SmsClient(device().api());
    }

    // ---- sealed sender --------------------------------------------------------------------------

    /** Whether this account accepts sealed messages, and from whom (see {@link #acceptSealedFromAnyone}). */
    public AccessKeyStatus sealedSenderStatus() {
        return device().api().accessKeyStatus();
    }

    /**
     * {@code true}: sealed messages from anyone ("unrestricted"); {@code false} (the default): only from
     * senders this account gave its access key to, i.e. people it has messaged; others must send identified.
     */
    public AccessKeyStatus acceptSealedFromAnyone(boolean anyone) {
        DeviceContext ctx = device();
        byte[] key = SealedSenderSetup.ownAccessKey(ctx.state(), ctx.api())
                .orElseThrow(() -> new ParleyStateException("this device has no sealed-sender access key yet; try again"));
        ctx.api().setAccessKey(new AccessKeySettings(key, anyone));
        return ctx.api().accessKeyStatus();
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

    /** The API of the registered device; see {@link #device()}. */
    private ParleyApi deviceApi;

    private NewDeviceLinker linker() {
        return new NewDeviceLinker(state, this::api, keys);
    }

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
        List<URI> servers = servers(account);
        DeviceCredentials credentials = new DeviceCredentials(account.accountId(), account.deviceId(), account.password());
        ParleyApi api;
        synchronized (this) {
            // One API while the servers and credentials stay the same: a send then finds the delivery
            // WebSocket a running receive opened, and goes over it instead of HTTP.
            api = deviceApi;
            if (api == null || !api.servers().equals(servers) || !credentials.equals(deviceApi.credentials())) {
                api = new ParleyApi(servers, http, options.requestTimeout(), credentials);
                deviceApi = api;
            }
        }
        return new DeviceContext(state, api, account, new SessionCrypto(state.protocolStore()), options.clock());
    }

    private Directory directory(DeviceContext ctx) {
        return new Directory(ctx.api(), ctx.state().contacts(),
                lookUpPrivately(ctx) ? new PrivateDirectory(ctx.api(), lookupRandom) : null);
    }

    /** The explicit choice, else the server's: private only when it requires it (lookup.mode: private). */
    private boolean lookUpPrivately(DeviceContext ctx) {
        if (privateLookup == null) {
            try {
                privateLookup = "private".equals(ctx.api().privateLookupConfig().mode());
            } catch (org.parley.client.error.ParleyApiException e) {
                // A server from before the private lookup has no config endpoint: it answers plain lookups only.
                privateLookup = false;
            }
        }
        return privateLookup;
    }

    @Override
    public void close() {
        state.close();
        if (ownsHttp) {
            http.close();
        }
    }
}
