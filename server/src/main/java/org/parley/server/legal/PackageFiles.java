// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.server.accounts.SubscriberRecords.Device;
import org.parley.server.accounts.SubscriberRecords.Subscriber;
import org.parley.server.lookuplog.LookupLog.LoggedLookup;

/**
 * The JSON and CSV files of each category. The requester of a lookup is shown by account id and
 * device as the log stores it, never resolved to a handle: who that account is would be another
 * person's subscriber record, which needs its own request.
 */
final class PackageFiles {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PackageFiles() {}

    /** File name to content, in a fixed order: JSON then CSV for each category asked for. */
    static Map<String, byte[]> forCategories(Disclosure d) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (LegalCategory c : LegalCategory.values()) {
            if (!d.categories().contains(c)) {
                continue;
            }
            List<Map<String, Object>> rows = switch (c) {
                case SUBSCRIBER -> subscriberRows(d.subscribers());
                case LOOKUP_LOG_BY_TARGET -> lookupRows(d.lookupsByTarget());
                case LOOKUP_LOG_OF_TARGET -> lookupRows(d.lookupsOfTarget());
            };
            Object json = c == LegalCategory.SUBSCRIBER ? subscriberJson(d.subscribers()) : rows;
            files.put(c.wire() + ".json", json(json));
            files.put(c.wire() + ".csv", csv(c == LegalCategory.SUBSCRIBER ? SUBSCRIBER_COLUMNS : LOOKUP_COLUMNS, rows));
        }
        return files;
    }

    private static final List<String> SUBSCRIBER_COLUMNS = List.of("handle", "accountId", "accountCreated",
            "handleCreated", "deviceId", "deviceCreated", "deviceLastSeen");
    private static final List<String> LOOKUP_COLUMNS = List.of("id", "time", "requesterAccountId",
            "requesterDeviceId", "queriedHandle", "route", "clientIp", "kind", "bucketKeyId", "bucketPrefixBits",
            "bucket");

    private static List<Map<String, Object>> subscriberJson(List<Subscriber> subscribers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Subscriber s : subscribers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handle", s.handle());
            m.put("accountId", s.accountId());
            m.put("accountCreated", s.accountCreated().toString());
            m.put("handleCreated", s.handleCreated().toString());
            List<Map<String, Object>> devices = new ArrayList<>();
            for (Device d : s.devices()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("deviceId", d.deviceId());
                dm.put("created", d.created().toString());
                dm.put("lastSeen", d.lastSeen().toString());
                devices.add(dm);
            }
            m.put("devices", devices);
            out.add(m);
        }
        return out;
    }

    /** One CSV row per device (an account without devices still gets one row). */
    private static List<Map<String, Object>> subscriberRows(List<Subscriber> subscribers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Subscriber s : subscribers) {
            List<Device> devices = s.devices().isEmpty() ? java.util.Collections.singletonList(null) : s.devices();
            for (Device d : devices) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("handle", s.handle());
                m.put("accountId", s.accountId());
                m.put("accountCreated", s.accountCreated().toString());
                m.put("handleCreated", s.handleCreated().toString());
                m.put("deviceId", d == null ? null : d.deviceId());
                m.put("deviceCreated", d == null ? null : d.created().toString());
                m.put("deviceLastSeen", d == null ? null : d.lastSeen().toString());
                out.add(m);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> lookupRows(List<LoggedLookup> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoggedLookup e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("time", Instant.ofEpochMilli(e.timeMs()).toString());
            m.put("requesterAccountId", e.requesterAccountId());
            m.put("requesterDeviceId", e.requesterDeviceId());
            // A private lookup's bucket fetch has no handle and no answer: the server never learned them.
            m.put("queriedHandle", e.queriedHandle());
            m.put("route", e.route() == null ? null : e.route().wire());
            m.put("clientIp", e.clientIp());
            m.put("kind", e.kind().wire());
            m.put("bucketKeyId", e.bucket() == null ? null : e.bucket().keyId());
            m.put("bucketPrefixBits", e.bucket() == null ? null : e.bucket().prefixBits());
            m.put("bucket", e.bucket() == null ? null : e.bucket().prefix());
            out.add(m);
        }
        return out;
    }

    static byte[] json(Object value) {
        try {
            return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a package file", e);
        }
    }

    /** RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled. */
    static byte[] csv(List<String> columns, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns)).append("\r\n");
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                Object v = row.get(column);
                cells.add(cell(v == null ? "" : v.toString()));
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
