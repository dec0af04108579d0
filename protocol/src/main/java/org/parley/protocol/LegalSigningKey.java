// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

/**
 * {@code GET /.well-known/parley/legal-signing-key}: the Ed25519 public key that signs disclosure
 * packages, as a PEM SubjectPublicKeyInfo, and the SHA-256 (hex) of its DER encoding.
 */
public record LegalSigningKey(String algorithm, String publicKeyPem, String sha256) {}
