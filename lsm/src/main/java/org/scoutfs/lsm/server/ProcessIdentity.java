package org.scoutfs.lsm.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * A process as the volume records it, for fencing: its host, its pid, and its start time, which
 * tells a live process from a later one that happens to get the same pid.
 *
 * @param host      the host name, at most 63 bytes
 * @param pid       the process id on that host
 * @param startTime when the process started, milliseconds since the epoch
 */
public record ProcessIdentity(String host, long pid, long startTime) {
    /** The host name this process records, shortened to what the volume's fields hold. */
    public static String localHost() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host.length() > 63 ? host.substring(0, 63) : host;
    }

    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(localHost(), self.pid(), startTime(self).orElse(0L));
    }

    private static Optional<Long> startTime(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    /** True if this process runs on the host this process runs on. */
    public boolean isLocal() {
        return host.equals(localHost());
    }

    /**
     * True if the process is certainly gone: it ran on this host and no process with its pid and
     * start time is alive (a zombie has finished all its I/O and counts as gone). A process on
     * another host is never certainly gone from here.
     */
    public boolean isGoneLocally() {
        if (!isLocal()) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive() || isZombie(pid)) {
            return true;
        }
        Optional<Long> start = startTime(p.get());
        return start.isPresent() && start.get() != startTime;
    }

    /** A process that has exited and waits to be reaped: all its I/O is done. */
    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (java.io.IOException e) {
            return !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + pid));
        }
    }
}
