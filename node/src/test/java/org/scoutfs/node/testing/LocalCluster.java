package org.scoutfs.node.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;

import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.node.Node;
import org.scoutfs.node.NodeBoot;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.control.ControlServer;

/**
 * Several nodes of one volume in this JVM, each with its own clustered Vert.x (Hazelcast on a
 * loopback port of its own), FUSE mount, block cache, store, lock client and filesystem. The
 * volume has a quorum of 2, so three nodes hold its three quorum slots and elect their server
 * exactly as separate processes would; only the process is shared. For consistency tests that
 * need several mounts without starting JVMs; failures are tested with nodes in their own
 * processes ({@link NodeProcess}), which can be killed.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final Path volume;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<ControlServer> controls = new ArrayList<>();
    private final List<Path> mounts = new ArrayList<>();

    private LocalCluster(Path dir, Path volume) {
        this.dir = dir;
        this.volume = volume;
    }

    /** Makes a volume of {@code size} bytes in {@code dir} and mounts it {@code count} times. */
    public static LocalCluster start(Path dir, int count, long size) throws IOException {
        Path volume = dir.resolve("volume");
        try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        try (FileBlockDevice d = FileBlockDevice.open(volume, true)) {
            Mkfs.format(d, null, new Mkfs.Options(Math.min(2, count), 0, false));
        }
        LocalCluster c = new LocalCluster(dir, volume);
        try {
            List<Thread> starting = new ArrayList<>();
            List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                c.prepare(n);
                // a quorum forms only once enough of them are up, so they start together
                starting.add(Thread.ofPlatform().start(() -> {
                    try {
                        c.start(n);
                    } catch (IOException | RuntimeException e) {
                        failed.add(e);
                    }
                }));
            }
            for (Thread t : starting) {
                t.join();
            }
            if (!failed.isEmpty()) {
                throw new IllegalStateException("a node did not start", failed.getFirst());
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            c.close();
            throw new IOException("starting a local cluster failed", e);
        }
        return c;
    }

    private final List<NodeConfig> configs = new ArrayList<>();

    private void prepare(int i) throws IOException {
        Path mnt = Files.createDirectories(dir.resolve("mnt" + i));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        configs.add(NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2))
                .withControlDir(Files.createDirectories(dir.resolve("control")))
                .withCluster(NodeConfig.Cluster.defaults().withServerAddr("127.0.0.1:" + port)));
        mounts.add(mnt);
        nodes.add(null);
        controls.add(null);
        vertxes.add(null);
    }

    private void start(int i) throws IOException {
        NodeConfig config = configs.get(i);
        NodeBoot boot = NodeBoot.prepare(config);
        Vertx vertx;
        try {
            vertx = boot.vertxBuilder(new io.vertx.core.VertxOptions()).buildClustered().toCompletionStage()
                    .toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            boot.close();
            throw new IOException("node " + i + " could not join the cluster", e);
        }
        synchronized (this) {
            vertxes.set(i, vertx);
        }
        Node n = Node.start(vertx, boot, what -> { });
        synchronized (this) {
            nodes.set(i, n);
            controls.set(i, ControlServer.start(config.controlDir(), config.mountPoint(), n));
        }
    }

    public Path mount(int i) {
        return mounts.get(i);
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return mounts.size();
    }

    public Path controlDir() {
        return dir.resolve("control");
    }

    public Path volume() {
        return volume;
    }

    /** Unmounts every node, all at once, and checks that nothing stays mounted. */
    @Override
    public void close() {
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // all at once: the last voting nodes of a quorum stay until the others leave too (the
        // farewell gate), so closing them one after another would wait for ever
        List<Thread> closing = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int n = i;
            closing.add(Thread.ofPlatform().name("close-node-" + n).start(() -> {
                try {
                    if (controls.get(n) != null) {
                        controls.get(n).close();
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(new IllegalStateException("closing the control socket of node " + n, e));
                }
                try {
                    if (nodes.get(n) != null) {
                        nodes.get(n).close();
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : closing) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(120));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                failures.add(new IllegalStateException(t.getName() + " did not finish in 120 s"));
            }
        }
        for (Path m : mounts) {
            Mounts.forceUnmountIfMounted(m);
        }
        for (Vertx v : vertxes) {
            if (v == null) {
                continue;
            }
            try {
                v.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(new IllegalStateException("closing Vert.x", e));
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
