// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.server.config.ServerConfig;
import org.parley.server.transparency.DataCategory;
import org.parley.server.transparency.DataField;
import org.parley.server.transparency.PolicyContributor;
import org.parley.server.transparency.Retention;

/** The accounts feature's part of the published policy: accounts, handles, devices, verification. */
final class AccountsPolicy implements PolicyContributor {
    private static final String OWNER = "the account owner, through GET /v1/me/data";
    private static final String HOST = "whoever operates the server host (the database file in server.data-dir)";

    private final ServerConfig config;

    AccountsPolicy(ServerConfig config) {
        this.config = config;
    }

    @Override
    public List<DataCategory> categories() {
        var v = config.verification();
        List<DataCategory> out = new ArrayList<>();
        out.add(DataCategory.of("accounts", "One row per account: its random identifier and when it was created.",
                List.of(new DataField("account_id", "random identifier (UUID)"),
                        new DataField("created_at", "when the account was created")),
                "while the account exists: DELETE /v1/accounts/me (parley account delete) deletes it with its"
                        + " handle, devices, keys and queued envelopes at once",
                List.of(OWNER, HOST), ""));
        out.add(DataCategory.of("handles", "The phone number or email address that names an account.",
                List.of(new DataField("handle", "normalised phone number (E.164) or email address"),
                        new DataField("account_id", "the account it names"),
                        new DataField("created_at", "when it was registered")),
                "while the account exists; once the account is deleted the handle is free to register again",
                List.of(OWNER, "any registered device, one handle at a time, through the capability lookup"
                        + " (limited to directory.max-distinct-handles-per-day distinct handles per account and day)",
                        "operators with role admin, beside lookup-log entries (GET /v1/admin/lookup-log)", HOST),
                "Re-registering a handle (proving a new code for it) keeps its account and replaces all its"
                        + " devices: their keys and every envelope still queued for them are deleted undelivered and"
                        + " cannot be recovered, their connections are closed, and contacts see a new identity key."
                        + " Senders are not told."));
        out.add(DataCategory.of("devices", "Each device of an account, for authentication and end-to-end encryption.",
                List.of(new DataField("device_id", "1 for the primary device, 2.." + org.parley.protocol.Limits.MAX_DEVICES_PER_ACCOUNT
                                + " for linked devices"),
                        new DataField("registration_id", "libsignal registration id"),
                        new DataField("password_salt, password_hash", "SHA-256 of a random per-device password; the password is never stored"),
                        new DataField("identity_key", "the device's public identity key"),
                        new DataField("created_at", "when the device registered"),
                        new DataField("last_seen_day", "the last UTC day the device authenticated; no finer activity data is kept")),
                "while the account exists; replaced and removed (unlinked) devices are deleted with their keys and"
                        + " queued envelopes",
                List.of(OWNER + " (days only)", "other users' devices see registration id and identity key when"
                        + " they fetch keys to start a session", HOST), ""));
        out.add(DataCategory.of("provisioning-codes", "One-use codes with which a new device joins an account"
                        + " (parley device link / add). The code reaches the new device end-to-end encrypted; the"
                        + " server learns only that the account is adding a device.",
                List.of(new DataField("code_hash", "SHA-256 of the code; the code itself is never stored"),
                        new DataField("account_id, issued_by", "the account and the device that asked for the code"),
                        new DataField("created_at, expires_at", "when the code was issued and expires")),
                "until used (deleted then) or " + Retention.iso(java.time.Duration.ofMinutes(10))
                        + " after issue (expired codes are purged)",
                List.of(HOST), "At most 5 unused codes per account."));
        out.add(DataCategory.of("retained-accounts", "What a legal preservation hold keeps of an account its owner"
                        + " deleted while the hold named it (docs/legal.md). Nothing is kept without an active hold.",
                List.of(new DataField("account_id, handle", "the deleted account and its handle, so the lookups it made"
                                + " that the hold keeps can still be found by handle"),
                        new DataField("deleted_at", "when the owner deleted the account"),
                        new DataField("account_created_at, handle_created_at, devices' created_at and last_seen_day",
                                "only while a hold covers subscriber records")),
                "until no active hold names the account (released, or expired after legal.hold-duration, extended"
                        + " at most once); the purge then deletes it, and the dates as soon as no hold covers"
                        + " subscriber records",
                List.of("operators with role admin or legal-reviewer, in a disclosure package for a legal request"
                        + " about the handle", HOST),
                "The handle itself is not reserved: it can register again at once, and lookups of it say it is"
                        + " not on Parley. The owner is not told that a hold kept anything."));
        out.add(DataCategory.of("verification-sessions", "One-time code challenges sent to a handle before registration.",
                List.of(new DataField("session_id", "random identifier"),
                        new DataField("handle", "the handle the code was sent to"),
                        new DataField("code_salt, code_hash", "SHA-256 of the code; the code itself is never stored"),
                        new DataField("created_at, expires_at", "when the code was issued and expires"),
                        new DataField("attempts, consumed_at", "wrong guesses so far and when it was used")),
                Retention.iso(v.codeTtl()) + " (verification.code-ttl) plus up to PT1H: rows are kept until the"
                        + " per-handle rate-limit window of one hour has passed, then purged",
                List.of(HOST), "Limited to verification.max-sessions-per-hour (" + v.maxSessionsPerHour()
                        + ") sessions per handle and hour."));
        if (devSenderActive()) {
            out.add(DataCategory.of("development-codes", "The development verification sender writes each code"
                            + " to a file so a developer can read it; active because the server listens on loopback only"
                            + " or verification.sender is dev.",
                    List.of(new DataField("<data-dir>/dev-codes/<handle>", "the latest code sent to that handle")),
                    "until the next code for the same handle overwrites it; not purged",
                    List.of(HOST), "Never active on a server reachable from other machines."));
        }
        return out;
    }

    private boolean devSenderActive() {
        var sender = config.verification().sender();
        return sender == ServerConfig.SenderKind.DEV
                || (sender == ServerConfig.SenderKind.AUTO && config.http().loopbackOnly());
    }

    @Override
    public Map<String, String> settings() {
        var v = config.verification();
        return Map.of("verification.code-ttl", Retention.iso(v.codeTtl()),
                "verification.sender", v.sender().name().toLowerCase(java.util.Locale.ROOT),
                "verification.max-sessions-per-hour", Integer.toString(v.maxSessionsPerHour()),
                "directory.max-distinct-handles-per-day", Integer.toString(config.directory().maxDistinctHandlesPerDay()));
    }
}
