// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.client.KeyStatus;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;

/**
 * {@code parley keys status}: the signed prekey's age (the next send or receive replaces it once it is
 * two days old) and the one-time prekeys the server has left (topped up to 100 below 20).
 */
@Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show the signed prekey's age and how many one-time prekeys the server has left.")
public final class KeysStatusCommand extends UserCommand {
    @Override
    int run(ParleyClient client) {
        KeyStatus s = client.keyStatus();
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("signedPreKeyId", s.signedPreKeyId());
            out.put("signedPreKeyCreatedAt", s.signedPreKeyCreatedAt().toString());
            out.put("signedPreKeyAgeSeconds", s.signedPreKeyAge().toSeconds());
            out.put("rotationIntervalSeconds", s.rotationInterval().toSeconds());
            out.put("replacedKeysKept", s.replacedKeysKept());
            out.put("preKeysOnServer", s.preKeysOnServer());
            out.put("pqPreKeysOnServer", s.pqPreKeysOnServer());
            printJson(out);
        } else {
            printLine("signed prekey " + s.signedPreKeyId() + ": made " + s.signedPreKeyCreatedAt() + ", "
                    + human(s.signedPreKeyAge()) + " old (replaced at " + human(s.rotationInterval())
                    + " by the next send or receive)");
            printLine("replaced keys kept for late messages: " + s.replacedKeysKept() + " (each for "
                    + human(s.gracePeriod()) + ")");
            printLine("one-time prekeys on the server: " + s.preKeysOnServer() + " Curve25519, "
                    + s.pqPreKeysOnServer() + " Kyber");
        }
        return OK;
    }

    private static String human(java.time.Duration d) {
        if (d.toDays() >= 1) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() + " min";
    }
}
