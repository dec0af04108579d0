// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.MessageType;
import org.parley.server.messages.QueuedMessage;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A candidate for the server's per-device queues on an embedded RocksDB, written only to measure it
 * against the SQLite store (issue 11; the server does not use it). Keys:
 * <ul>
 *   <li>{@code q <device> <id: 8 bytes big-endian>} → the envelope: one device's queue is a contiguous,
 *       ordered key range, so reading in order is one iterator and deleting an acked range is one
 *       {@code deleteRange};</li>
 *   <li>{@code g <device> <guid>} → id: what an ack by guid needs, written in the same batch.</li>
 * </ul>
 * Every write goes with {@code WriteOptions.setSync(true)}: it returns once the write-ahead log is
 * fsync'd, like SQLite's {@code synchronous=FULL}. Concurrent writers share one fsync (RocksDB's group
 * commit). Ids come from an in-memory counter, recovered at open from the last key.
 */
final class RocksQueue implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final WriteOptions sync;
    private final AtomicLong nextId;

    private RocksQueue(RocksDB db, Options options, WriteOptions sync, long lastId) {
        this.db = db;
        this.options = options;
        this.sync = sync;
        this.nextId = new AtomicLong(lastId + 1);
    }

    static RocksQueue open(Path dir) {
        Options options = new Options().setCreateIfMissing(true);
        try {
            RocksDB db = RocksDB.open(options, dir.toString());
            return new RocksQueue(db, options, new WriteOptions().setSync(true), lastId(db));
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException(e);
        }
    }

    /** The highest id of any queue: ids are global, as the SQLite store's are. */
    private static long lastId(RocksDB db) {
        long last = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {'q'}); it.isValid() && it.key()[0] == 'q'; it.next()) {
                last = Math.max(last, ByteBuffer.wrap(it.key(), it.key().length - 8, 8).getLong());
            }
        }
        return last;
    }

    /** Appends the batch in one synced write; returns the messages with their ids. */
    List<QueuedMessage> insert(List<QueuedMessage> batch) {
        List<QueuedMessage> out = new ArrayList<>(batch.size());
        try (WriteBatch wb = new WriteBatch()) {
            for (QueuedMessage m : batch) {
                long id = nextId.getAndIncrement();
                byte[] device = device(m.accountId(), m.deviceId());
                wb.put(queueKey(device, id), encode(m));
                wb.put(guidKey(device, m.guid()), ByteBuffer.allocate(8).putLong(id).array());
                out.add(new QueuedMessage(id, m.accountId(), m.deviceId(), m.guid(), m.sourceAccountId(),
                        m.sourceDeviceId(), m.type(), m.content(), m.clientTimestamp(), m.serverTimestamp(), m.expiresAt()));
            }
            db.write(sync, wb);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Up to {@code limit} messages of the device's queue after {@code afterId}, in order. */
    List<QueuedMessage> page(String accountId, int deviceId, long afterId, int limit) {
        byte[] device = device(accountId, deviceId);
        List<QueuedMessage> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(queueKey(device, afterId + 1)); it.isValid() && out.size() < limit
                    && startsWith(it.key(), device); it.next()) {
                long id = ByteBuffer.wrap(it.key(), it.key().length - 8, 8).getLong();
                out.add(decode(accountId, deviceId, id, it.value()));
            }
        }
        return out;
    }

    /** Deletes the acked messages (ids {@code fromId..toId}, their guids given) in one synced write. */
    void deleteRange(String accountId, int deviceId, long fromId, long toId, List<String> guids) {
        byte[] device = device(accountId, deviceId);
        try (WriteBatch wb = new WriteBatch()) {
            wb.deleteRange(queueKey(device, fromId), queueKey(device, toId + 1));
            for (String guid : guids) {
                wb.delete(guidKey(device, guid));
            }
            db.write(sync, wb);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many messages the device's queue holds. */
    long count(String accountId, int deviceId) {
        byte[] device = device(accountId, deviceId);
        long n = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(queueKey(device, 0)); it.isValid() && startsWith(it.key(), device); it.next()) {
                n++;
            }
        }
        return n;
    }

    private static byte[] device(String accountId, int deviceId) {
        byte[] account = accountId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(1 + account.length + 4).put((byte) 'q').put(account).putInt(deviceId).array();
    }

    private static byte[] queueKey(byte[] device, long id) {
        return ByteBuffer.allocate(device.length + 8).put(device).putLong(id).array();
    }

    private static byte[] guidKey(byte[] device, String guid) {
        byte[] g = guid.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(device.length + g.length).put(device).put(g);
        b.put(0, (byte) 'g');
        return b.array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length == prefix.length + 8 && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] encode(QueuedMessage m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.content().length + 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(m.guid());
            out.writeUTF(m.sourceAccountId());
            out.writeInt(m.sourceDeviceId());
            out.writeUTF(m.type().name());
            out.writeLong(m.clientTimestamp());
            out.writeLong(m.serverTimestamp());
            out.writeLong(m.expiresAt());
            out.writeInt(m.content().length);
            out.write(m.content());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static QueuedMessage decode(String accountId, int deviceId, long id, byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value));
            String guid = in.readUTF();
            String source = in.readUTF();
            int sourceDevice = in.readInt();
            MessageType type = MessageType.valueOf(in.readUTF());
            long client = in.readLong();
            long server = in.readLong();
            long expires = in.readLong();
            byte[] content = in.readNBytes(in.readInt());
            return new QueuedMessage(id, accountId, deviceId, guid, source, sourceDevice, type, content, client, server,
                    expires);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sync.close();
        db.close();
        options.close();
    }
}
