// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.client;

/**
 * Whether a send tells the server who sends it (docs/privacy.md, "Sealed sender").
 *
 * <ul>
 *   <li>{@link #AUTO} (the default): sealed when we hold the recipient's access key (they sent us a
 *       message before), else identified; a refused key (401) is forgotten and the send goes identified.</li>
 *   <li>{@link #SEALED}: sealed or not at all.</li>
 *   <li>{@link #IDENTIFIED}: never sealed.</li>
 * </ul>
 */
public enum SendMode { AUTO, SEALED, IDENTIFIED }
