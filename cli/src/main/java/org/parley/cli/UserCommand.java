// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.parley.client.AccountInfo;
import org.parley.client.error.ParleyApiException;
import org.parley.client.ParleyClient;
import org.parley.client.error.ParleyException;
import org.parley.client.error.ParleyTransportException;
import org.parley.client.store.StateDatabase;
import org.parley.protocol.Handles;
import org.parley.protocol.InvalidHandleException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the user commands: opens the home, runs the command, and turns every failure into one line on
 * stderr and an exit code (0 ok, 1 usage or local error, 2 server error, 3 handle is not on Parley).
 * {@code PARLEY_DEBUG=1} adds the stack trace.
 */
abstract class UserCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int SMS_ROUTE = 3;

    @Mixin
    UserOptions options;

    @Spec
    CommandSpec spec;

    /** The command itself, with an open client. */
    abstract int run(ParleyClient client);

    /** Commands other than {@code register} need a registered device; they refuse early with a hint. */
    boolean needsRegistration() {
        return true;
    }

    /**
     * Checks that need no home, run before the home is opened (which creates it): a non-null exit code
     * ends the command there, so a mistyped argument leaves nothing behind.
     */
    Integer precheck() {
        return null;
    }

    /**
     * Checks handles given on the command line before anything else, naming the one that is wrong (the
     * library's message never repeats the input): an exit code, or null when all are valid.
     */
    Integer checkHandles(Iterable<String> handles) {
        for (String handle : handles) {
            try {
                Handles.normalize(handle);
            } catch (InvalidHandleException e) {
                return fail(Failures.LOCAL_ERROR, "invalid_handle", "invalid handle '" + handle.strip() + "': " + e.getMessage());
            }
        }
        return null;
    }

    @Override
    public final Integer call() {
        Integer refused = precheck();
        if (refused != null) {
            return refused;
        }
        if (needsRegistration() && !Files.exists(options.home.resolve(StateDatabase.FILE_NAME))) {
            return fail(Failures.LOCAL_ERROR, "not_registered", "no Parley device in " + options.home
                    + "; run `parley register HANDLE --server URL` first (or pass --home)");
        }
        try (ParleyClient client = ParleyClient.open(options.home)) {
            if (needsRegistration()) {
                Optional<AccountInfo> account = client.account();
                if (account.isEmpty() || !account.get().registered()) {
                    return fail(Failures.LOCAL_ERROR, "not_registered", account.isPresent()
                            ? "registration of " + account.get().handle() + " is not verified yet; run `parley verify CODE`"
                            : "this device is not registered; run `parley register HANDLE --server URL` first");
                }
            }
            return run(client);
        } catch (ParleyApiException e) {
            debug(e);
            String retry = e.retryAfterSeconds().map(s -> " (retry in " + s + " s)").orElse("");
            return fail(Failures.SERVER_ERROR, e.error(), e.serverMessage() + retry);
        } catch (ParleyTransportException e) {
            debug(e);
            return fail(Failures.SERVER_ERROR, "unreachable", e.getMessage());
        } catch (ParleyException | IllegalArgumentException e) {
            debug(e);
            return fail(Failures.LOCAL_ERROR, "local_error", e.getMessage());
        } catch (RuntimeException e) {
            debug(e);
            return fail(Failures.LOCAL_ERROR, "internal", "unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (PARLEY_DEBUG=1 shows details)");
        }
    }

    // ---- output helpers -------------------------------------------------------------------------

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return options.json;
    }

    /** Prints the command's one JSON document (see {@link JsonOutput}). */
    void printJson(Object value) {
        JsonOutput.print(out(), value);
    }

    void printLine(String line) {
        out().println(line);
        out().flush();
    }

    /** A warning on stderr that does not change the exit code. */
    void warn(String message) {
        err().println("parley " + spec.name() + ": warning: " + message);
        err().flush();
    }

    /** Prints the error (as JSON with {@code --json}) on stderr and returns {@code code}. */
    int fail(int code, String error, String message) {
        if (json()) {
            JsonOutput.printError(err(), error, message, code);
        } else {
            err().println("parley " + spec.name() + ": " + message);
            err().flush();
        }
        return code;
    }

    private void debug(Exception e) {
        if ("1".equals(System.getenv("PARLEY_DEBUG"))) {
            e.printStackTrace(err());
        }
    }

    /** Ordered map for JSON output, built inline. */
    static Map<String, Object> fields(Object... keyValues) {
        return JsonOutput.fields(keyValues);
    }
}
