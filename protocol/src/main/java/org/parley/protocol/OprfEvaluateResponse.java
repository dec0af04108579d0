// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.protocol;

import java.util.List;

/** The evaluated elements (base64), in request order, the key that made them and its current bucket prefix length. */
public record OprfEvaluateResponse(String keyId, List<String> evaluatedElements, int prefixBits) {}
