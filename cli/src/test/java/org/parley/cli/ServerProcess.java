// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley server ...} as its own process ({@link Main} on this test's class path), as an
 * operator runs it: for what only a process shows, such as what it prints on its own standard error,
 * its PID, and how it stops on SIGTERM. Output goes to files next to {@code logs}.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private ServerProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code parley <args>} with {@code env} added to this JVM's environment. */
    static ServerProcess start(Path logs, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // As ./parley runs it; the native-access option also keeps the JDK's warning off standard error.
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            Path out = Files.createTempFile(logs, "server", ".out");
            Path err = Files.createTempFile(logs, "server", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            return new ServerProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the {@code --json} line that says the server listens; returns it. */
    String awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!out().contains("\"status\":\"listening\"") && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!out().contains("\"status\":\"listening\"")) {
            close();
            throw new AssertionError("the server did not listen; it printed: " + err());
        }
        return out().strip();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit; its output: " + err());
        }
        return process.exitValue();
    }

    /** SIGTERM, as systemd or {@code kill} stop a server; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    List<String> errLines() {
        String text = err();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
