package org.scoutfs.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.NodeMain;

/** A node in its own process, as {@code scoutfs mount} starts one, for tests that kill it. */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path mountPoint;
    private final Path log;

    private NodeProcess(Process process, Path mountPoint, Path log) {
        this.process = process;
        this.mountPoint = mountPoint;
        this.log = log;
    }

    /** How long a node may take to mount before the test gives up on it. */
    private static final long READY_SECONDS = 120;

    /**
     * Starts a node mounting {@code config}'s volume and waits until the mount is usable. A node
     * that fails or does not get ready in time is killed and its mount point cleared before this
     * throws, so a failed start leaves nothing behind.
     */
    public static NodeProcess start(NodeConfig config, Path log) throws IOException, InterruptedException {
        return start(config, log, List.of());
    }

    /** Like {@link #start(NodeConfig, Path)}, run under {@code prefix} (for example in a network namespace). */
    public static NodeProcess start(NodeConfig config, Path log, List<String> prefix)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.add(java);
        cmd.addAll(NodeMain.JVM_FLAGS);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(),
                config.toJson().encode()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String line = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (!l.startsWith("status: ")) {
                            return l;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                line = first.get(READY_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                line = null;
            }
        } finally {
            if (!"ready".equals(line)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                Mounts.forceUnmountIfMounted(config.mountPoint());
            }
        }
        if (!"ready".equals(line)) {
            throw new IllegalStateException("node did not start" + (line == null ? " in " + READY_SECONDS + " s" : "")
                    + ": " + Files.readString(log));
        }
        return new NodeProcess(p, config.mountPoint(), log);
    }

    public Path log() {
        return log;
    }

    /** Unmounts from outside, as a user would, and waits for the node to finish its last commit and exit. */
    public void unmount() throws IOException, InterruptedException {
        requestUnmount();
        awaitCleanExit(120);
    }

    /** Runs {@code umount}, as a user would; the node finishes (and may stay a while) on its own. */
    public void requestUnmount() throws IOException, InterruptedException {
        Process u = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
        if (!u.waitFor(60, TimeUnit.SECONDS)) {
            u.destroyForcibly();
            throw new IllegalStateException("umount " + mountPoint + " did not finish in 60 s");
        }
        if (u.exitValue() != 0) {
            throw new IllegalStateException("umount " + mountPoint + " failed with status " + u.exitValue());
        }
    }

    /** Waits for the node to exit with status 0. */
    public void awaitCleanExit(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node did not exit after unmount; log: " + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("node exited with " + process.exitValue() + "; log: " + Files.readString(log));
        }
    }

    /** The node's process id (under nsenter, nsenter execs it, so it is the JVM's). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** SIGSTOP: the node freezes, connections open and nothing answered. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
        }
    }

    /** Waits up to {@code seconds} for the process to end; true if it did. */
    public boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** SIGKILL: no unmount, no commit, nothing. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until the kernel mount is gone (fusermount3's auto_unmount removes it when the node dies). */
    public void awaitUnmounted() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Mounts.isMounted(mountPoint) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        awaitUnmounted();
        Mounts.forceUnmountIfMounted(mountPoint);
    }
}
