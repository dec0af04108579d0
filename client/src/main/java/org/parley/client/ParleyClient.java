// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.crypto.KeyGenerator;
import org.parley.client.crypto.PreKeyManager;
import org.parley.client.crypto.SafetyNumbers;
import org.parley.client.crypto.SessionCrypto;
import org.parley.client.store.AccountState;
import org.parley.client.store.LocalState;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;
import org.parley.client.transport.ServerUrls;
import org.parley.protocol.DeviceInfo;
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
        return registrar().start(ServerUrls.normalize(serverUrl), handle);
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
        return new MessageSender(ctx, directory(ctx)).send(handle, text);
    }

    /**
     * Receives until no message arrived for {@code timeout} (negative: until the connection ends), calling
     * {@code handler} for each event, then tops up one-time prekeys if the server is running low.
     */
    public ReceiveSummary receive(Duration timeout, ReceiveHandler handler) {
        DeviceContext ctx = device();
        MessageReceiver.Outcome outcome = new MessageReceiver(ctx).run(timeout, handler);
        PreKeyRefill refill = null;
        String refillError = null;
        try {
            refill = new PreKeyRefiller(ctx, keys).refillIfLow();
        } catch (ParleyException e) {
            // The messages are already handled and acked; a failed top-up must not turn that into an error.
            refillError = e.getMessage();
        }
        return new ReceiveSummary(outcome.messages(), outcome.failures(), outcome.duplicates(), outcome.stopReason(),
                outcome.closeReason(), refill, refillError);
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

    private DeviceContext device() {
        AccountState account = state.accounts().load()
                .filter(AccountState::registered)
                .orElseThrow(() -> new ParleyStateException("this device is not registered yet"));
        ParleyApi api = api(account.serverUrl(),
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
