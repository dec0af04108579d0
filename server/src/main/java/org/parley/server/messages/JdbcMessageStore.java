// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.parley.protocol.MessageType;
import org.parley.server.storage.Database;
import org.parley.server.storage.Dialect;

/**
 * {@link MessageStore} on the {@code messages} table ({@code db/sqlite/messages.sql},
 * {@code db/postgresql/V3__messages.sql}; the source columns are NULL for sealed-sender envelopes since
 * {@code messages-sealed.sql} / {@code V55__messages_sealed.sql}).
 *
 * <p>Queue order is id order, and a delivery loop pages with "id above the last one sent", so the
 * ids of one queue must become visible in increasing order: an id must never commit after a
 * higher one was already read. SQLite commits one writer at a time, so this holds by itself. On
 * PostgreSQL many transactions draw ids from the sequence at once and may commit in another order,
 * so an insert first takes its queues' locks and draws each id only after every earlier insert
 * into that queue has committed. Queues are locked in sorted order, so batches cannot deadlock.
 *
 * <p>Concurrent sends commit together, each still all or nothing: on SQLite each insert is a shared
 * write ({@link Database#writeShared}) that the single writer commits with the others waiting; on
 * PostgreSQL {@link InsertCombiner} writes all waiting sends with one lock statement, one highest-id
 * read and one pipelined insert batch ({@link #insertAll}), as one shared write on the node's
 * writer connection. Every batch, combined or alone, takes its queue locks in name order in one
 * statement, so batches of different nodes wait for each other but cannot deadlock.
 */
final class JdbcMessageStore implements MessageStore {
    private static final String COLUMNS = "id, account_id, device_id, guid, source_account_id, source_device_id, "
            + "type, content, client_timestamp, server_timestamp, expires_at";

    /** Queues whose last id {@link #lastAssigned} holds at most; it is cleared when full. */
    private static final int QUEUES_TRACKED = 100_000;

    private final Database db;
    /**
     * SQLite only: the last id this process assigned in each queue, so that an insert learns its
     * envelopes' {@link StoredEnvelope#previousId} without a {@code MAX(id)} read. Sound because one
     * writer thread makes every insert (it is touched only there) and no other process writes the
     * file (the data-directory lock). It may be higher than the queue's true highest id (the envelope
     * was acked, expired, or its transaction rolled back), never lower; a higher previous id only
     * makes delivery read the queue instead of handing the envelope over. {@code null} on
     * PostgreSQL, where other nodes insert too.
     */
    private final Map<String, Long> lastAssigned;
    /**
     * SQLite only: the last queue id handed out, 0 until the first insert reads {@code MAX(id)}. Ids come
     * from here rather than from SQLite (the table has no AUTOINCREMENT since {@code messages-queue.sql}),
     * which saves the {@code sqlite_sequence} update of every insert. Touched only by the single writer
     * thread, like {@link #lastAssigned}; no other process writes the file. It only grows, so within
     * this process no id is handed out twice, not after the newest row is deleted, nor after a rolled-back
     * insert (SQLite's own rowid choice, MAX+1, would reuse both). Ids do not outlive the process: every
     * holder of one (delivery loops, hand-offs, {@link #lastAssigned}) is in memory.
     */
    private long lastId;
    /** PostgreSQL only: concurrent sends' inserts combined into one write (SQLite's writer already shares commits). */
    private final InsertCombiner combiner;

    JdbcMessageStore(Database db) {
        this.db = db;
        this.lastAssigned = db.dialect() == Dialect.SQLITE ? new HashMap<>() : null;
        this.combiner = db.dialect() == Dialect.POSTGRESQL
                ? new InsertCombiner(sends -> db.writeShared(c -> insertAll(c, sends)))
                : null;
    }

    @Override
    public List<QueuedMessage> insert(List<QueuedMessage> batch) {
        return insertLinked(batch, m -> false).stream().map(StoredEnvelope::message).toList();
    }

