// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import org.parley.client.ParleyClient;
import org.parley.protocol.MyData;
import picocli.CommandLine.Command;

/**
 * {@code parley account export}: everything the server holds about this account
 * ({@code GET /v1/me/data}), as readable text or, with {@code --json}, the server's record as one line.
 */
@Command(name = "export", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1,
        description = "Show everything the server holds about your account (handles, devices, your lookups,"
                + " queued envelopes, disclosures).")
public final class AccountExportCommand extends UserCommand {
    @Override
    int run(ParleyClient client) {
        MyData data = client.myData();
        if (json()) {
            printJson(data);
            return OK;
        }
        printLine("Account " + data.accountId() + ", created " + data.accountCreated()
                + " (as of " + data.generatedAt() + ")");
        printLine("Handles: " + String.join(", ", data.handles()));
        printLine("Devices:");
        for (MyData.Device d : data.devices()) {
            printLine("  device " + d.deviceId() + ": registered " + d.created() + ", last seen " + d.lastSeen()
                    + ", one-time prekeys " + d.preKeys() + " ec / " + d.pqPreKeys() + " kyber, queued envelopes "
                    + d.queuedEnvelopes());
        }
        printLine("Queued envelopes: " + data.queuedEnvelopes());
        printLine("Your lookups (lookup-log mode " + data.lookupLog().mode() + ", kept " + data.lookupLog().retention()
                + "): " + data.lookups().size() + (data.lookupsComplete() ? "" : " (more exist; showing the oldest)"));
        for (MyData.Lookup l : data.lookups()) {
            printLine("  " + l.time() + "  device " + l.deviceId() + "  " + l.queriedHandle() + "  "
                    + (l.route() == null ? "-" : l.route().wire()) + (l.clientIp() == null ? "" : "  " + l.clientIp()));
        }
        printLine("Your private lookups (the bucket each fetched; the server never learned the handle): "
                + data.privateLookups().size());
        for (MyData.PrivateLookup l : data.privateLookups()) {
            printLine("  " + l.time() + "  device " + l.deviceId() + "  bucket " + l.keyId() + "/" + l.prefixBits()
                    + "/" + l.bucket() + (l.clientIp() == null ? "" : "  " + l.clientIp()));
        }
        printLine("Sealed sender: " + (data.sealedSender() == null || !data.sealedSender().accessKeySet()
                ? "no access key set (no sealed messages accepted)"
                : "access key set" + (data.sealedSender().unrestricted() ? ", unrestricted (anyone may send sealed)" : "")));
        printLine("Disclosures about you: " + (data.disclosures().isEmpty() ? "none" : data.disclosures().size()));
        for (MyData.Disclosure d : data.disclosures()) {
            printLine("  " + d.date() + "  " + d.type() + "  " + String.join(", ", d.categories()));
        }
        return OK;
    }
}
