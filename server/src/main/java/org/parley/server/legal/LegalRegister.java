// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.legal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.protocol.ErrorResponse;
import org.parley.server.accounts.Accounts;
import org.parley.server.admin.Operator;
import org.parley.server.audit.AuditLog;
import org.parley.server.config.ServerConfig;
import org.parley.server.storage.Database;
import org.parley.server.errors.Forbidden;
import org.parley.server.errors.InvalidRequest;
import org.parley.server.errors.InvalidState;
import org.parley.server.errors.NotFound;
import org.parley.server.errors.OutsidePolicy;

/**
 * The legal request register: intake against the policy matrix, the two-person approval,
 * preservation holds, production of signed packages, and what users and the public may see of it.
 * Every change commits in one transaction with its audit entry (the audit log joins the caller's
 * write), so no action is ever recorded without its entry or the other way round; every read of
 * user data is audited before it happens.
 * Role checks happen on the routes ({@link LegalHandlers}); the rules that depend on the request
 * (who registered it, its status) happen here, and refusals are domain exceptions
 * ({@code InvalidState}, {@code Forbidden}, {@code OutsidePolicy}) that the edge maps to statuses.
 *
 * <p>Sections follow a request's life: intake, the two-person review, holds, production, and what
 * users (notices) and the public (the signing key) see.
 */
final class LegalRegister {
    private final Database database;
    private final LegalStore store;
    private final LegalMatrix matrix;
    private final ServerConfig config;
    private final DisclosureCollector collector;
    private final SigningKey key;
    private final PackageVault vault;
    private final AuditLog audit;
    private final Accounts accounts;
    private final Clock clock;
    private final ReentrantLock productions = new ReentrantLock();

    LegalRegister(Database database, LegalStore store, LegalMatrix matrix, ServerConfig config,
                  DisclosureCollector collector, SigningKey key, PackageVault vault, AuditLog audit, Accounts accounts,
                  Clock clock) {
        this.database = database;
        this.store = store;
        this.matrix = matrix;
        this.config = config;
        this.collector = collector;
        this.key = key;
        this.vault = vault;
        this.audit = audit;
        this.accounts = accounts;
        this.clock = clock;
    }


    // ------------------------------------------------------------------ intake and reading the register

    /**
     * Registers a request. One the matrix refuses is stored as rejected with the reason, and the
     * caller gets a 422 naming it. A preservation request places its holds at once: freezing data
     * discloses nothing, and waiting for a second person could let the purge win.
     */
    LegalRequest intake(Operator operator, IntakeForm form) {
        long now = clock.millis();
        if (form.received().isAfter(clock.instant().atZone(ZoneOffset.UTC).toLocalDate())) {
            throw new InvalidRequest("received (" + form.received() + ") is in the future");
        }
        Optional<String> refusal = matrix.refusal(form.type(), form.scope().categories());
        boolean review = form.type() == RequestType.EMERGENCY;
        long id = inTransaction(() -> {
            long created = store.insert(form, refusal.isPresent() ? RequestStatus.REJECTED : RequestStatus.REGISTERED,
                    refusal.orElse(null), review && refusal.isEmpty(), operator.name(), now);
            Map<String, String> details = details(created);
            details.put("type", form.type().wire());
            details.put("handles", Integer.toString(form.scope().handles().size()));
            details.put("categories", JdbcLegalStore.categories(form.scope().categories()));
            refusal.ifPresent(why -> details.put("reason", why));
            audit.append(operator.name(), refusal.isPresent() ? "legal.intake-refused" : "legal.intake", details);
            if (refusal.isEmpty() && form.type() == RequestType.PRESERVATION) {
                placeHolds(operator, created, form.scope());
            }
            return created;
        });
        if (refusal.isPresent()) {
            throw new OutsidePolicy("request " + id + " is recorded as rejected: " + refusal.get(), refusal.get(), id);
        }
        return require(id);
    }

    List<LegalRequest> all() {
        return store.all();
    }

    LegalRequest find(long id) {
        return require(id);
    }

    List<Hold> holds(long id) {
        return store.holds(id);
    }

    // ------------------------------------------------------------------ the two-person review

    /** Approval by a legal reviewer who is not the operator who registered the request. */
    LegalRequest approve(Operator operator, long id) {
        inTransaction(() -> {
            LegalRequest request = locked(id);
            checkApprovable(operator, request);
            if (!store.decide(id, RequestStatus.REGISTERED, RequestStatus.APPROVED, operator.name(), clock.millis(), null)) {
                throw conflict("request " + id + " was decided by someone else meanwhile");
            }
            return audit.append(operator.name(), "legal.approve", details(id));
        });
        return require(id);
    }

    private static void checkApprovable(Operator operator, LegalRequest request) {
        long id = request.id();
        if (!request.type().produces()) {
            throw conflict("request " + id + " is a preservation request: it freezes data and is never produced,"
                    + " so there is nothing to approve");
        }
        if (request.registeredBy().equals(operator.name())) {
            throw new Forbidden("two_person_rule", "request " + id + " was registered by '"
                    + operator.name() + "'; a different legal-reviewer must approve it");
        }
        requireStatus(request, RequestStatus.REGISTERED, "approved");
    }

