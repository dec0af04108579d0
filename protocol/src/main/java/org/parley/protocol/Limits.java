// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/** Protocol limits shared by server and client, so both sides refuse the same inputs. */
public final class Limits {
    /** One ciphertext, decoded. */
    public static final int MAX_CIPHERTEXT_BYTES = 256 * 1024;
    /** A whole request body: up to 6 recipient plus 5 sync ciphertexts at base64 size, with room to spare. */
    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    public static final int MAX_HANDLES_PER_LOOKUP = 100;
    public static final int MAX_KEYS_PER_UPLOAD = 100;
    /** A primary device and up to five more. */
    public static final int MAX_DEVICES_PER_ACCOUNT = 6;
    public static final int MIN_PASSWORD_CHARS = 22;
    public static final int MAX_PASSWORD_CHARS = 128;
    /** Curve25519 public keys serialise as a type byte plus 32 bytes; Kyber-1024 keys as a type byte plus 1568. */
    public static final int MAX_PUBLIC_KEY_BYTES = 2048;
    public static final int MAX_SIGNATURE_BYTES = 128;
    /**
     * One PATCH of an attachment upload: exactly this many bytes except the last. It is both the
     * request body limit above and S3's smallest multipart part, so every PATCH is one S3 part.
     */
    public static final int ATTACHMENT_CHUNK_BYTES = MAX_BODY_BYTES;

    private Limits() {}
}