    @Override
    public List<StoredEnvelope> insertLinked(List<QueuedMessage> batch, Predicate<QueuedMessage> linked) {
        if (batch.isEmpty()) {
            return List.of();
        }
        InsertCombiner.Send send = new InsertCombiner.Send(batch, linked);
        if (combiner != null) {
            return combiner.insert(send);
        }
        return db.writeShared(c -> insertAll(c, List.of(send))).getFirst();
    }

    /** All the sends' envelopes in one transaction: each send's stored envelopes, in the order given. */
    private List<List<StoredEnvelope>> insertAll(Connection c, List<InsertCombiner.Send> sends) throws SQLException {
        SortedSet<String> queues = new TreeSet<>();
        List<QueuedMessage> all = new ArrayList<>();
        List<QueuedMessage> linked = new ArrayList<>();
        for (InsertCombiner.Send send : sends) {
            for (QueuedMessage m : send.messages()) {
                queues.add(queueKey(m.accountId(), m.deviceId()));
                all.add(m);
                if (send.linked().test(m)) {
                    linked.add(m);
                }
            }
        }
        db.dialect().lockAll(c, queues);
        // Read under the queue locks (SQLite: the single writer), so no other insert into
        // these queues can commit between this read and our own commit.
        Map<String, Long> previous = db.dialect() == Dialect.POSTGRESQL ? highestIdsAtOnce(c, linked) : previousIds(c, linked);
        long[] ids = db.dialect() == Dialect.POSTGRESQL ? insertPipelined(c, all) : insertEach(c, all);
        List<List<StoredEnvelope>> result = new ArrayList<>(sends.size());
        int i = 0;
        for (InsertCombiner.Send send : sends) {
            List<StoredEnvelope> stored = new ArrayList<>(send.messages().size());
            for (QueuedMessage m : send.messages()) {
                long id = ids[i++];
                String queue = queueKey(m.accountId(), m.deviceId());
                Long before = previous.containsKey(queue) ? previous.put(queue, id) : null;
                if (lastAssigned != null && (before != null || lastAssigned.containsKey(queue))) {
                    lastAssigned.put(queue, id);
                }
                // Not below our own id only if a rolled-back insert's id was remembered and
                // SQLite gave it out again: then delivery must read the queue.
                boolean known = before != null && before < id;
                stored.add(new StoredEnvelope(m.withId(id), known ? before : StoredEnvelope.UNKNOWN));
            }
            result.add(List.copyOf(stored));
        }
        return result;
    }

    private static final String INSERT = "INSERT INTO messages(account_id, device_id, guid, "
            + "source_account_id, source_device_id, type, content, client_timestamp, server_timestamp, expires_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String INSERT_WITH_ID = "INSERT INTO messages(account_id, device_id, guid, "
            + "source_account_id, source_device_id, type, content, client_timestamp, server_timestamp, expires_at, id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * SQLite: one statement per envelope (in-process calls, nothing to save by batching), each with
     * the next id from {@link #lastId}.
     */
    private long[] insertEach(Connection c, List<QueuedMessage> messages) throws SQLException {
        if (lastId == 0) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM messages")) {
                lastId = rs.next() ? rs.getLong(1) : 0L;
            }
        }
        long[] ids = new long[messages.size()];
        try (PreparedStatement s = c.prepareStatement(INSERT_WITH_ID)) {
            for (int i = 0; i < ids.length; i++) {
                bind(s, messages.get(i));
                // Taken before the statement runs: an id whose insert fails is skipped, never retried.
                ids[i] = ++lastId;
                s.setLong(11, ids[i]);
                s.executeUpdate();
            }
        }
        return ids;
    }

    /**
     * All envelopes as one JDBC batch: the PostgreSQL driver sends the inserts without waiting for
     * each answer (a round trip per batch, not per envelope) and returns the generated ids in the
     * order of the batch.
     */
    private static long[] insertPipelined(Connection c, List<QueuedMessage> messages) throws SQLException {
        long[] ids = new long[messages.size()];
        try (PreparedStatement s = c.prepareStatement(INSERT, new String[] {"id"})) {
            for (QueuedMessage m : messages) {
                bind(s, m);
                s.addBatch();
            }
            s.executeBatch();
            try (ResultSet keys = s.getGeneratedKeys()) {
                for (int i = 0; i < ids.length; i++) {
                    if (!keys.next()) {
                        throw new SQLException("the batch returned " + i + " queue ids for " + ids.length + " inserts");
                    }
                    ids[i] = keys.getLong(1);
                }
            }
        }
        return ids;
    }

