// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.parley.server.audit.AuditLog;

/**
 * Creates the operator token at first start. The token goes to {@code <data-dir>/admin.token}
 * (mode 0600 from the moment the file exists) and only its SHA-256 goes to the database. The token
 * is never printed or logged: whoever can read the data directory is the operator.
 *
 * <p>When a token is registered but its file is gone, nothing is regenerated silently (that would
 * hand a fresh credential to whoever deleted the file); a warning explains how to get a new one.
 */
final class AdminTokenBootstrap {
    static final String FILE_NAME = "admin.token";
    static final String BOOTSTRAP_NAME = "admin";
    private static final int TOKEN_BYTES = 32;
    private static final System.Logger LOG = System.getLogger(AdminTokenBootstrap.class.getName());

    private final OperatorTokenStore store;
    private final Path dataDir;
    private final SecureRandom random;
    private final Clock clock;
    private final AuditLog audit;

    AdminTokenBootstrap(OperatorTokenStore store, Path dataDir, SecureRandom random, Clock clock, AuditLog audit) {
        this.store = store;
        this.dataDir = dataDir;
        this.random = random;
        this.clock = clock;
        this.audit = audit;
    }

    Path tokenFile() {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Creates the bootstrap token if no operator token exists; says how to get one if a token exists
     * but this node has no file. Check and insert run under one lock, so of several nodes starting
     * at once against one empty PostgreSQL database exactly one creates the token (and writes the
     * file); the others find it and start normally.
     */
    void ensureToken() {
        Path file = tokenFile();
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        boolean created = store.whileFirstTokenLocked(() -> {
            if (store.hasAny()) {
                return false;
            }
            // File first, row second: if the insert fails the table stays empty and the next start
            // simply replaces the file, whereas a row without a file would need a new token. Should
            // the transaction be run again (a PostgreSQL conflict), the same token is rewritten.
            writePrivately(file, token + "\n");
            store.insert(new OperatorTokenStore.StoredToken(BOOTSTRAP_NAME, TokenHashing.sha256(token), OperatorRole.ADMIN),
                    clock.millis());
            audit.append(AuditLog.SYSTEM, "token.create", Map.of("name", BOOTSTRAP_NAME, "role", OperatorRole.ADMIN.wire(),
                    "file", FILE_NAME));
            return true;
        });
        if (created) {
            LOG.log(System.Logger.Level.INFO, "Created the operator token in " + file
                    + "; send it as 'Authorization: Bearer <token>' to /v1/admin endpoints.");
        } else if (!Files.exists(file)) {
            // Expected on every node of a multi-node deployment but the one that created the token,
            // and after the file was deleted: never mint a credential silently for whoever removed it.
            LOG.log(System.Logger.Level.WARNING, "An operator token is registered but this node has no token file "
                    + file + " (another node created it, or the file was deleted); the server does not create one"
                    + " by itself. To issue a token, run on a host with this server's configuration: parley admin"
                    + " token create --name NAME --role admin --out FILE (and parley admin token revoke admin"
                    + " if the old file is lost). For a single SQLite server that should start over instead: stop it, run"
                    + " DELETE FROM operator_tokens WHERE name = '" + BOOTSTRAP_NAME + "' on the database in "
                    + dataDir + " and start it again; it then writes a fresh " + file + ".");
        }
    }

    /**
     * Writes {@code content} to {@code target} readable by the owner only. The temporary file is
     * created with 0600 in the same call that creates it (O_CREAT|O_EXCL with the mode), so there
     * is no moment when it is world-readable, and it is then renamed over the target atomically.
     */
    private static void writePrivately(Path target, String content) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(tmp);
            if (supportsPosix(target.getParent())) {
                Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                // Non-POSIX file systems (Windows) have no mode bits; the data directory's ACL applies.
                Files.createFile(tmp);
                LOG.log(System.Logger.Level.WARNING, "The file system of " + target.getParent()
                        + " has no POSIX permissions; make sure only the server's user can read " + target + ".");
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator token file " + target + ": " + e.getMessage(), e);
        }
    }

    private static boolean supportsPosix(Path dir) throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView("posix");
    }
}
