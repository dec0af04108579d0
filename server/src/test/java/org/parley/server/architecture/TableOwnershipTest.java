// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table belongs to the feature whose schema file creates it, and only that feature's code
 * names it in SQL: another feature asks the owner (as re-registration asks the messages feature to
 * empty the replaced devices' queues, instead of {@code DELETE FROM messages} in the accounts store).
 * Bytecode does not show SQL text, so this reads the sources.
 */
class TableOwnershipTest {
    private static final Path SOURCES = Path.of("src/main/java/org/parley/server");
    private static final Path SCHEMA = Path.of("src/main/resources/db/sqlite");
    /** Schema files named otherwise than their feature. */
    private static final Map<String, String> FILE_OWNER = Map.of("holds", "legal", "legal-order", "legal", "devices", "accounts", "account-deletion", "accounts",
            "admin-revocation", "admin");
    /**
     * The reads of another feature's table that stay, each because it must run in the same
     * statement or transaction as the owner's write; each names why. Anything else fails.
     */
    private static final Set<String> ALLOWED = Set.of(
            // Key uploads lock the device row (FOR KEY SHARE) so that a re-registration cannot delete
            // the device between the check and the insert: the lock must be in the upload's transaction.
            "keys/JdbcKeyStore.java reads devices (accounts)",
            // The purge keeps held rows with NOT EXISTS in the DELETE itself, so a hold placed before
            // the purge's transaction can never lose a row to it (docs/legal.md, holds).
            "lookuplog/JdbcLookupLogStore.java reads preservation_holds (legal)",
            // The same for the private lookup's bucket fetches: a hold on lookups by an account keeps them too.
            "privatelookup/JdbcPrivateLookupStore.java reads preservation_holds (legal)");
    private static final Pattern CREATE = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)");

    @Test
    void sql_namingAnotherFeaturesTable_onlyTheDocumentedReads() throws IOException {
        Map<String, String> owner = owners();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String feature = SOURCES.relativize(file).getName(0).toString();
                String code = stripComments(Files.readString(file));
                for (Map.Entry<String, String> table : owner.entrySet()) {
                    Pattern use = Pattern.compile("(?i)\\b(FROM|INTO|UPDATE|JOIN)\\s+" + table.getKey() + "\\b");
                    if (!table.getValue().equals(feature) && use.matcher(code).find()) {
                        found.add(SOURCES.relativize(file) + " reads " + table.getKey() + " (" + table.getValue() + ")");
                    }
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(ALLOWED), new java.util.TreeSet<>(found),
                "SQL naming another feature's table; ask the owning feature through an interface instead");
    }

    private static Map<String, String> owners() throws IOException {
        Map<String, String> owner = new TreeMap<>();
        try (Stream<Path> files = Files.list(SCHEMA)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replace(".sql", "");
                Matcher m = CREATE.matcher(Files.readString(file));
                while (m.find()) {
                    owner.put(m.group(1), FILE_OWNER.getOrDefault(name, name));
                }
            }
        }
        return owner;
    }

    /** Comments and messages may name a table ("DELETE FROM operator_tokens" in an instruction). */
    private static String stripComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}
