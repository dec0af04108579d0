// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sealedsender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.parley.server.config.ConfigException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;

/**
 * The sealed-sender trust root: the key pair whose public half clients pin and whose private half
 * signs the server certificates. It lives in {@code <data dir>/sealed-sender-root.key} (the 32-byte
 * private key, mode 0600), generated on the first start. Every node of a deployment must hold the
 * same file (copy it when adding a node); losing it means every client must pin a new root.
 */
final class TrustRoot {
    static final String FILE_NAME = "sealed-sender-root.key";
    private static final System.Logger LOG = System.getLogger(TrustRoot.class.getName());

    private TrustRoot() {}

    /** Reads the root from {@code dataDir}, creating it when absent. */
    static ECKeyPair loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                ECPrivateKey key = new ECPrivateKey(Files.readAllBytes(file));
                return new ECKeyPair(key.publicKey(), key);
            }
            ECKeyPair created = ECKeyPair.generate();
            writePrivately(file, created.getPrivateKey().serialize());
            LOG.log(System.Logger.Level.INFO, "Created the sealed-sender trust root in " + file
                    + "; every node of this deployment needs the same file.");
            return created;
        } catch (InvalidKeyException e) {
            throw new ConfigException(file + " is not a sealed-sender trust root key (" + e.getMessage()
                    + "); restore it from a backup, or delete it to make a new root that every client must pin again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the file 0600 from the start (a temporary sibling, then an atomic rename). */
    private static void writePrivately(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
