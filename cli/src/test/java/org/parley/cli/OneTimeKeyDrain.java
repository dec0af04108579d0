// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.parley.client.store.LocalState;
import org.parley.client.transport.DeviceCredentials;
import org.parley.client.transport.ParleyApi;

/**
 * Spends a device's one-time prekeys on the real server the way senders do, by fetching its bundle.
 * The server allows one requesting device six fetches of one account per ten minutes, so the
 * fetches are spread over as many freshly registered requesters as that takes.
 */
final class OneTimeKeyDrain {
    private static final int FETCHES_PER_REQUESTER = 6;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private OneTimeKeyDrain() {}

    private static DeviceCredentials credentialsOf(Path home) {
        try (LocalState state = LocalState.open(home)) {
            var account = state.accounts().load().orElseThrow();
            return new DeviceCredentials(account.accountId(), account.deviceId(), account.password());
        }
    }

    /** Fetches the bundle of {@code accountId}'s device {@code deviceId} {@code count} times. */
    static void drain(UserTestServer server, Path homes, String accountId, int deviceId, int count) {
        int done = 0;
        for (int r = 0; done < count; r++) {
            Path home = homes.resolve("drainer-" + r);
            server.register(home, UserTestServer.freshHandle("drainer" + r)).close();
            ParleyApi api = new ParleyApi(URI.create(server.url()), HTTP, Duration.ofSeconds(10), credentialsOf(home));
            for (int i = 0; i < FETCHES_PER_REQUESTER && done < count; i++, done++) {
                api.bundle(accountId, deviceId);
            }
        }
    }
}
