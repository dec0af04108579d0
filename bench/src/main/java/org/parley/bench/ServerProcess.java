// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A process on this machine whose CPU time, resident memory and file descriptors the tool samples from
 * {@code /proc}: the server (found by the port it listens on, or given with {@code --server-pid}) and the
 * load generator itself. Linux only; elsewhere {@link #locate} finds nothing and the report says so.
 */
final class ServerProcess {
    private final long pid;

    private ServerProcess(long pid) {
        this.pid = pid;
    }

    static ServerProcess self() {
        return new ServerProcess(ProcessHandle.current().pid());
    }

    static ServerProcess of(long pid) {
        return new ServerProcess(pid);
    }

    /** The server's process: {@code pid} if given, else the owner of the listening socket on the target's port. */
    static Optional<ServerProcess> locate(BenchTarget target, Long pid) {
        if (pid != null) {
            return Files.isDirectory(Path.of("/proc", pid.toString())) ? Optional.of(new ServerProcess(pid)) : Optional.empty();
        }
        if (!target.loopback()) {
            return Optional.empty();
        }
        return listeningPid(target.port()).map(ServerProcess::new);
    }

    long pid() {
        return pid;
    }

    boolean isSelf() {
        return pid == ProcessHandle.current().pid();
    }

    /** CPU time, resident set and thread count now. */
    ProcSample sample() {
        long cpu = ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
        long rss = -1;
        int threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended or /proc is not Linux's: leave -1
        }
        return new ProcSample(System.nanoTime(), cpu, rss, threads);
    }

    /** Open file descriptors now, or -1. */
    int openFiles() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            int n = 0;
            for (Path ignored : fds) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The soft limit on open files ({@code ulimit -n}), or -1 when unknown. */
    long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return -1;
    }

    /** Busy and total jiffies of the whole machine from {@code /proc/stat}, or null. */
    static long[] machineCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The pid owning a socket that listens on {@code port} (any address, IPv4 or IPv6). */
    static Optional<Long> listeningPid(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length < 10 || !"0A".equals(f[3])) {
                        continue;
                    }
                    String local = f[1];
                    int p = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                    if (p == port) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6) or not Linux
            }
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return Optional.of(Long.parseLong(proc.getFileName().toString()));
                            }
                        } catch (IOException e) {
                            // fd closed meanwhile
                        }
                    }
                } catch (IOException e) {
                    // process gone or not ours to read
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** One sample of a process. Fields are -1 when unknown. */
    record ProcSample(long nanoTime, long cpuNanos, long rssBytes, int threads) {}
}
