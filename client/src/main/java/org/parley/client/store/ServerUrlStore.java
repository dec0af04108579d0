// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.store;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The server URLs of this home in the order they are tried: several nodes of one deployment, or a single
 * load balancer. Homes registered before the list existed have none stored; the account's URL stands alone.
 */
public final class ServerUrlStore {
    private final StateDatabase db;

    public ServerUrlStore(StateDatabase db) {
        this.db = db;
    }

    public List<URI> load() {
        return db.sql(c -> {
            try (PreparedStatement ps = db.prepare("SELECT url FROM server_urls ORDER BY position");
                    ResultSet rs = ps.executeQuery()) {
                List<URI> urls = new ArrayList<>();
                while (rs.next()) {
                    urls.add(URI.create(rs.getString(1)));
                }
                return urls;
            }
        });
    }

    /** Replaces the list. */
    public void save(List<URI> urls) {
        db.update(c -> {
            try (PreparedStatement delete = db.prepare("DELETE FROM server_urls")) {
                delete.executeUpdate();
            }
            try (PreparedStatement insert = db.prepare("INSERT INTO server_urls (position, url) VALUES (?, ?)")) {
                for (int i = 0; i < urls.size(); i++) {
                    insert.setInt(1, i);
                    insert.setString(2, urls.get(i).toString());
                    insert.executeUpdate();
                }
            }
        });
    }
}
