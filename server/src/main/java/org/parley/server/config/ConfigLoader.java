// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads configuration in layers: the commented defaults shipped as {@code parley.yaml}, then an
 * operator's file, then {@code PARLEY_*} environment variables. The defaults file is the schema:
 * a key it does not have is an error, so a misspelt setting cannot be ignored.
 *
 * <p>Sections: the layers (defaults, file, environment), merged into one tree; binding that tree
 * to {@link ServerConfig} with every rule checked, reading through {@link ConfigTree} whose errors
 * name the key, the value and the rule. Configuration holds plain values: a feature with its own vocabulary
 * (the legal register's categories) parses its section itself, so this package imports no feature.
 */
public final class ConfigLoader {
    public static final String DEFAULTS_RESOURCE = "/parley.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigLoader() {}

    /** The commented defaults file, verbatim. */
    public static String defaultsText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the defaults resource parley.yaml is missing from the build", e);
        }
    }

    // ------------------------------------------------------------------ layers: defaults, operator file, environment

    public static ServerConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = defaults();
        if (file != null) {
            JsonNode operator = readFile(file);
            merge(tree, operator, "");
        }
        EnvironmentKeys.check(tree, env);
        applyEnvironment(tree, env, "");
        return bind(tree);
    }

    public static ServerConfig defaultsOnly() {
        ServerConfig d = defaultsOnly;
        if (d == null) {
            d = bind(defaults());
            defaultsOnly = d;
        }
        return d;
    }

    /** The defaults never change; {@link ConfigTree#defaults()} is asked for by every hand-built config. */
    private static volatile ServerConfig defaultsOnly;

    private static ObjectNode defaults() {
        try {
            return (ObjectNode) YAML.readTree(defaultsText());
        } catch (IOException e) {
            throw new IllegalStateException("the defaults resource parley.yaml does not parse", e);
        }
    }

    private static JsonNode readFile(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("configuration file " + file + " does not exist or is not readable");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("configuration file " + file + " must be a YAML mapping at the top level");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Overlays {@code source} on {@code target}, refusing keys the defaults do not define. */
    private static void merge(ObjectNode target, JsonNode source, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null) {
                throw new ConfigException("unknown configuration key '" + path + "'; see parley.yaml for every key");
            }
            if (existing.isObject()) {
                if (!field.getValue().isObject()) {
                    throw new ConfigException("configuration key '" + path + "' must be a mapping");
                }
                merge((ObjectNode) existing, field.getValue(), path + ".");
            } else if (existing.isArray() && !field.getValue().isArray() && !field.getValue().isNull()) {
                throw new ConfigException("configuration key '" + path + "' must be a list");
            } else {
                target.set(field.getKey(), field.getValue().isNull() ? JsonNodeFactory.instance.textNode("") : field.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode node, Map<String, String> env, String prefix) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String path = prefix + name;
            JsonNode child = node.get(name);
            if (child.isObject()) {
                applyEnvironment((ObjectNode) child, env, path + ".");
                continue;
            }
            String value = env.get(envName(path));
            if (value == null) {
                continue;
            }
            if (child.isArray()) {
                ArrayNode list = JsonNodeFactory.instance.arrayNode();
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        list.add(item.strip());
                    }
                }
                node.set(name, list);
            } else {
                node.put(name, value);
            }
        }
    }

    /** {@code lookup-log.mode} becomes {@code PARLEY_LOOKUP_LOG_MODE}. */
    public static String envName(String path) {
        return "PARLEY_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    // ------------------------------------------------------------------ binding and validation

    private static ServerConfig bind(ObjectNode tree) {
        ConfigTree r = new ConfigTree(tree);
        String cert = r.text("server.tls.certificate");
        String key = r.text("server.tls.private-key");
        if (cert.isBlank() != key.isBlank()) {
            throw new ConfigException("server.tls.certificate and server.tls.private-key must be set together");
        }
        List<Cidr> proxies = new ArrayList<>();
        for (String p : r.list("server.trusted-proxies")) {
            proxies.add(Cidr.parse(p));
        }
        var http = new ServerConfig.Http(
                r.text("server.host"),
                r.integer("server.port", 0, 65535),
                Path.of(r.text("server.data-dir")),
                cert.isBlank() ? null : Path.of(cert),
                key.isBlank() ? null : Path.of(key),
                List.copyOf(proxies));
        if (http.host().isBlank()) {
            throw new ConfigException("server.host must name an address to bind, e.g. 127.0.0.1");
        }

        String backend = r.text("storage.backend").toLowerCase(Locale.ROOT);
        if (!List.of(ServerConfig.Storage.SQLITE, ServerConfig.Storage.POSTGRESQL).contains(backend)) {
            throw new ConfigException("storage.backend must be sqlite or postgresql; was '" + backend + "'");
        }
        String sync = r.text("storage.sqlite.synchronous").toUpperCase(Locale.ROOT);
        if (!List.of("FULL", "NORMAL").contains(sync)) {
            throw new ConfigException("storage.sqlite.synchronous must be FULL or NORMAL; was '" + sync + "'");
        }
        ServerConfig.Postgresql postgresql = postgresql(r, backend.equals(ServerConfig.Storage.POSTGRESQL));

        ServerConfig.SenderKind sender;
        try {
            sender = ServerConfig.SenderKind.valueOf(r.text("verification.sender").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("verification.sender must be auto, dev, command or smpp; was '" + r.text("verification.sender") + "'");
        }
        String command = r.text("verification.command");
        if (sender == ServerConfig.SenderKind.COMMAND && command.isBlank()) {
            throw new ConfigException("verification.sender is command but verification.command is empty");
        }
        var verification = new ServerConfig.Verification(sender, command,
                r.duration("verification.code-ttl"),
                r.integer("verification.max-attempts", 1, 100),
                r.integer("verification.max-sessions-per-hour", 1, 10_000));

        var lookupLog = new ServerConfig.LookupLog(
                LookupLogMode.parse(r.text("lookup-log.mode")),
                r.duration("lookup-log.retention"),
                r.duration("lookup-log.purge-interval"),
                writeBehind(r, "lookup-log.write-behind"));

        return new ServerConfig(http,
                new ServerConfig.Storage(backend, sync, postgresql),
                verification,
                new ServerConfig.Directory(r.integer("directory.max-distinct-handles-per-day", 1, 10_000_000)),
                lookupLog,
                new ServerConfig.Messages(r.duration("messages.ttl")),
                new ServerConfig.Delivery(r.integer("delivery.max-in-flight", 1, 100_000)),
                new ServerConfig.Audit(retention(r, "audit.retention")),
                legal(r),
                redis(r),
                r);
    }

    private static ServerConfig.Legal legal(ConfigTree r) {
        // The request types are the keys parley.yaml defines (merge refuses others); the legal
        // feature parses the names, so this package imports no feature.
        Map<String, List<String>> matrix = new LinkedHashMap<>();
        r.node("legal.categories").fieldNames().forEachRemaining(type ->
                matrix.put(type, r.list("legal.categories." + type).stream().map(String::strip).toList()));
        String notices = r.text("legal.user-notices");
        if (!List.of("give", "withhold").contains(notices)) {
            throw new ConfigException("legal.user-notices must be give or withhold; was '" + notices + "'");
        }
        return new ServerConfig.Legal(matrix, r.duration("legal.hold-duration"), r.duration("legal.hold-extension"),
                notices.equals("give"), r.integer("legal.report-band", 0, 1_000_000));
    }

    private static ServerConfig.Redis redis(ConfigTree r) {
        List<String> uris = new ArrayList<>();
        for (String u : r.list("redis.uris")) {
            String uri = u.strip();
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new ConfigException("redis.uris entries must start with redis:// or rediss://; one does not");
            }
            uris.add(uri);
        }
        String mode = r.text("redis.mode").toLowerCase(Locale.ROOT);
        if (!List.of("standalone", "cluster").contains(mode)) {
            throw new ConfigException("redis.mode must be standalone or cluster; was '" + mode + "'");
        }
        if (mode.equals("standalone") && uris.size() > 1) {
            throw new ConfigException("redis.mode standalone takes one URI in redis.uris; list several only with redis.mode cluster");
        }
        String secret = r.text("redis.key-secret");
        if (!uris.isEmpty() && secret.length() < 32) {
            throw new ConfigException("redis.key-secret must be at least 32 characters, the same on every node, when redis.uris is set"
                    + " (it keys the hashes that stand for handles in Redis)");
        }
        return new ServerConfig.Redis(List.copyOf(uris), mode.equals("cluster"), secret);
    }

    /** The {@code storage.postgresql} section; the url is required only when the backend is in use. */
    private static ServerConfig.Postgresql postgresql(ConfigTree r, boolean inUse) {
        String url = r.text("storage.postgresql.url");
        if (inUse && url.isBlank()) {
            throw new ConfigException("storage.backend is postgresql but storage.postgresql.url is empty;"
                    + " set it to e.g. jdbc:postgresql://db.example:5432/parley");
        }
        if (!url.isBlank() && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("storage.postgresql.url must be a JDBC URL starting with jdbc:postgresql:"
                    + " such as jdbc:postgresql://db.example:5432/parley");
        }
        String password = r.text("storage.postgresql.password");
        String passwordFile = r.text("storage.postgresql.password-file");
        if (!password.isEmpty() && !passwordFile.isBlank()) {
            throw new ConfigException("set at most one of storage.postgresql.password and storage.postgresql.password-file");
        }
        Duration connectTimeout = r.duration("storage.postgresql.connect-timeout");
        if (connectTimeout.toMillis() < 250) {
            throw new ConfigException("storage.postgresql.connect-timeout must be at least PT0.25S; was " + connectTimeout);
        }
        return new ServerConfig.Postgresql(url, r.text("storage.postgresql.user"), password,
                passwordFile.isBlank() ? null : Path.of(passwordFile),
                // Two at least: Flyway holds one connection for its lock while it migrates on another.
                r.integer("storage.postgresql.pool-size", 2, 1000),
                connectTimeout);
    }

    // ------------------------------------------------------------------ reading typed values only the loader needs

    /** A duration from zero (PT0S) up to ten seconds: how far the lookup log may lag its answers. */
    private static Duration writeBehind(ConfigTree r, String path) {
        String t = r.text(path);
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new ConfigException("configuration key '" + path + "' must be between PT0S and PT10S; was " + t);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException("configuration key '" + path + "' must be an ISO-8601 duration such as PT0.1S; was '" + t + "'");
        }
    }

    /**
     * A retention period: an ISO-8601 duration (PT12H, P30D) or period (P2Y, P6M, P1Y6M). Years count
     * as 366 days and months as 31, so a retention is never shorter than the calendar span it names.
     */
    private static Duration retention(ConfigTree r, String path) {
        String t = r.text(path);
        try {
            return r.duration(path);
        } catch (ConfigException notADuration) {
            Period p;
            try {
                p = Period.parse(t);
            } catch (DateTimeParseException e) {
                throw new ConfigException("configuration key '" + path + "' must be an ISO-8601 period or duration"
                        + " such as P2Y, P6M, P30D or PT12H; was '" + t + "'");
            }
            if (p.isNegative() || p.isZero()) {
                throw new ConfigException("configuration key '" + path + "' must be a positive period; was " + t);
            }
            return Duration.ofDays(p.getYears() * 366L + p.getMonths() * 31L + p.getDays());
        }
    }
}