    private static void bind(PreparedStatement s, QueuedMessage m) throws SQLException {
        s.setString(1, m.accountId());
        s.setInt(2, m.deviceId());
        s.setString(3, m.guid());
        // A sealed envelope has no source: NULL in both columns, not a placeholder.
        s.setString(4, m.sourceAccountId());
        if (m.sealed()) {
            s.setNull(5, java.sql.Types.INTEGER);
        } else {
            s.setInt(5, m.sourceDeviceId());
        }
        s.setString(6, m.type().wire());
        s.setBytes(7, m.content());
        s.setLong(8, m.clientTimestamp());
        s.setLong(9, m.serverTimestamp());
        s.setLong(10, m.expiresAt());
    }

    /** {@link #highestIds} in one statement for all queues (PostgreSQL: one round trip, not one per queue). */
    private static Map<String, Long> highestIdsAtOnce(Connection c, List<QueuedMessage> messages) throws SQLException {
        Map<String, Long> highest = new HashMap<>();
        if (messages.isEmpty()) {
            return highest;
        }
        Map<String, QueuedMessage> byQueue = new java.util.LinkedHashMap<>();
        messages.forEach(m -> byQueue.putIfAbsent(queueKey(m.accountId(), m.deviceId()), m));
        String[] accounts = byQueue.values().stream().map(QueuedMessage::accountId).toArray(String[]::new);
        Integer[] devices = byQueue.values().stream().map(QueuedMessage::deviceId).toArray(Integer[]::new);
        try (PreparedStatement s = c.prepareStatement("SELECT u.a, u.d, COALESCE((SELECT MAX(m.id) FROM messages m "
                + "WHERE m.account_id = u.a AND m.device_id = u.d), 0) FROM unnest(?::text[], ?::int[]) AS u(a, d)")) {
            s.setArray(1, c.createArrayOf("text", accounts));
            s.setArray(2, c.createArrayOf("integer", devices));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    highest.put(queueKey(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        if (highest.size() != byQueue.size()) {
            throw new SQLException("read the highest id of " + highest.size() + " queues, expected " + byQueue.size());
        }
        return highest;
    }

    /**
     * The id before the first new one in each queue of the {@code linked} messages, by {@link #queueKey}:
     * from {@link #lastAssigned} where it knows the queue (SQLite), else read from the table.
     */
    private Map<String, Long> previousIds(Connection c, List<QueuedMessage> linked) throws SQLException {
        Map<String, Long> previous = new HashMap<>();
        List<QueuedMessage> unknown = new ArrayList<>();
        for (QueuedMessage m : linked) {
            String queue = queueKey(m.accountId(), m.deviceId());
            Long last = lastAssigned.get(queue);
            if (last != null) {
                previous.putIfAbsent(queue, last);
            } else {
                unknown.add(m);
            }
        }
        if (!unknown.isEmpty()) {
            if (lastAssigned.size() + unknown.size() > QUEUES_TRACKED) {
                lastAssigned.clear();
            }
            Map<String, Long> read = highestIds(c, unknown);
            previous.putAll(read);
            lastAssigned.putAll(read);
        }
        return previous;
    }

    /** The highest id of each queue of {@code messages}, by {@link #queueKey}. */
    private static Map<String, Long> highestIds(Connection c, List<QueuedMessage> messages) throws SQLException {
        Map<String, Long> highest = new HashMap<>();
        if (messages.isEmpty()) {
            return highest;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(MAX(id), 0) FROM messages WHERE account_id = ? AND device_id = ?")) {
            for (QueuedMessage m : messages) {
                String queue = queueKey(m.accountId(), m.deviceId());
                if (highest.containsKey(queue)) {
                    continue;
                }
                s.setString(1, m.accountId());
                s.setInt(2, m.deviceId());
                try (ResultSet rs = s.executeQuery()) {
                    highest.put(queue, rs.next() ? rs.getLong(1) : 0L);
                }
            }
        }
        return highest;
    }

    private static String queueKey(String accountId, int deviceId) {
        return "queue:" + accountId + ":" + deviceId;
    }

    @Override
    public List<QueuedMessage> page(String accountId, int deviceId, long afterId, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM messages "
                    + "WHERE account_id = ? AND device_id = ? AND id > ? ORDER BY id LIMIT ?")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                s.setLong(3, afterId);
                s.setInt(4, limit);
                List<QueuedMessage> page = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        page.add(row(rs));
                    }
                }
                return page;
            }
        });
    }

    @Override
    public long lastId(String accountId, int deviceId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT COALESCE(MAX(id), 0) FROM messages WHERE account_id = ? AND device_id = ?")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public boolean delete(String accountId, int deviceId, String guid) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM messages WHERE account_id = ? AND device_id = ? AND guid = ?")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                s.setString(3, guid);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public long delete(List<QueueEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        return db.write(c -> {
            long deleted = 0;
            // By queue id where the ack's connection knew it: the primary key, one B-tree seek
            // (the device columns still scope it). By guid otherwise: a walk of the device's queue.
            try (PreparedStatement byId = c.prepareStatement(
                         "DELETE FROM messages WHERE id = ? AND account_id = ? AND device_id = ?");
                 PreparedStatement byGuid = c.prepareStatement(
                         "DELETE FROM messages WHERE account_id = ? AND device_id = ? AND guid = ?")) {
                for (QueueEntry e : entries) {
                    if (e.id() != QueueEntry.UNKNOWN_ID) {
                        byId.setLong(1, e.id());
                        byId.setString(2, e.accountId());
                        byId.setInt(3, e.deviceId());
                        deleted += byId.executeUpdate();
                    } else {
                        byGuid.setString(1, e.accountId());
                        byGuid.setInt(2, e.deviceId());
                        byGuid.setString(3, e.guid());
                        deleted += byGuid.executeUpdate();
                    }
                }
            }
            return deleted;
        });
    }

    @Override
    public void deleteAccountQueues(String accountId) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE account_id = ?")) {
                s.setString(1, accountId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void deleteDeviceQueue(String accountId, int deviceId) {
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE account_id = ? AND device_id = ?")) {
                s.setString(1, accountId);
                s.setInt(2, deviceId);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public java.util.Map<Integer, Long> countByDevice(String accountId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT device_id, COUNT(*) FROM messages WHERE account_id = ? GROUP BY device_id ORDER BY device_id")) {
                s.setString(1, accountId);
                java.util.Map<Integer, Long> out = new java.util.TreeMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), rs.getLong(2));
                    }
                }
                return out;
            }
        });
    }

    // ---- The TTL purge ----
    //
    // There is no index on expires_at (messages-expiry.sql, V71): it was one more B-tree every send
    // inserted into and every ack deleted from, to serve an hourly purge. Without it "DELETE ... WHERE
    // expires_at <= ?" walks every row, on SQLite while holding the single writer, so sends would
    // stall for the whole walk. The purge instead walks the table in key order, PURGE_CHUNK rows at a
    // time, on a read connection (which holds up no writer), and deletes each chunk's expired rows by
    // their full key in a short write transaction of its own: sends commit between chunks, and the
    // writer never scans. The walk covers every row each run, so a row is found however its TTL
    // compares to its neighbours' (a lowered TTL, envelopes of different TTLs interleaved).
    //
    // The key order is each backend's cheap one: SQLite walks the rowid (the table's own B-tree) up
    // to the highest id present when the run began; PostgreSQL walks its primary key (account_id,
    // device_id, id), which has no such bound (MAX(id) has no index there), and rows inserted during
    // the run are read but not deleted: they expire after now.

    /** Rows read per chunk, hence also the most rows one purge transaction deletes. */
    static final int PURGE_CHUNK = 500;

    @Override
    public long deleteExpired(Instant now) {
        return deleteExpired(now, PURGE_CHUNK, () -> { });
    }

    /**
     * The purge in chunks of {@code chunk} rows; {@code betweenChunks} runs after each chunk's write
     * committed and before the next read (tests use it to observe sends committing mid-purge).
     */
    long deleteExpired(Instant now, int chunk, Runnable betweenChunks) {
        long nowMs = now.toEpochMilli();
        boolean sqlite = db.dialect() == Dialect.SQLITE;
        long last = sqlite ? highestId() : Long.MAX_VALUE;
        long deleted = 0;
        // Below every key: ids are positive and '' sorts first in any collation.
        Key after = new Key("", Integer.MIN_VALUE, Long.MIN_VALUE);
        while (true) {
            ExpiredChunk found = expiredChunk(sqlite, after, last, nowMs, chunk);
            if (!found.expired().isEmpty()) {
                deleted += deleteByKeys(found.expired(), nowMs);
            }
            if (found.end() == null) {
                return deleted;
            }
            after = found.end();
            betweenChunks.run();
        }
    }

    /** A row's full key: its queue and its id in that queue. */
    private record Key(String accountId, int deviceId, long id) {}

    /** One chunk of the walk: the expired rows among those read, and the last key read (null: none read). */
    private record ExpiredChunk(List<Key> expired, Key end) {}

    private long highestId() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM messages")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static final String CHUNK_SQLITE = "SELECT account_id, device_id, id, expires_at FROM messages"
            + " WHERE id > ? AND id <= ? ORDER BY id LIMIT ?";
    private static final String CHUNK_POSTGRESQL = "SELECT account_id, device_id, id, expires_at FROM messages"
            + " WHERE (account_id, device_id, id) > (?, ?, ?) ORDER BY account_id, device_id, id LIMIT ?";

    /** Reads up to {@code chunk} rows after {@code after} in the walk's key order; no lock on writers. */
    private ExpiredChunk expiredChunk(boolean sqlite, Key after, long last, long nowMs, int chunk) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sqlite ? CHUNK_SQLITE : CHUNK_POSTGRESQL)) {
                if (sqlite) {
                    s.setLong(1, after.id());
                    s.setLong(2, last);
                    s.setInt(3, chunk);
                } else {
                    s.setString(1, after.accountId());
                    s.setInt(2, after.deviceId());
                    s.setLong(3, after.id());
                    s.setInt(4, chunk);
                }
                List<Key> expired = new ArrayList<>();
                Key end = null;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        end = new Key(rs.getString(1), rs.getInt(2), rs.getLong(3));
                        if (rs.getLong(4) <= nowMs) {
                            expired.add(end);
                        }
                    }
                }
                return new ExpiredChunk(expired, end);
            }
        });
    }

    /**
     * Deletes the rows by key (SQLite: a rowid seek; PostgreSQL: a primary-key seek) in one short
     * transaction. The expiry is checked again, so a row is deleted only if it is still expired; a
     * row acked meanwhile deletes nothing.
     */
    private long deleteByKeys(List<Key> keys, long nowMs) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM messages WHERE account_id = ? AND device_id = ? AND id = ? AND expires_at <= ?")) {
                for (Key k : keys) {
                    s.setString(1, k.accountId());
                    s.setInt(2, k.deviceId());
                    s.setLong(3, k.id());
                    s.setLong(4, nowMs);
                    s.addBatch();
                }
                long n = 0;
                for (int count : s.executeBatch()) {
                    n += Math.max(count, 0);
                }
                return n;
            }
        });
    }

    private static QueuedMessage row(ResultSet rs) throws SQLException {
        return new QueuedMessage(
                rs.getLong("id"),
                rs.getString("account_id"),
                rs.getInt("device_id"),
                rs.getString("guid"),
                rs.getString("source_account_id"),
                rs.getInt("source_device_id"),
                MessageType.fromWire(rs.getString("type")),
                rs.getBytes("content"),
                rs.getLong("client_timestamp"),
                rs.getLong("server_timestamp"),
                rs.getLong("expires_at"));
    }
}
