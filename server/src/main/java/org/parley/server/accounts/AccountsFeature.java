// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.VerificationSessionRequest;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.http.ClientAddresses;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.http.HttpJson;
import org.parley.server.http.Routes;
import org.parley.server.storage.Dialect;
import org.parley.server.storage.Purger;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.PolicyContributor;

/**
 * Accounts: {@code POST /v1/verification/sessions} and {@code POST /v1/accounts} (see
 * docs/protocol.md, section Accounts), linked devices ({@link DeviceHandlers}, section Provisioning),
 * the {@link Accounts} read interface the other features use, and device authentication.
 */
public final class AccountsFeature implements Feature {
    /** Accounts whose devices and handle {@link CachingAccounts} holds at most (a few MB). */
    private static final int ACCOUNTS_CACHED = 20_000;
    private final AccountStore store;
    private final AccountService service;
    private final BasicAuthenticator authenticator;
    private final List<Consumer<String>> devicesReplacedListeners;
    private final List<Consumer<String>> registeredListeners;
    private final List<Consumer<String>> accountDeletedListeners;
    private final java.util.concurrent.atomic.AtomicReference<SubscriberHolds> holds;
    private final AccountDeletion deletion;
    private final ClientAddresses clients;
    private final List<BiConsumer<String, Integer>> deviceRemovedListeners;
    private final DeviceHandlers devices;
    private final Accounts accounts;

    private AccountsFeature(Accounts accounts, AccountStore store, AccountService service, BasicAuthenticator authenticator,
                            List<Consumer<String>> devicesReplacedListeners, ClientAddresses clients,
                            List<BiConsumer<String, Integer>> deviceRemovedListeners, DeviceHandlers devices,
                            List<Consumer<String>> registeredListeners, List<Consumer<String>> accountDeletedListeners,
                            java.util.concurrent.atomic.AtomicReference<SubscriberHolds> holds, AccountDeletion deletion) {
        this.accounts = accounts;
        this.accountDeletedListeners = accountDeletedListeners;
        this.holds = holds;
        this.deletion = deletion;
        this.clients = clients;
        this.registeredListeners = registeredListeners;
        this.deviceRemovedListeners = deviceRemovedListeners;
        this.devices = devices;
        this.store = store;
        this.service = service;
        this.authenticator = authenticator;
        this.devicesReplacedListeners = devicesReplacedListeners;
    }

    /**
     * Wires the feature with the sender {@code verification.sender} selects.
     *
     * @throws org.parley.server.config.ConfigException when that sender is not allowed for the listen address
     */
    public static AccountsFeature create(ServerContext ctx, DeviceKeys keys, DeviceQueues queues) {
        return create(ctx, (Supplier<VerificationSender>) null, keys, queues);
    }

    /**
     * As {@link #create(ServerContext, DeviceKeys, DeviceQueues)}, with the SMS sender
     * {@code verification.sender: smpp} selects (built by the SMS feature, which owns the SMPP link).
     */
    public static AccountsFeature create(ServerContext ctx, Supplier<VerificationSender> smpp, DeviceKeys keys,
                                         DeviceQueues queues) {
        return create(ctx, VerificationSenders.forConfig(ctx.config(), System.out, smpp), keys, queues);
    }

    /**
     * Wires the feature with an explicit sender (tests, embedding).
     *
     * @param keys   the keys feature's store of the keys devices register with
     * @param queues the messages feature's queues, emptied when re-registration replaces the devices
     */
    public static AccountsFeature create(ServerContext ctx, VerificationSender sender, DeviceKeys keys,
                                         DeviceQueues queues) {
        AccountStore store = new JdbcAccountStore(ctx.database(), keys, queues);
        BasicAuthenticator authenticator = new BasicAuthenticator(store, ctx.clock(), ctx.meters());
        // The credential cache must forget the old devices before anyone else hears of the change.
        List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
        listeners.add(authenticator::invalidate);
        // Devices and handles from memory on the message path, where only this node writes them (the
        // single-node SQLite store); dropped with the credentials, before anyone else hears of a change.
        CachingAccounts cache = singleWriter(ctx) ? new CachingAccounts(store, ACCOUNTS_CACHED) : null;
        if (cache != null) {
            listeners.add(cache::invalidate);
        }
        AccountService service = new AccountService(store, keys, sender, ctx.config().verification(), ctx.clock(),
                ctx.random(), ctx.meters(), accountId -> listeners.forEach(l -> l.accept(accountId)));
        List<Consumer<String>> deletedListeners = new CopyOnWriteArrayList<>();
        // Until the legal feature provides its holds (useSubscriberHolds), a deletion fails rather than
        // deleting data a hold may preserve.
        var holds = new java.util.concurrent.atomic.AtomicReference<SubscriberHolds>((accountId, handle, now) -> {
            throw new IllegalStateException("account deletion needs the legal feature's holds (useSubscriberHolds)");
        });
        AccountDeletion deletion = new AccountDeletion(store, holds::get, ctx.clock(), ctx.meters(),
                accountId -> listeners.forEach(l -> l.accept(accountId)), deletedListeners);
        // As for replacements: the removed device's credentials stop working before anything else.
        List<BiConsumer<String, Integer>> removedListeners = new CopyOnWriteArrayList<>();
        removedListeners.add((accountId, deviceId) -> authenticator.invalidate(accountId));
        // Told of every change to an account's handle or device list (registration, a device linked or removed).
        List<Consumer<String>> registered = new CopyOnWriteArrayList<>();
        // Every change (a link, a removal, a registration) drops the account from the cache first.
        if (cache != null) {
            registered.add(cache::invalidate);
        }
        removedListeners.add((accountId, deviceId) -> registered.forEach(l -> l.accept(accountId)));
        DeviceLinking linking = new DeviceLinking(store, keys, ctx.clock(), ctx.random(), ctx.meters(),
                (accountId, deviceId) -> removedListeners.forEach(l -> l.accept(accountId, deviceId)),
                accountId -> registered.forEach(l -> l.accept(accountId)));
        // A deleted account's handle and devices are gone: whoever derives data from them hears it as a change.
        deletedListeners.add(accountId -> registered.forEach(l -> l.accept(accountId)));
        AccountsFeature feature = new AccountsFeature(cache != null ? cache : store, store, service, authenticator,
                listeners, ctx.clientAddresses(), removedListeners, new DeviceHandlers(linking, authenticator), registered, deletedListeners, holds, deletion);
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "provisioning-codes";
            }

