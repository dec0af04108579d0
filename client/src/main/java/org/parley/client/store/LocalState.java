// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.nio.file.Path;
import java.time.Clock;

/** Everything a home directory holds, opened together on the one {@code state.db} connection. */
public final class LocalState implements AutoCloseable {
    private final Path home;
    private final StateDatabase database;
    private final SqliteProtocolStore protocolStore;
    private final AccountStore accounts;
    private final SeenEnvelopes seenEnvelopes;
    private final ContactStore contacts;
    private final SessionResets sessionResets;
    private final MessageHistory history;
    private final ServerUrlStore serverUrls;
    private final OwnDevices ownDevices;
    private final GroupStore groups;
    private final NoticeStore notices;
    private final SealedSenderStore sealedSender;
    private final HistoryAttachments historyAttachments;

    private LocalState(Path home, StateDatabase database, Clock clock) {
        this.home = home;
        this.database = database;
        this.protocolStore = new SqliteProtocolStore(database, clock);
        this.accounts = new AccountStore(database);
        this.seenEnvelopes = new SeenEnvelopes(database, clock);
        this.contacts = new ContactStore(database, clock);
        this.sessionResets = new SessionResets(database);
        this.history = new MessageHistory(database);
        this.serverUrls = new ServerUrlStore(database);
        this.ownDevices = new OwnDevices(database, clock);
        this.groups = new GroupStore(database, clock);
        this.notices = new NoticeStore(database, clock);
        this.sealedSender = new SealedSenderStore(database, clock);
        this.historyAttachments = new HistoryAttachments(database);
    }

    /** Opens the home, creating it (mode 0700) and its database (mode 0600) when missing. */
    public static LocalState open(Path home, Clock clock) {
        return new LocalState(home, StateDatabase.open(home), clock);
    }

    public static LocalState open(Path home) {
        return open(home, Clock.systemUTC());
    }

    public Path home() {
        return home;
    }

    public StateDatabase database() {
        return database;
    }

    public SqliteProtocolStore protocolStore() {
        return protocolStore;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public SeenEnvelopes seenEnvelopes() {
        return seenEnvelopes;
    }

    public SessionResets sessionResets() {
        return sessionResets;
    }

    public ContactStore contacts() {
        return contacts;
    }

    public MessageHistory history() {
        return history;
    }

    public ServerUrlStore serverUrls() {
        return serverUrls;
    }

    public OwnDevices ownDevices() {
        return ownDevices;
    }

    public GroupStore groups() {
        return groups;
    }

    public NoticeStore notices() {
        return notices;
    }

    public SealedSenderStore sealedSender() {
        return sealedSender;
    }

    public HistoryAttachments historyAttachments() {
        return historyAttachments;
    }

    @Override
    public void close() {
        database.close();
    }
}
