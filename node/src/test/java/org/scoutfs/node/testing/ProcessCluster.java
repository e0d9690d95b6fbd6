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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.btree.BtreeCursor;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.node.NodeConfig;

/**
 * A cluster of node processes on one volume file, each in a network namespace of its own
 * ({@link NetLab}) with its own cluster address, as separate hosts would run them: every node
 * process can be killed, frozen or cut off. Nodes log to {@code node<i>-<start>.log} in the
 * cluster's directory. Closing unmounts every node (the leader last), kills what is left and
 * removes every mount.
 */
public final class ProcessCluster implements AutoCloseable {
    public static final int PORT = 7710;

    private final Path dir;
    private final Path volume;
    private final NetLab lab;
    private final List<NodeConfig> configs = new ArrayList<>();
    private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    private int starts;

    private ProcessCluster(Path dir, Path volume, NetLab lab) {
        this.dir = dir;
        this.volume = volume;
        this.lab = lab;
    }

    /**
     * Makes a volume with quorum {@code quorum} and starts {@code count} nodes on it at once, one
     * per host of {@code lab}; returns once all are mounted.
     */
    public static ProcessCluster start(Path dir, NetLab lab, int count, int quorum, UnaryOperator<NodeConfig> tweak)
            throws IOException, InterruptedException {
        Path volume = dir.resolve("volume");
        try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), (2L << 30) - 1);
        }
        try (FileBlockDevice d = FileBlockDevice.open(volume, true)) {
            Mkfs.format(d, null, new Mkfs.Options(quorum, 0, false));
        }
        ProcessCluster c = new ProcessCluster(dir, volume, lab);
        for (int i = 0; i < count; i++) {
            Path mnt = Files.createDirectories(dir.resolve("mnt" + i));
            NodeConfig config = NodeConfig.defaults(volume, mnt).withCommitInterval(Duration.ofSeconds(2))
                    .withControlDir(Files.createDirectories(dir.resolve("control")))
                    .withCluster(NodeConfig.Cluster.defaults().withServerAddr(lab.address(i) + ":" + PORT)
                            .withHeartbeatTimeout(Duration.ofMillis(2000)).withServerWait(Duration.ofSeconds(90)));
            c.configs.add(tweak.apply(config));
            c.nodes.add(null);
        }
        try {
            List<Thread> starting = new ArrayList<>();
            List<Exception> failed = new CopyOnWriteArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                // a quorum forms only once enough of them are up, so they start together
                starting.add(Thread.ofPlatform().start(() -> {
                    try {
                        c.startNode(n);
                    } catch (IOException | RuntimeException | InterruptedException e) {
                        failed.add(e);
                    }
                }));
            }
            for (Thread t : starting) {
                t.join();
            }
            if (!failed.isEmpty()) {
                throw new IOException("a node did not start", failed.getFirst());
            }
            return c;
        } catch (IOException | RuntimeException | InterruptedException e) {
            c.close();
            throw e;
        }
    }

    /** Starts node {@code i} (again), in its host's network; returns once it is mounted. */
    public NodeProcess startNode(int i) throws IOException, InterruptedException {
        int n;
        synchronized (this) {
            n = ++starts;
        }
        NodeProcess p = NodeProcess.start(configs.get(i), dir.resolve("node" + i + "-" + n + ".log"), lab.inHost(i));
        nodes.set(i, p);
        return p;
    }

    public NodeProcess node(int i) {
        return nodes.get(i);
    }

    public Path mount(int i) {
        return configs.get(i).mountPoint();
    }

    public int size() {
        return configs.size();
    }

    public Path volume() {
        return volume;
    }

    public Path controlDir() {
        return dir.resolve("control");
    }

    public NetLab lab() {
        return lab;
    }

    /** The quorum slots as the volume records them now. */
    public List<QuorumSlot> slots() {
        try (FileBlockDevice d = FileBlockDevice.open(volume, false)) {
            return QuorumArea.readAll(d, Supers.readNewest(d).fsid());
        }
    }

    /** Mount ids of the mounts the volume's last server commit records as mounted. */
    public List<Long> mountedClients() {
        return mountedClients(volume);
    }

    /** The mount ids the newest super block of {@code volume} records as mounted. */
    public static List<Long> mountedClients(Path volume) {
        try (FileBlockDevice d = FileBlockDevice.open(volume, false)) {
            SuperBlock sb = Supers.readNewest(d);
            BtreeCursor c = BtreeReader.cursor(new MetaBlocks(d, sb.fsid(), new BlockCache(64)), sb.serverRoot(),
                    Key.MIN, Key.MAX);
            List<Long> out = new ArrayList<>();
            for (Item item = c.next(); item != null; item = c.next()) {
                if (item.key().zone() == Zones.MOUNTED_CLIENT) {
                    out.add(MountedClientRecord.decode(item.key(), item.value()).rid());
                }
            }
            return out;
        }
    }

    /**
     * The node whose process the quorum slots name as the leader of the newest elected term, or -1
     * if that process is none of the live nodes.
     */
    public int leader() {
        QuorumSlot newest = null;
        for (QuorumSlot s : slots()) {
            if (!s.isFree() && s.mayBeServing() && (newest == null || s.electedTerm() > newest.electedTerm())) {
                newest = s;
            }
        }
        if (newest == null) {
            return -1;
        }
        for (int i = 0; i < nodes.size(); i++) {
            NodeProcess p = nodes.get(i);
            if (p != null && p.isAlive() && p.pid() == newest.ownerPid()) {
                return i;
            }
        }
        return -1;
    }

    /** The newest term a slot records as elected. */
    public long newestElectedTerm() {
        return slots().stream().mapToLong(QuorumSlot::electedTerm).max().orElse(0);
    }

    /** Waits until a live node other than {@code not} leads a term newer than {@code after}; returns it. */
    public int awaitNewLeader(long after, int not, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int l = leader();
            if (l >= 0 && l != not && newestElectedTerm() > after) {
                return l;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no new leader within " + timeout.toSeconds() + " s; slots: " + slots());
    }

    /** Every node's log, for failure messages. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                sb.append("==== ").append(p.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append("(logs unreadable: ").append(e).append(')');
        }
        return sb.toString();
    }

    /** Unmounts every live node, the leader last, then kills whatever is left and clears the mounts. */
    @Override
    public void close() {
        int leader = -1;
        try {
            leader = leader();
        } catch (RuntimeException e) {
            // the volume is unreadable; everything is killed below
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != leader) {
                order.add(i);
            }
        }
        if (leader >= 0) {
            order.add(leader);
        }
        // every node is asked to unmount before any is waited for: the last voting nodes stay
        // until the others have gone too (the farewell gate), and leave together
        List<NodeProcess> leaving = new ArrayList<>();
        for (int i : order) {
            NodeProcess p = nodes.get(i);
            if (p == null) {
                continue;
            }
            try {
                if (p.isAlive()) {
                    p.thaw();
                    p.requestUnmount();
                    leaving.add(p);
                }
            } catch (IOException | RuntimeException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (NodeProcess p : leaving) {
            try {
                p.awaitExit(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (NodeProcess p : nodes) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (NodeConfig c : configs) {
            Mounts.forceUnmountIfMounted(c.mountPoint());
        }
    }
}
