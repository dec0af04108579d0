// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.sms;

import io.helidon.webserver.http.HttpRouting;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.parley.server.feature.Feature;
import org.parley.server.feature.ServerContext;
import org.parley.server.accounts.Accounts;
import org.parley.server.accounts.VerificationSender;
import org.parley.server.http.DeviceAuthenticator;
import org.parley.server.storage.Purger;

/**
 * SMS over SMPP (docs/sms.md): SMS fallback for users ({@code sms.gateway: smpp}, opt-in per account)
 * and verification codes by SMS ({@code verification.sender: smpp}), both through one persistent
 * outbox and one transceiver bind.
 *
 * <p>Built in two steps because the accounts feature needs the code sender before it exists, and this
 * feature needs the accounts feature's authenticator: {@link #open} first (nothing runs yet), then
 * {@link #start} with the accounts feature.
 */
public final class SmsFeature implements Feature {
    private final ServerContext ctx;
    private final SmsConfig config;
    private final SmsMetrics metrics;
    private final JdbcSmsOutbox outbox;
    private final JdbcSmsVerificationLog verificationLog;
    private final SmppLink link;
    private final SmsDispatcher dispatcher;
    private SmsRoutes routes;

    private SmsFeature(ServerContext ctx, SmsConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.metrics = new SmsMetrics(ctx.meters());
        this.outbox = new JdbcSmsOutbox(ctx.database());
        this.verificationLog = new JdbcSmsVerificationLog(ctx.database(), config.verification().logMode());
        if (config.smppInUse()) {
            SmsDispatcher[] self = new SmsDispatcher[1];
            this.link = new SmppLink(config.smpp(), new ReceiptHandler((id, state) -> self[0].receipt(id, state)), metrics);
            this.dispatcher = new SmsDispatcher(outbox, link, ctx.clock(), metrics, config.smpp().window());
            self[0] = dispatcher;
        } else {
            this.link = null;
            this.dispatcher = null;
        }
    }

    /**
     * Reads the {@code sms} section and prepares the outbox and the SMPP link without connecting.
     *
     * @throws org.parley.server.config.ConfigException when the section is invalid
     */
    public static SmsFeature open(ServerContext ctx) {
        return new SmsFeature(ctx, SmsConfig.from(ctx.config()));
    }

    /** The sender for {@code verification.sender: smpp}; asked for only when that is configured. */
    public Supplier<VerificationSender> codeSender() {
        return () -> new SmsVerificationSender(config, outbox, dispatcher, verificationLog,
                ctx.config().verification().codeTtl(), ctx.clock(), ctx.random(), metrics);
    }

    /** Wires the routes, registers the purges and starts binding to the gateway (when SMPP is in use). */
    public SmsFeature start(Accounts accounts, DeviceAuthenticator devices) {
        Runnable wake = dispatcher == null ? () -> {} : dispatcher::wake;
        this.routes = new SmsRoutes(new SmsService(config, outbox, new JdbcSmsOptIns(ctx.database()), accounts, wake,
                ctx.clock(), ctx.random(), metrics), devices);
        ctx.purges().register(purger("sms", Set.of("sms_messages", "sms_parts"), now -> outbox.purge(now.toEpochMilli(),
                now.minus(config.retention()).toEpochMilli())));
        ctx.purges().register(purger("sms-verification-log", Set.of("sms_verification_log"), now -> verificationLog.deleteBefore(
                now.minus(config.verification().logRetention()).toEpochMilli())));
        if (link != null) {
            outbox.releaseStaleLeases();
            dispatcher.start();
            link.start(dispatcher::wake);
        }
        return this;
    }

    /**
     * Forgets a deleted account's SMS opt-in. Its SMS records (recipient, times, status) stay until
     * {@code sms.retention}, like every other account's: they are the gateway's delivery records.
     */
    public void forgetAccount(String accountId) {
        new JdbcSmsOptIns(ctx.database()).set(accountId, false, ctx.clock().millis());
    }

    /** This feature's part of the published policy. */
    public SmsPolicy policy() {
        return new SmsPolicy(config);
    }

    /** The parsed {@code sms} section. */
    public SmsConfig config() {
        return config;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routes.register(routing);
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (link != null) {
            link.close();
        }
    }

    private static Purger purger(String name, Set<String> tables, java.util.function.ToLongFunction<Instant> purge) {
        return new Purger() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> tables() {
                return tables;
            }

            @Override
            public long purge(Instant now) {
                return purge.applyAsLong(now);
            }
        };
    }
}
