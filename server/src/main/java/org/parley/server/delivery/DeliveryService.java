// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.protocol.Frame;
import org.parley.protocol.Limits;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.http.AuthenticatedDevice;
import org.parley.server.messages.MessageListener;
import org.parley.server.messages.MessageStore;
import org.parley.server.messages.QueuedMessage;
import org.parley.server.messages.Sends;
import org.parley.server.messages.StoredEnvelope;

/**
 * Delivery without HTTP: the connections of the devices on this node (one per device; a newer one
 * closes the older with {@link Frame#CLOSE_CONNECTED_ELSEWHERE}), and, as the
 * {@link MessageListener} of the messages feature, the wake-up of a device's connection when
 * envelopes for it are committed. {@link DeliveryFeature} wires it and serves the WebSocket.
 */
final class DeliveryService implements MessageListener, AutoCloseable {
    static final String SIGNAL_STORED = "stored";
    static final String SIGNAL_CONNECTED = "connected:";
    static final String SIGNAL_REPLACED = "replaced";
    /** The device was unlinked: its connection closes with {@link Frame#CLOSE_DEVICE_REMOVED} on any node. */
    static final String SIGNAL_REMOVED = "removed";
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    /** RFC 6455 close code 1001: the server is going away. */
    private static final int CLOSE_GOING_AWAY = 1001;

    private final MessageStore store;
    private final Accounts accounts;
    private final DeliveryMetrics metrics;
    private final int maxInFlight;
    private final Duration keepalive;
    private final Fanout fanout;
    private final AckWriter ackWriter;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Set<DeviceConnection> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Sends sends;

    DeliveryService(ServerContext ctx, MessageStore store, Accounts accounts, Duration keepalive, Fanout fanout) {
        this.store = store;
        this.fanout = fanout;
        this.accounts = accounts;
        this.maxInFlight = ctx.config().delivery().maxInFlight();
        this.keepalive = keepalive;
        var meters = ctx.meters();
        this.metrics = new DeliveryMetrics(
                Counter.builder("parley.delivery.envelopes").description("Envelopes sent over WebSockets").register(meters),
                Counter.builder("parley.delivery.acks").description("Envelopes acknowledged and deleted").register(meters),
                Counter.builder("parley.delivery.envelopes.handed")
                        .description("Envelopes sent right after their send committed, without reading the queue")
                        .register(meters),
                Counter.builder("parley.delivery.busy.retries")
                        .description("Delivery reads tried again because every database connection was busy")
                        .register(meters),
                Counter.builder("parley.delivery.sends")
                        .description("Sends received over delivery WebSockets and answered")
                        .register(meters));
        this.ackWriter = new AckWriter(store, metrics.acks());
        Gauge.builder("parley.delivery.connections", live, Set::size)
                .description("Open delivery WebSockets").register(meters);
        fanout.start(new Fanout.Receiver() {
            @Override
            public void signal(AuthenticatedDevice device, String signal) {
                onSignal(device, signal);
            }

            @Override
            public void resync() {
                registry.all().forEach(DeviceConnection::wake);
            }
        });
    }

    /** The send service the WebSockets' {@code send} frames go to (wired after the messages feature). */
    void acceptSends(Sends service) {
        this.sends = service;
    }

    /** The {@code send} frames of {@code connection}, through the shared send service. */
    SocketSends sendsOf(DeviceConnection connection) {
        return new SocketSends(connection.device(), sends, connection::answer, metrics.socketSends());
    }

    @Override
    public boolean deliversHere(String accountId, int deviceId) {
        return registry.current(accountId, deviceId).isPresent();
    }

    /**
     * Hands the envelopes to their devices' connections on this node (in memory, with the sender's
     * handle looked up once), and signals the other nodes, which read their devices' queues.
     */
    @Override
    public void messagesStored(List<StoredEnvelope> envelopes) {
        Map<AuthenticatedDevice, List<StoredEnvelope>> byDevice = new LinkedHashMap<>();
        for (StoredEnvelope e : envelopes) {
            QueuedMessage m = e.message();
            byDevice.computeIfAbsent(new AuthenticatedDevice(m.accountId(), m.deviceId()), d -> new ArrayList<>()).add(e);
        }
        Optional<String> handle = null;
        for (Map.Entry<AuthenticatedDevice, List<StoredEnvelope>> entry : byDevice.entrySet()) {
            AuthenticatedDevice device = entry.getKey();
            DeviceConnection c = registry.current(device.accountId(), device.deviceId()).orElse(null);
            if (c != null) {
                if (handle == null) {
                    // One send has one sending device, so one handle serves every envelope; a sealed
                    // send has none to name.
                    QueuedMessage first = entry.getValue().getFirst().message();
                    handle = first.sealed() ? Optional.empty() : accounts.handleOf(first.sourceAccountId());
                }
                c.handOff(entry.getValue(), handle.orElse(null));
            }
            fanout.publish(device, SIGNAL_STORED);
        }
    }