    /** Rejection with a reason; it also releases the request's holds, since nothing will follow. */
    LegalRequest reject(Operator operator, long id, String reason) {
        String why = reason(reason);
        inTransaction(() -> {
            LegalRequest request = locked(id);
            if (request.status() != RequestStatus.REGISTERED && request.status() != RequestStatus.APPROVED) {
                throw conflict("request " + id + " is " + request.status().wire() + " and can no longer be rejected");
            }
            if (!store.decide(id, request.status(), RequestStatus.REJECTED, operator.name(), clock.millis(), why)) {
                throw conflict("request " + id + " changed meanwhile; look again");
            }
            Map<String, String> details = details(id);
            details.put("reason", why);
            audit.append(operator.name(), "legal.reject", details);
            int released = store.releaseHolds(id, clock.millis());
            if (released > 0) {
                Map<String, String> d = details(id);
                d.put("holds", Integer.toString(released));
                d.put("reason", "request rejected");
                audit.append(operator.name(), "legal.hold-release", d);
            }
            return null;
        });
        return require(id);
    }

    /** Records that the legal process after an emergency request was checked. */
    LegalRequest review(Operator operator, long id, String note) {
        String why = reason(note);
        inTransaction(() -> {
            if (!locked(id).reviewRequired()) {
                throw conflict("request " + id + " is not waiting for a review");
            }
            if (!store.reviewed(id, operator.name(), clock.millis(), why)) {
                throw conflict("request " + id + " was reviewed meanwhile");
            }
            Map<String, String> details = details(id);
            details.put("note", why);
            return audit.append(operator.name(), "legal.review", details);
        });
        return require(id);
    }

    // ------------------------------------------------------------------ preservation holds

    LegalRequest hold(Operator operator, long id) {
        inTransaction(() -> {
            // The request row locked first: two nodes placing a hold for it queue here, and the
            // second sees the first one's hold.
            LegalRequest request = locked(id);
            if (request.status() == RequestStatus.REJECTED) {
                throw conflict("request " + id + " is rejected; nothing may be preserved for it");
            }
            long now = clock.millis();
            if (store.holdsInWrite(id).stream().anyMatch(h -> h.activeAt(now))) {
                throw conflict("request " + id + " already has an active hold; extend it instead");
            }
            placeHolds(operator, id, request.scope());
            return null;
        });
        return require(id);
    }

    /** Inside the caller's transaction: one hold per handle, and its audit entry. */
    private void placeHolds(Operator operator, long requestId, Scope scope) {
        long now = clock.millis();
        long expires = now + config.legal().holdDuration().toMillis();
        var categories = scope.categories();
        List<Hold> holds = new ArrayList<>();
        for (String handle : scope.handles()) {
            holds.add(new Hold(0, requestId, handle, accounts.accountIdOf(handle).orElse(null),
                    scope.sinceMs(), scope.untilMs(),
                    categories.contains(LegalCategory.LOOKUP_LOG_OF_TARGET),
                    categories.contains(LegalCategory.LOOKUP_LOG_BY_TARGET),
                    categories.contains(LegalCategory.SUBSCRIBER), now, expires, false, null));
        }
        store.placeHolds(holds);
        Map<String, String> details = details(requestId);
        details.put("handles", Integer.toString(holds.size()));
        details.put("expiresAt", Instant.ofEpochMilli(expires).toString());
        audit.append(operator.name(), "legal.hold", details);
    }

    LegalRequest extend(Operator operator, long id) {
        inTransaction(() -> {
            locked(id);
            long now = clock.millis();
            List<Hold> holds = store.holdsInWrite(id);
            if (holds.stream().noneMatch(h -> h.activeAt(now))) {
                throw conflict("request " + id + " has no active hold to extend");
            }
            if (holds.stream().filter(h -> h.activeAt(now)).allMatch(Hold::extended)) {
                throw conflict("the hold of request " + id + " was already extended once; a hold is extended at most once");
            }
            int n = store.extendHolds(id, config.legal().holdExtension().toMillis(), now);
            Map<String, String> details = details(id);
            details.put("holds", Integer.toString(n));
            details.put("extension", config.legal().holdExtension().toString());
            return audit.append(operator.name(), "legal.hold-extend", details);
        });
        return require(id);
    }

    LegalRequest release(Operator operator, long id, String reason) {
        String why = reason(reason);
        inTransaction(() -> {
            locked(id);
            long now = clock.millis();
            if (store.holdsInWrite(id).stream().noneMatch(h -> h.activeAt(now))) {
                throw conflict("request " + id + " has no active hold to release");
            }
            int n = store.releaseHolds(id, now);
            Map<String, String> details = details(id);
            details.put("holds", Integer.toString(n));
            details.put("reason", why);
            return audit.append(operator.name(), "legal.hold-release", details);
        });
        return require(id);
    }

    // ------------------------------------------------------------------ production and the signed package

