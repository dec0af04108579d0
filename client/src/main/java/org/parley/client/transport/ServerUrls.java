// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client.transport;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds endpoint URIs under a server base URL, which may carry a path prefix (a reverse proxy's). */
public final class ServerUrls {
    private ServerUrls() {}

    /** Checks a user-supplied server URL: http or https, a host, no query. Returns it without a trailing slash. */
    public static URI normalize(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("the server URL must be http:// or https:// with a host, e.g. https://parley.example.org");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the server URL must not have a query or fragment");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /**
     * Checks a list of server URLs (each may itself be a comma-separated list) and returns them normalised,
     * in order, without repeats. At least one is required.
     */
    public static List<URI> normalizeAll(List<String> urls) {
        List<URI> result = new ArrayList<>();
        for (String entry : urls) {
            for (String url : entry.split(",")) {
                if (url.isBlank()) {
                    continue;
                }
                URI uri = normalize(url);
                if (!result.contains(uri)) {
                    result.add(uri);
                }
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("at least one server URL is needed, e.g. https://parley.example.org");
        }
        return List.copyOf(result);
    }

    static URI http(URI base, String path) {
        return URI.create(stripSlash(base) + path);
    }

    static URI websocket(URI base, String path) {
        String text = stripSlash(base);
        if (text.startsWith("https:")) {
            text = "wss:" + text.substring("https:".length());
        } else if (text.startsWith("http:")) {
            text = "ws:" + text.substring("http:".length());
        }
        return URI.create(text + path);
    }

    /** One path segment, percent-encoded: {@code +} must not reach the server as a space. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