    /**
     * A signal on the channel of a device connected here. {@link #SIGNAL_STORED} wakes the
     * connection. {@code connected:<id>} and {@link #SIGNAL_REPLACED} close it with 4409, but only
     * if its own {@code connected} signal came back first: Redis delivers one channel's messages in
     * publishing order to every subscriber, so that is the test of which connection is newer, and of
     * two devices' connections racing on two nodes exactly the older one closes.
     */
    private void onSignal(AuthenticatedDevice device, String signal) {
        DeviceConnection c = registry.current(device.accountId(), device.deviceId()).orElse(null);
        if (c == null) {
            return;
        }
        if (signal.equals(SIGNAL_STORED)) {
            c.wake();
        } else if (signal.equals(SIGNAL_CONNECTED + c.id())) {
            c.markAnnounced();
        } else if (signal.equals(SIGNAL_REMOVED)) {
            registry.unregister(c);
            c.closeSoon(Frame.CLOSE_DEVICE_REMOVED, "device removed from the account");
        } else if (signal.startsWith(SIGNAL_CONNECTED) || signal.equals(SIGNAL_REPLACED)) {
            if (c.announced()) {
                registry.unregister(c);
                c.closeSoon(Frame.CLOSE_CONNECTED_ELSEWHERE, signal.equals(SIGNAL_REPLACED)
                        ? "registered again elsewhere" : "connected elsewhere");
            }
        }
    }

    /**
     * Closes the connections of every device of {@code accountId}, with
     * {@link Frame#CLOSE_CONNECTED_ELSEWHERE}: the handle was registered again on another install,
     * so these devices' credentials and queues are gone. Meant for
     * {@code AccountsFeature.onDevicesReplaced}.
     */
    void devicesReplaced(String accountId) {
        for (DeviceConnection c : registry.all()) {
            if (c.device().accountId().equals(accountId)) {
                registry.unregister(c);
                c.closeSoon(Frame.CLOSE_CONNECTED_ELSEWHERE, "registered again elsewhere");
            }
        }
        // Connections on other nodes: the account's device ids are 1..MAX_DEVICES_PER_ACCOUNT.
        for (int d = 1; d <= Limits.MAX_DEVICES_PER_ACCOUNT; d++) {
            fanout.publish(new AuthenticatedDevice(accountId, d), SIGNAL_REPLACED);
        }
    }

    /**
     * Closes the connection of one device, on every node, with {@link Frame#CLOSE_DEVICE_REMOVED}: it was
     * unlinked, so its credentials and queue are gone. Meant for {@code AccountsFeature.onDeviceRemoved}.
     */
    void deviceRemoved(String accountId, int deviceId) {
        registry.current(accountId, deviceId).ifPresent(c -> {
            registry.unregister(c);
            c.closeSoon(Frame.CLOSE_DEVICE_REMOVED, "device removed from the account");
        });
        fanout.publish(new AuthenticatedDevice(accountId, deviceId), SIGNAL_REMOVED);
    }

    /** Called by the endpoint once the WebSocket is open: registers the connection and starts its loop. */
    DeviceConnection open(AuthenticatedDevice device, boolean binary, boolean batch, Socket session, Thread connectionThread) {
        DeviceConnection connection = new DeviceConnection(device, binary, batch, session, connectionThread, store, ackWriter, accounts, metrics,
                maxInFlight, keepalive, this::ended, fanout::pushing);
        live.add(connection);
        if (closed) {
            connection.close(CLOSE_GOING_AWAY, "server shutting down");
            live.remove(connection);
            return connection;
        }
        registry.register(connection).ifPresent(displaced ->
                displaced.closeSoon(Frame.CLOSE_CONNECTED_ELSEWHERE, "connected elsewhere"));
        // Subscribed before the loop first reads the queue: an envelope stored after that read is
        // signalled to us, one stored before it is in the read.
        fanout.listen(device);
        fanout.publish(device, SIGNAL_CONNECTED + connection.id());
        connection.start();
        return connection;
    }

    private void ended(DeviceConnection connection) {
        registry.unregister(connection);
        if (live.remove(connection)) {
            fanout.unlisten(connection.device());
        }
    }

    /** Connections whose delivery loop has not ended yet. */
    int liveConnections() {
        return live.size();
    }

    /** Closes every connection with 1001 and waits briefly for the delivery loops to end. */
    @Override
    public void close() {
        closed = true;
        List<DeviceConnection> all = List.copyOf(live);
        for (DeviceConnection c : all) {
            c.close(CLOSE_GOING_AWAY, "server shutting down");
        }
        try {
            for (DeviceConnection c : all) {
                c.awaitEnd(SHUTDOWN_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the loops: the acks already taken are committed before the database closes.
        ackWriter.close();
    }
}
