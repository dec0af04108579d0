// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.parley.server.config.ServerConfig;

/**
 * A real PostgreSQL server for tests, run from the distribution's binaries
 * ({@code /usr/lib/postgresql/<version>/bin}, the newest) in a temporary directory, listening on
 * 127.0.0.1 at a random free port and on a Unix socket in that directory. It never touches a
 * PostgreSQL that may already run on the machine.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root, the server runs as the
 * {@code postgres} OS user ({@code runuser}) and the directory belongs to that user.
 *
 * <p>Use {@link #shared()} (started once per test JVM, stopped and deleted when it exits) with a
 * fresh database per test class or test ({@link #createDatabase()}), or {@link #launch()} for an
 * instance of one's own, e.g. one a test stops and starts again ({@link #stopServer()},
 * {@link #startServer()}) and closes at the end.
 */
public final class PostgresProcess implements AutoCloseable {
    /** The superuser initdb creates; clients log in with a password over TCP (scram-sha-256). */
    public static final String USER = "parley";
    public static final String PASSWORD = "parley-test-password";
    private static final String OS_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private static final Object SHARED_LOCK = new Object();
    private static PostgresProcess shared;

    private final Path dir;
    private final Path dataDir;
    private final Path binDir;
    private final boolean asRoot;
    private final AtomicInteger databases = new AtomicInteger();
    private int port;
    private boolean running;

    private PostgresProcess(Path dir, Path binDir, boolean asRoot) {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.binDir = binDir;
        this.asRoot = asRoot;
    }

    /** The instance shared by every test of this JVM; started on first use, removed at JVM exit. */
    public static PostgresProcess shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                PostgresProcess started = launch();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "parley-test-postgres-stop"));
                shared = started;
            }
            return shared;
        }
    }

    /** Creates and starts a new instance; the caller closes it, which stops it and deletes its files. */
    public static PostgresProcess launch() {
        Path bin = findBinaries();
        boolean root = isRoot();
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test PostgreSQL", e);
        }
        PostgresProcess pg = new PostgresProcess(dir, bin, root);
        try {
            pg.initialise();
            pg.startServer();
            return pg;
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} that has initdb, pg_ctl and postgres. */
    static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .map(v -> v.resolve("bin"))
                        .filter(b -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(t -> Files.isExecutable(b.resolve(t))))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .max(Comparator.comparingDouble(b -> Double.parseDouble(b.getParent().getFileName().toString())))
                .orElseThrow(() -> new IllegalStateException("These tests need the PostgreSQL server binaries in"
                        + " /usr/lib/postgresql/<version>/bin (initdb, pg_ctl, postgres) and found none: install them"
                        + " with 'apt-get install postgresql' (.ci/run does this on a fresh machine)."));
    }

    /** True when this process runs as root; /proc/self belongs to the effective user. */
    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void initialise() {
        Path pwfile = dir.resolve("pwfile");
        try {
            Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (asRoot) {
                giveToPostgres(dir);
                giveToPostgres(pwfile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir + " for the test PostgreSQL", e);
        }
        run("initdb", List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
                "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=trust",
                "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"));
        try {
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void giveToPostgres(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(OS_USER));
        GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
        view.setGroup(group);
    }

    /**
     * Starts the server (again, after {@link #stopServer()}: same data, same port). Picks a free
     * port on the first start, trying another if it was taken in the meantime.
     */
    public synchronized void startServer() {
        if (running) {
            return;
        }
        boolean firstStart = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (firstStart) {
                port = freePort();
            }
            try {
                run("pg_ctl start", List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                        "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "120",
                        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                                + " -c max_connections=300 -c shared_buffers=32MB",
                        "start"));
                running = true;
                return;
            } catch (IllegalStateException e) {
                if (!firstStart || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Stops the server quickly (open sessions are ended), keeping its data for {@link #startServer()}. */
    public synchronized void stopServer() {
        if (!running) {
            return;
        }
        run("pg_ctl stop", List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", "120", "stop"));
        running = false;
    }

    public synchronized boolean isRunning() {
        return running;
    }

    public synchronized int port() {
        return port;
    }

    /** The temporary directory holding the data directory, the socket and the server log. */
    public Path directory() {
        return dir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates an empty database with a new name and returns the name. */
    public String createDatabase() {
        String name = "parley_test_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name);
        return name;
    }

    /** Creates a database as a copy of {@code template} (which nobody may be connected to). */
    public String createDatabaseFrom(String template) {
        String name = "parley_test_" + databases.incrementAndGet();
        admin("CREATE DATABASE " + name + " TEMPLATE " + template);
        return name;
    }

    /** Drops {@code database}, ending any session still connected to it. */
    public void dropDatabase(String database) {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /** Runs one statement as the superuser in the maintenance database. */
    public void admin(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    /** The server's storage.postgresql settings for {@code database}, with the password given inline. */
    public ServerConfig.Postgresql settings(String database, int poolSize) {
        return new ServerConfig.Postgresql(jdbcUrl(database), USER, PASSWORD, null, poolSize, Duration.ofSeconds(10));
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            if (running) {
                try {
                    stopServer();
                } catch (RuntimeException e) {
                    run("pg_ctl stop", List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                            "-m", "immediate", "-w", "stop"));
                    running = false;
                }
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the test PostgreSQL", e);
        }
    }

    /** Runs a PostgreSQL tool (as the postgres user when we are root); fails with its output. */
    private void run(String what, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        Path output = dir.resolve("command.out");
        try {
            // Output to a file, not a pipe: pg_ctl leaves the server running, and a server holding our
            // pipe open would make reading it wait forever.
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("test PostgreSQL: " + what + " did not finish in " + COMMAND_TIMEOUT);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("test PostgreSQL: " + what + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(output) + logTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("test PostgreSQL: cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private String logTail() {
        Path log = dir.resolve("postgres.log");
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log);
            return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temp directory is not worth failing a test run for.
        }
    }
}
