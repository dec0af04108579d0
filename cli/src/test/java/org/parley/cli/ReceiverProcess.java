// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.client.ParleyClient;
import org.parley.client.ReceiveObserver;
import org.parley.client.ReceiveOptions;
import org.parley.client.ReceiveSummary;
import org.parley.client.ReceivedMessage;

/**
 * A receiver in its own JVM that stops at one step of the receive path ({@code stored}: committed, not
 * acked; {@code acknowledged}: acked, not shown), says so on stdout and waits there, so that a test can
 * SIGKILL it at that exact point or let it go on (a line on its stdin). It prints {@code SHOWN <text>}
 * for each message its handler gets and {@code END <reason>} when the receive returns.
 */
final class ReceiverProcess implements AutoCloseable {
    static final String AT = "AT ";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();

    private ReceiverProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
    }

    /** Starts a drain-mode receive of {@code home} that stops at {@code step}. */
    static ReceiverProcess start(Path home, String step) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ReceiverProcess(new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ReceiverProcess.class.getName(), home.toString(), step))
                .redirectErrorStream(true).start());
    }

    /** Waits for a line starting with {@code prefix} and returns it. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout + "; output:\n" + output());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Lets the receiver go on from the step it stopped at. */
    void release() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /** SIGKILL: no finally block, no shutdown hook, no close frame. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the receiver did not end; output:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        synchronized (all) {
            return all.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The child: {@code ReceiverProcess HOME STEP}. */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String step = args[1];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ReceiveObserver stopping = new ReceiveObserver() {
            @Override
            public void stored(String guid) {
                stopAt("stored", guid);
            }

            @Override
            public void acknowledged(String guid) {
                stopAt("acknowledged", guid);
            }

            private void stopAt(String reached, String guid) {
                if (reached.equals(step)) {
                    out.println(AT + reached + " " + guid);
                    try {
                        stdin.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        try (ParleyClient client = ParleyClient.open(home)) {
            ReceiveSummary summary = client.receive(ReceiveOptions.drain().withObserver(stopping), event -> {
                if (event instanceof ReceivedMessage m) {
                    out.println("SHOWN " + m.text());
                }
            });
            out.println("END " + summary.stopReason());
        }
    }
}
