// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.audit.AuditFeature;
import org.parley.server.lookuplog.LookupLogFeature;
import org.parley.server.testing.LookupTestAccounts;
import org.parley.server.testing.LookupTestEnvironment;

class AdminTokenBootstrapTest {
    @TempDir
    Path dir;

    private LookupTestEnvironment env;
    private final LookupTestAccounts accounts = new LookupTestAccounts();
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void open() {
        env = new LookupTestEnvironment(dir);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void close() {
        Logger.getLogger("").removeHandler(capture);
        env.close();
    }

    private AdminFeature create() {
        return AdminFeature.create(env.ctx, LookupLogFeature.create(env.ctx, accounts).log(), accounts,
                AuditFeature.create(env.ctx));
    }

    private Path tokenFile() {
        return dir.resolve("admin.token");
    }

    private List<byte[]> storedHashes() {
        return env.database.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT token_hash, role, name FROM operator_tokens")) {
                List<byte[]> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                    assertEquals("admin", rs.getString(2));
                    assertEquals("admin", rs.getString(3));
                }
                return out;
            }
        });
    }

    @Test
    void create_firstStart_writesAPrivateTokenFileAndStoresOnlyItsHash() throws Exception {
        create();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile())));
        String token = Files.readString(tokenFile()).strip();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes as base64url without padding");
        List<byte[]> hashes = storedHashes();
        assertEquals(1, hashes.size());
        assertArrayEquals(TokenHashing.sha256(token), hashes.getFirst());
        assertFalse(Files.exists(dir.resolve("admin.token.tmp")));
    }

    @Test
    void create_firstStart_neverPrintsOrLogsTheToken() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream capturePrinted = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capturePrinted);
            System.setErr(capturePrinted);
            create();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String token = Files.readString(tokenFile()).strip();

        assertFalse(printed.toString(StandardCharsets.UTF_8).contains(token));
        synchronized (logged) {
            assertFalse(logged.isEmpty(), "the creation is announced (without the token)");
            for (LogRecord r : logged) {
                assertFalse(String.valueOf(r.getMessage()).contains(token));
            }
        }
    }

    @Test
    void create_secondStart_keepsTheExistingToken() throws Exception {
        create();
        String first = Files.readString(tokenFile());
        create();

        assertEquals(first, Files.readString(tokenFile()));
        assertEquals(1, storedHashes().size());
    }

    @Test
    void create_tokenRegisteredButFileGone_warnsAndDoesNotRegenerate() throws Exception {
        create();
        byte[] hash = storedHashes().getFirst();
        Files.delete(tokenFile());
        synchronized (logged) {
            logged.clear();
        }

        create();

        assertFalse(Files.exists(tokenFile()));
        assertEquals(1, storedHashes().size());
        assertArrayEquals(hash, storedHashes().getFirst());
        synchronized (logged) {
            assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                    && r.getMessage().contains(tokenFile().toString())
                    && r.getMessage().contains("parley admin token create")
                    && r.getMessage().contains("DELETE FROM operator_tokens")), "a warning names the file and the fixes");
        }
    }

    @Test
    void create_staleFileWithoutRegisteredToken_replacesItPrivately() throws Exception {
        Files.writeString(tokenFile(), "stale\n");
        Files.setPosixFilePermissions(tokenFile(), PosixFilePermissions.fromString("rw-r--r--"));

        create();

        String token = Files.readString(tokenFile()).strip();
        assertNotEquals("stale", token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile())));
        assertArrayEquals(TokenHashing.sha256(token), storedHashes().getFirst());
    }
}
