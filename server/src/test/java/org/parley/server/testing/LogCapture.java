// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the java.util.logging records (where System.Logger and Helidon log to) at or above a
 * level, from every logger, while open. The server logs from connection threads, so a test reads
 * {@link #records()} only after the exchange it checks has been answered.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture(Level level) {
        setLevel(level);
        root.addHandler(this);
    }

    public static LogCapture atLeast(Level level) {
        return new LogCapture(level);
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** One line per record: level, logger, message and the thrown exception's class, for assertion messages. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (LogRecord r : records) {
            out.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(r.getMessage());
            if (r.getThrown() != null) {
                out.append(" [").append(r.getThrown()).append(']');
            }
            out.append('\n');
        }
        return out.toString();
    }

    public void clear() {
        records.clear();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
