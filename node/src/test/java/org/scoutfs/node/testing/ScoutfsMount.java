package org.scoutfs.node.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.vertx.core.Vertx;

import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.node.Node;
import org.scoutfs.node.NodeBoot;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.control.ControlServer;

/**
 * A real scoutfs mount for tests: a sparse volume file, mkfs, and a node mounted on a directory
 * through FUSE, with its control socket. The node runs in this JVM (tests that call the
 * filesystem object directly) or in its own process (tests that map files: a process that serves
 * a FUSE mount must not fault on its own mapped pages, or it deadlocks on its memory map lock).
 * Closing always unmounts, and checks that no mount is left behind.
 */
public final class ScoutfsMount implements AutoCloseable {
    /** Where the node runs. */
    public enum Mode { IN_PROCESS, OWN_PROCESS }

    private final Path dir;
    private final Path volume;
    private final Path mountPoint;
    private final NodeConfig config;
    private final Mode mode;
    private NodeProcess process;
    private int starts;
    private Vertx vertx;
    private Node node;
    private ControlServer control;

    private ScoutfsMount(Path dir, Path volume, Path mountPoint, NodeConfig config, Mode mode) {
        this.dir = dir;
        this.volume = volume;
        this.mountPoint = mountPoint;
        this.config = config;
        this.mode = mode;
    }

    /** Makes a volume of {@code size} bytes in {@code dir} and mounts it. */
    public static ScoutfsMount create(Path dir, long size) throws IOException {
        return create(dir, size, Mode.IN_PROCESS, c -> c);
    }

    public static ScoutfsMount create(Path dir, long size, Mode mode) throws IOException {
        return create(dir, size, mode, c -> c);
    }

    public static ScoutfsMount create(Path dir, long size, Mode mode, UnaryOperator<NodeConfig> tweak)
            throws IOException {
        Path volume = dir.resolve("volume");
        try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        try (FileBlockDevice d = FileBlockDevice.open(volume, true)) {
            Mkfs.format(d, null, new Mkfs.Options(1, 0, false));
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        NodeConfig config = tweak.apply(NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2)));
        ScoutfsMount m = new ScoutfsMount(dir, volume, mnt, config, mode);
        m.mount();
        return m;
    }

    /** Mounts an existing volume file on {@code mnt}, with the node in this JVM. */
    public static ScoutfsMount existing(Path volume, Path mnt) throws IOException {
        NodeConfig config = NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2));
        ScoutfsMount m = new ScoutfsMount(volume.getParent(), volume, mnt, config, Mode.IN_PROCESS);
        m.mount();
        return m;
    }

    private void mount() throws IOException {
        if (mode == Mode.OWN_PROCESS) {
            try {
                process = NodeProcess.start(config, dir.resolve("node-" + (++starts) + ".log"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted starting the node", e);
            }
            return;
        }
        vertx = Vertx.vertx();
        try {
            node = Node.start(vertx, NodeBoot.prepare(config), what -> { });
            control = ControlServer.start(config.controlDir(), mountPoint, node);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public Path root() {
        return mountPoint;
    }

    public Path volume() {
        return volume;
    }

    public Path controlDir() {
        return config.controlDir();
    }

    /** The node, for tests that run it in this JVM. */
    public Node node() {
        if (mode != Mode.IN_PROCESS) {
            throw new IllegalStateException("the node runs in its own process");
        }
        return node;
    }

    /**
     * SIGKILL of a node in its own process, and a wait until the kernel mount is gone: no last
     * commit, no farewell. Nothing is mounted afterwards; {@link #remount()} mounts again.
     */
    public void kill() throws InterruptedException {
        if (process == null) {
            throw new IllegalStateException("only a node in its own process can be killed");
        }
        NodeProcess p = process;
        process = null;
        p.close();
    }

    /** Unmounts cleanly and mounts again: what survives is what was committed. */
    public void remount() throws IOException {
        unmount();
        mount();
    }

    private void unmount() {
        if (process != null) {
            try {
                process.unmount();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                NodeProcess p = process;
                process = null;
                try {
                    p.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        try {
            if (control != null) {
                control.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            control = null;
            try {
                if (node != null) {
                    node.close();
                }
            } finally {
                node = null;
                if (vertx != null) {
                    try {
                        vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new IllegalStateException("closing Vert.x failed", e);
                    } finally {
                        vertx = null;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            unmount();
        } finally {
            Mounts.forceUnmountIfMounted(mountPoint);
        }
    }
}
