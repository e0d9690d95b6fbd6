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
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.control.ControlServer;

/**
 * A real scoutfs mount for tests: a sparse volume file, mkfs, and a node in this JVM mounted on a
 * directory through FUSE, with its control socket. Closing always unmounts, and checks that no
 * mount is left behind.
 */
public final class ScoutfsMount implements AutoCloseable {
    private final Path dir;
    private final Path volume;
    private final Path mountPoint;
    private final NodeConfig config;
    private Vertx vertx;
    private Node node;
    private ControlServer control;

    private ScoutfsMount(Path dir, Path volume, Path mountPoint, NodeConfig config) {
        this.dir = dir;
        this.volume = volume;
        this.mountPoint = mountPoint;
        this.config = config;
    }

    /** Makes a volume of {@code size} bytes in {@code dir} and mounts it. */
    public static ScoutfsMount create(Path dir, long size) throws IOException {
        return create(dir, size, c -> c);
    }

    public static ScoutfsMount create(Path dir, long size, UnaryOperator<NodeConfig> tweak) throws IOException {
        Path volume = dir.resolve("volume");
        try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        try (FileBlockDevice d = FileBlockDevice.open(volume, true)) {
            Mkfs.format(d, null, new Mkfs.Options(1, 0, false));
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        NodeConfig config = tweak.apply(NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2)));
        ScoutfsMount m = new ScoutfsMount(dir, volume, mnt, config);
        m.mount();
        return m;
    }

    /** Mounts an existing volume file on {@code mnt}. */
    public static ScoutfsMount existing(Path volume, Path mnt) throws IOException {
        NodeConfig config = NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2));
        ScoutfsMount m = new ScoutfsMount(volume.getParent(), volume, mnt, config);
        m.mount();
        return m;
    }

    private void mount() throws IOException {
        vertx = Vertx.vertx();
        try {
            node = Node.start(vertx, config);
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

    public Node node() {
        return node;
    }

    /** Unmounts cleanly and mounts again: what survives is what was committed. */
    public void remount() throws IOException {
        unmount();
        mount();
    }

    private void unmount() {
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