    /**
     * Reads the records in scope, builds and signs the package, keeps it, and marks the request
     * produced. Only an approved request can be produced, and only once.
     */
    LegalRequest produce(Operator operator, long id) {
        // One production at a time on this node: two racing ones would both write the package file,
        // and the loser's bytes could replace the winner's after the winner's hash was recorded.
        // Across nodes (separate data directories) the status compare-and-set records exactly one
        // production, and download() serves only the bytes whose hash was recorded.
        productions.lock();
        try {
            return produceLocked(operator, id);
        } finally {
            productions.unlock();
        }
    }

    private LegalRequest produceLocked(Operator operator, long id) {
        LegalRequest request = require(id);
        requireStatus(request, RequestStatus.APPROVED, "produced");
        Disclosure disclosure = collector.collect(request.scope());
        for (LegalCategory c : disclosure.categories()) {
            Map<String, String> read = details(id);
            read.put("category", c.wire());
            read.put("records", Integer.toString(disclosure.count(c)));
            audit.append(operator.name(), "legal.read", read);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DisclosurePackage.Built built = DisclosurePackage.build(request, disclosure, config, key, now, operator.name());
        vault.store(id, built.zip());
        inTransaction(() -> {
            if (!store.produced(id, built.outcome(), operator.name(), now.toEpochMilli(), built.sha256(),
                    disclosure.accountIds())) {
                throw conflict("request " + id + " was produced or rejected meanwhile");
            }
            Map<String, String> details = details(id);
            details.put("outcome", built.outcome().wire());
            details.put("packageSha256", built.sha256());
            return audit.append(operator.name(), "legal.produce", details);
        });
        return require(id);
    }

    /** The stored package bytes of a produced request. */
    byte[] download(Operator operator, long id) {
        LegalRequest request = require(id);
        if (request.status() != RequestStatus.PRODUCED) {
            throw conflict("request " + id + " has not been produced");
        }
        byte[] zip = vault.load(id).orElseThrow(() -> new NotFound("the package of request " + id
                + " is not on this server (deleted after delivery, or produced by another node: download it there)"));
        if (!DisclosurePackage.sha256(zip).equals(request.packageSha256())) {
            // With several nodes, one that lost the race to produce this request may still hold its own,
            // unrecorded package: never hand out bytes other than the ones the register vouches for.
            throw new NotFound("the package of request " + id + " on this server is not the one recorded"
                    + " (it was produced by another node: download it there)");
        }
        Map<String, String> details = details(id);
        details.put("packageSha256", DisclosurePackage.sha256(zip));
        audit.append(operator.name(), "legal.download", details);
        return zip;
    }

    /** A notice a user may see about a production that covered their account. */
    public record Notice(RequestType type, LocalDate date, List<LegalCategory> categories) {}

    // ------------------------------------------------------------------ what users and the public see

    /**
     * The productions about {@code accountId} whose non-disclosure period is over at {@code now}:
     * the gag covers the whole named day, so a notice appears from the next UTC midnight. With
     * {@code legal.user-notices: withhold} there are none.
     */
    List<Notice> notices(String accountId, Instant now) {
        if (!config.legal().giveNotices()) {
            return List.of();
        }
        List<Notice> out = new ArrayList<>();
        for (long id : store.disclosuresAbout(accountId)) {
            Optional<LegalRequest> found = store.find(id);
            if (found.isEmpty() || found.get().status() != RequestStatus.PRODUCED) {
                continue;
            }
            LegalRequest r = found.get();
            LocalDate gag = r.nonDisclosureUntil();
            if (gag != null && now.isBefore(gag.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
                continue;
            }
            out.add(new Notice(r.type(), Instant.ofEpochMilli(r.producedAt()).atZone(ZoneOffset.UTC).toLocalDate(),
                    r.scope().categories().stream().sorted().toList()));
        }
        return out;
    }

    SigningKey signingKey() {
        return key;
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code work} in one write transaction; the store's and the audit log's writes join it. */
    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        return database.write(c -> work.get());
    }

    /** Inside a write: the request with its row locked until commit (see {@link LegalStore#lock}). */
    private LegalRequest locked(long id) {
        return store.lock(id).orElseThrow(() -> new NotFound("no legal request " + id));
    }

    private LegalRequest require(long id) {
        return store.find(id).orElseThrow(() -> new NotFound("no legal request " + id));
    }

    private static void requireStatus(LegalRequest request, RequestStatus expected, String verb) {
        if (request.status() != expected) {
            throw conflict("request " + request.id() + " is " + request.status().wire() + "; only "
                    + article(expected.wire()) + " " + expected.wire() + " request can be " + verb);
        }
    }

    /** "a" or "an" before a status word: "an approved request", "a received request". */
    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequest("reason is required");
        }
        String r = reason.strip();
        if (r.length() > IntakeForm.MAX_TEXT) {
            throw new InvalidRequest("reason must be at most " + IntakeForm.MAX_TEXT + " characters");
        }
        return r;
    }

    private static InvalidState conflict(String message) {
        return new InvalidState(message);
    }

    private static Map<String, String> details(long id) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("request", Long.toString(id));
        return d;
    }
}
