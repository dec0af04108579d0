// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.transparency;

import java.util.Map;

/** The policy as a plain, readable HTML page. Every value is escaped: contributors' text is data, not markup. */
final class PolicyHtml {
    private PolicyHtml() {}

    static String render(PolicyDocument policy) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Parley server data policy</title>")
                .append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;")
                .append("vertical-align:top}.off{color:#666}</style></head><body>\n");
        h.append("<h1>What this Parley server keeps</h1>\n<p>Generated from the server's configuration when it started, at ")
                .append(esc(policy.generatedAt())).append(" (policy format ").append(policy.version())
                .append("). The same content is available as JSON at <a href=\"policy\">/.well-known/parley/policy</a>.</p>\n");

        h.append("<h2>Data categories</h2>\n");
        for (DataCategory c : policy.categories()) {
            h.append("<section id=\"").append(esc(c.name())).append("\"><h3")
                    .append(c.recorded() ? "" : " class=\"off\"").append(">").append(esc(c.name()))
                    .append(c.recorded() ? "" : " (not recorded)").append("</h3>\n<p>").append(esc(c.description())).append("</p>\n");
            if (!c.fields().isEmpty()) {
                h.append("<table><tr><th>Field</th><th>Meaning</th></tr>\n");
                for (DataField f : c.fields()) {
                    h.append("<tr><td>").append(esc(f.name())).append("</td><td>").append(esc(f.description())).append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            h.append("<p><strong>Kept:</strong> ").append(esc(c.retention())).append("</p>\n");
            if (!c.readers().isEmpty()) {
                h.append("<p><strong>Who can read it:</strong></p><ul>\n");
                for (String r : c.readers()) {
                    h.append("<li>").append(esc(r)).append("</li>\n");
                }
                h.append("</ul>\n");
            }
            if (!c.notes().isEmpty()) {
                h.append("<p>").append(esc(c.notes())).append("</p>\n");
            }
            h.append("</section>\n");
        }

        h.append("<h2>Telling users about disclosures</h2>\n<ul>\n");
        for (UserNoticeStatement n : policy.userNotices()) {
            h.append("<li><strong>").append(esc(n.policy())).append("</strong>")
                    .append(n.configKey().isEmpty() ? "" : " (" + esc(n.configKey()) + ")")
                    .append(": ").append(esc(n.text())).append("</li>\n");
        }
        h.append("</ul>\n<h2>Getting a copy of your data</h2>\n<p>").append(esc(policy.subjectAccess())).append("</p>\n");

        h.append("<h2>Settings this page follows from</h2>\n<table><tr><th>Key</th><th>Value</th></tr>\n");
        for (Map.Entry<String, String> s : policy.settings().entrySet()) {
            h.append("<tr><td>").append(esc(s.getKey())).append("</td><td>").append(esc(s.getValue())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