            @Override
            public long purge(Instant now) {
                return linking.purgeCodes(now.toEpochMilli());
            }

            @Override
            public Set<String> tables() {
                return Set.of("provisioning_codes");
            }
        });
        service.onRegistered(accountId -> feature.registeredListeners.forEach(l -> l.accept(accountId)));
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "retained-accounts";
            }

            @Override
            public long purge(Instant now) {
                return deletion.purgeRetained(now.toEpochMilli());
            }

            @Override
            public Set<String> tables() {
                return Set.of("retained_accounts", "retained_devices");
            }
        });
        ctx.purges().register(new Purger() {
            @Override
            public String name() {
                return "verification-sessions";
            }

            @Override
            public long purge(Instant now) {
                return service.purgeSessions(now.toEpochMilli());
            }

            @Override
            public Set<String> tables() {
                return Set.of("verification_sessions");
            }
        });
        return feature;
    }

    /**
     * No other process can change this node's accounts: the SQLite store (one server per data
     * directory, held by its lock) without Redis. With PostgreSQL other nodes may register and link
     * devices, and their changes would not reach a cache here.
     */
    private static boolean singleWriter(ServerContext ctx) {
        return ctx.database().dialect() == Dialect.SQLITE && !ctx.config().redis().enabled();
    }

    /** Read access to accounts, handles and devices (devices and handles cached on a single SQLite node). */
    public Accounts accounts() {
        return accounts;
    }

    /** Account, handle and device dates by handle, for the legal register. */
    public SubscriberRecords subscribers() {
        return store;
    }

    /** The account's own records (dates, all handles), for the owner's data export. */
    public AccountRecords records() {
        return (AccountRecords) store;
    }

    /** Device authentication for every feature's authenticated endpoints. */
    public DeviceAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Tells everyone told of account changes (the device cache first, then the {@link #onRegistered}
     * listeners) that {@code accountId}'s handles or devices were changed outside this feature, by
     * something that wrote its tables directly (test fixtures); as after a registration.
     */
    public void changedOutside(String accountId) {
        registeredListeners.forEach(l -> l.accept(accountId));
    }

    /**
     * Registers {@code listener} to be told the account id after every successful registration or
     * re-registration, and after a device was linked to or removed from it (after the commit), e.g. to
     * refresh data derived from handles and devices.
     */
    public void onRegistered(Consumer<String> listener) {
        registeredListeners.add(listener);
    }

    /**
     * Registers {@code listener} to be told the account id whenever a re-registration replaced an
     * account's devices (after the commit), e.g. to close the old devices' WebSocket connections.
     */
    public void onDevicesReplaced(Consumer<String> listener) {
        devicesReplacedListeners.add(listener);
    }

    /**
     * Registers {@code listener} to be told (account id, device id) after a linked device was removed,
     * e.g. to close its WebSocket connection.
     */
    public void onDeviceRemoved(BiConsumer<String, Integer> listener) {
        deviceRemovedListeners.add(listener);
    }

    /**
     * Registers {@code listener} to be told the account id after an account was deleted (after the
     * commit), to delete that feature's own per-account data.
     */
    public void onAccountDeleted(Consumer<String> listener) {
        accountDeletedListeners.add(listener);
    }

    /** The legal feature's view of its holds, which account deletion and its purge honour. */
    public void useSubscriberHolds(SubscriberHolds subscriberHolds) {
        holds.set(subscriberHolds);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        devices.routing(routing);
        // Unauthenticated: these create the credentials every other /v1 endpoint asks for.
        routing.register("/v1", rules -> rules
                .post("/verification/sessions", this::startSession)
                .post("/accounts", this::register)
                .delete("/accounts/me", Routes.device(authenticator, this::delete)));
    }

    private void delete(ServerRequest req, ServerResponse res, AuthenticatedDevice device) {
        deletion.delete(device.accountId());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void startSession(ServerRequest req, ServerResponse res) {
        VerificationSessionRequest body = HttpJson.read(req, VerificationSessionRequest.class);
        HttpJson.ok(res, service.startSession(body.handle(), clients.clientOf(req)));
    }

    private void register(ServerRequest req, ServerResponse res) {
        RegistrationRequest body = HttpJson.read(req, RegistrationRequest.class);
        HttpJson.ok(res, service.register(body));
    }

    /** This feature's part of the published policy: what it stores, for how long, who reads it. */
    public static PolicyContributor policy(ServerConfig config) {
        return new AccountsPolicy(config);
    }
}
