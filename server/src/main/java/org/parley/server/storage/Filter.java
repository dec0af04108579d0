// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A query whose WHERE clause has only the conditions whose values are given: the log reads filter by any
 * of handle, requester and time range, and a null value means "any". Values are always bound as
 * parameters, never written into the SQL; column names come from the caller's code, never from input.
 */
public final class Filter {
    private final StringBuilder sql;
    private final List<Object> args = new ArrayList<>();

    /** {@code select} ends before its WHERE clause ({@code SELECT ... FROM table}). */
    public Filter(String select) {
        this.sql = new StringBuilder(select).append(" WHERE 1 = 1");
    }

    /** {@code column = value}, when value is not null. */
    public Filter equal(String column, Object value) {
        return condition(column + " = ?", value);
    }

    /** {@code column >= value}, when value is not null. */
    public Filter atLeast(String column, Object value) {
        return condition(column + " >= ?", value);
    }

    /** {@code column < value}, when value is not null. */
    public Filter below(String column, Object value) {
        return condition(column + " < ?", value);
    }

    private Filter condition(String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
        return this;
    }

    /** Prepares the query with {@code tail} appended ({@code ORDER BY ... LIMIT ?}) and binds every value. */
    public PreparedStatement prepare(Connection c, String tail, Object... tailArgs) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql + " " + tail);
        int i = 1;
        for (Object arg : args) {
            s.setObject(i++, arg);
        }
        for (Object arg : tailArgs) {
            s.setObject(i++, arg);
        }
        return s;
    }
}
