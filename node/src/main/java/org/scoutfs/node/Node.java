package org.scoutfs.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.scoutfs.fuse.FuseMount;
import org.scoutfs.fuse.MountOptions;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.EventBusLockTransport;
import org.scoutfs.node.bus.Ping;
import org.scoutfs.node.coherence.LockInvalidator;
import org.scoutfs.node.fencing.CommandFencer;
import org.scoutfs.node.fencing.Fencer;
import org.scoutfs.node.fencing.ProcessFencer;
import org.scoutfs.node.fs.FsOptions;
import org.scoutfs.node.fs.LockClientLocks;
import org.scoutfs.node.fs.ScoutFs;
import org.scoutfs.node.membership.ClusterMembership;
import org.scoutfs.node.membership.LocalMembership;
import org.scoutfs.node.membership.Member;
import org.scoutfs.node.membership.Membership;
import org.scoutfs.node.openmap.OpenMap;
import org.scoutfs.node.quorum.BusQuorumLink;
import org.scoutfs.node.quorum.Election;
import org.scoutfs.node.quorum.LeaderWatch;
import org.scoutfs.node.quorum.QuorumLink;
import org.scoutfs.node.quorum.QuorumMember;
import org.scoutfs.node.quorum.SlotClaim;
import org.scoutfs.node.quorum.UdpQuorumLink;
import org.scoutfs.node.recovery.ServerSession;
import org.scoutfs.node.server.ServerRole;
import org.scoutfs.node.verticle.CompactionVerticle;
import org.scoutfs.node.verticle.ServerEndpointVerticle;

/**
 * One node: a mounted volume served by this process, one of possibly many nodes of the volume.
 *
 * <p>Start order: join the volume's cluster (or, for a node without a cluster address, a group of
 * one); take a quorum slot if one is free and take part in the election, ready to run the server
 * if elected; find the server and greet it; then the node's client side, which reaches the server
 * and the lock server only over the event bus, whether they run here or elsewhere; the filesystem;
 * deletion of the orphans nobody uses; background commits, merges and orphan scans; and finally
 * the FUSE mount. Stopping runs the other way: a final commit and a farewell to the server, so a
 * clean unmount leaves nothing to recover, and, if this node leads, a resignation so that another
 * is elected at once.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final NodeBoot boot;
    private final NodeConfig config;
    private final Vertx vertx;
    private final Consumer<String> progress;
    private String compactionDeployment;
    private Membership membership;
    private LeaderWatch watch;
    private OpenMap openMap;
    private volatile QuorumMember member;
    private QuorumLink link;
    private long directoryTimer = -1;
    private String endpointDeployment;
    private ServerRole role;
    private MetaBlocks blocks;
    private long slotRetry = -1;
    private ServerSession session;
    private NodeStore store;
    private LockClient lockClient;
    private EventBusLockTransport lockTransport;
    private ScoutFs fs;
    private FuseMount mount;
    private long fsid;
    private SuperBlock sb;
    private boolean closed;

    private Node(NodeBoot boot, Vertx vertx, Consumer<String> progress) {
        this.boot = boot;
        this.config = boot.config();
        this.vertx = vertx;
        this.progress = progress;
    }

    /**
     * Starts a node on the devices {@code boot} opened and mounts its volume; blocks until
     * mounted. Call from a worker or virtual thread.
     *
     * @param progress told what the node waits for while it waits (a quorum, a server)
     */
    public static Node start(Vertx vertx, NodeBoot boot, Consumer<String> progress) throws IOException {
        Node n = new Node(boot, vertx, progress);
        try {
            n.startAll();
            return n;
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            try {
                n.close();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while mounting", e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        BlockDevice meta = boot.meta();
        sb = boot.superBlock();
        fsid = sb.fsid();
        long rid = boot.rid();
        MetaBlocks blocks = new MetaBlocks(meta, fsid, new BlockCache(config.cacheBlocks()));
        ProcessIdentity me = ProcessIdentity.current();
        String address = boot.bind() == null ? "" : boot.bind().toString();
        long clusterHash = ClusterHash.of();
        membership = boot.clustered() ? new ClusterMembership(vertx, boot.clusterManager())
                : LocalMembership.join(fsid, new Member(rid, me, address, clusterHash));
        for (Member m : membership.members()) {
            if (m.clusterHash() != clusterHash) {
                throw new BadVolumeException("the node at " + m.address() + " (pid " + m.process().pid() + " on "
                        + m.process().host() + ") runs a scoutfs build whose format or messages differ from this one's "
                        + String.format("(cluster hash %016x, this build %016x)", m.clusterHash(), clusterHash)
                        + "; every node of a volume must run the same build");
            }
        }
        link = boot.clustered() ? await(UdpQuorumLink.start(vertx, fsid, boot.bind()))
                : await(BusQuorumLink.start(vertx, fsid, rid));
        watch = new LeaderWatch(link, rid);
        refreshDirectory();
        directoryTimer = vertx.setPeriodic(1000, id -> Thread.ofVirtual().start(this::refreshDirectory));
        openMap = new OpenMap(vertx, fsid, rid, membership, Duration.ofSeconds(5));
        await(openMap.start());
        long t1 = System.nanoTime();

        this.blocks = blocks;
        QuorumSlot slot = boot.slot();
        if (slot != null) {
            startVoting(slot);
        } else if (config.cluster().quorumSlot()) {
            // a slot may free up (a node unmounts, or its process turns out to be gone): take it then
            slotRetry = vertx.setPeriodic(2000, id -> Thread.ofVirtual().start(() -> retryClaim(meta, rid, me, address)));
        }
        MountedClientRecord client = new MountedClientRecord(rid, me.pid(), me.startTime(), System.currentTimeMillis(),
                slot != null ? MountedClientRecord.FLAG_QUORUM : 0, me.host(), address);
        session = new ServerSession(vertx, fsid, client, watch, CALL_TIMEOUT, config.cluster().serverWait(), progress,
                () -> {
                    QuorumMember m = member;
                    return m != null ? m.waitReport() : "this node holds no quorum slot and hears no leader";
                });
        ServerApi.Welcome welcome = session.connect(config.cluster().mountTimeout());
        long t2 = System.nanoTime();

        VolumeServer.Options grants = VolumeServer.Options.defaults(sb);
        store = new NodeStore(rid, session.api(), blocks, NodeStore.Options.defaults(), grants.metaGrantBlocks(),
                grants.dataGrantBlocks(), welcome);
        BlockDevice dataDevice = boot.data() == null ? meta : boot.data();
        if (boot.data() != null) {
            store.beforeCommit(boot.data()::force);
        }
        LockInvalidator invalidator = new LockInvalidator(store);
        lockTransport = new EventBusLockTransport(vertx, fsid, rid, session, CALL_TIMEOUT);
        lockClient = new LockClient(lockTransport, invalidator, Executors.newVirtualThreadPerTaskExecutor(),
                LockClient.Options.defaults());
        await(lockTransport.attach(lockClient));
        session.attach(store, lockClient, lockTransport);
        session.onFenced(this::giveUpFencedMount);
        fs = new ScoutFs(store, new LockClientLocks(lockClient, store::ensureRoots), dataDevice, session.api(),
                new FsOptions(Duration.ofHours(1), config.posixAcl()), Clock.systemUTC(), openMap);
        openMap.answerWith(fs::openOf);
        invalidator.filesystem(fs);
        long t3 = System.nanoTime();
        fs.reclaimOrphans();
        long t4 = System.nanoTime();
        compactionDeployment = await(vertx.deployVerticle(new CompactionVerticle(store, session::direct,
                session.mergeGate().readLock(), blocks, config.commitInterval(), fs::reclaimOrphans)));

        MountOptions options = MountOptions.builder().fsName(config.metaDevice().toAbsolutePath().toString())
                .subtype("scoutfs").allowOther(true).defaultPermissions(true).posixAcl(config.posixAcl())
                .writebackCache(config.writebackCache())
                // another node's write shows as a new size or mtime once the lock's loss invalidated
                // the attributes; the kernel then drops the pages it cached of the file itself
                .autoInvalidateData(true)
                // the kernel leaves clearing setuid/setgid on writes and truncates to us, so it follows local filesystems' rules
                .handleKillPrivV2(true)
                // an interrupted thread would close the device's FileChannel for the whole node
                .interruptWorkerThreads(false).backingDeviceReadAheadKb(1024)
                // measured: a few readers sharing one descriptor answer small requests fastest here
                .readerThreads(2).maxReaderThreads(16).cloneDeviceFd(false).build();
        long t5 = System.nanoTime();
        mount = FuseMount.mount(fs, config.mountPoint(), options);
        invalidator.notifier(mount.notifier());
        long t6 = System.nanoTime();
        LOG.log(System.Logger.Level.INFO, "mounted {0} on {1} as mount {2} ({3}) with the server of term {4} in {5} ms "
                        + "(cluster {6}, quorum {7}, client {8}, orphans {9}, fuse {10})", config.metaDevice(),
                config.mountPoint(), Long.toHexString(rid), slot == null ? "no quorum slot" : "quorum slot " + slot.slot(),
                session.term(), ms(t0, t6), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t5, t6));
    }

    /** Takes part in elections from quorum slot {@code slot}, ready to run the server if elected. */
    private void startVoting(QuorumSlot slot) {
        Fencer command = config.cluster().fenceCommand().isEmpty() ? null
                : new CommandFencer(Path.of(config.cluster().fenceCommand()), Duration.ofSeconds(30));
        ServerEndpointVerticle endpoint = new ServerEndpointVerticle(fsid, boot.rid());
        endpointDeployment = await(vertx.deployVerticle(endpoint));
        role = new ServerRole(vertx, fsid, boot.rid(), boot.meta(), blocks,
                new ProcessFencer(command, Duration.ofSeconds(10)), membership, ServerRole.Options.defaults(),
                gone -> reapOrphansSoon(), endpoint);
        QuorumMember m = new QuorumMember(vertx, boot.meta(), fsid, slot, sb.quorumSlots(),
                Election.Timing.of(sb.quorumCount(), config.cluster().heartbeatTimeout().toMillis()), role, watch, link,
                () -> membership.members().stream().map(Member::rid).toList());
        role.member(m);
        membership.onLeft(m::memberGone);
        watch.votes();
        m.start();
        member = m;
    }

    /**
     * Tells the quorum link where every node is (the quorum slots and the membership say), and keeps
     * the cluster's routing of every other node's fixed addresses warm (see {@link Addresses}).
     */
    private void refreshDirectory() {
        try {
            for (QuorumSlot s : QuorumArea.readAll(boot.meta(), fsid)) {
                if (!s.isFree()) {
                    link.knownAt(s.ownerRid(), s.address());
                }
            }
            for (Member m : membership.members()) {
                link.knownAt(m.rid(), m.address());
                if (boot.clustered()) {
                    // this node's own addresses too: a clustered node looks up even its own
                    Ping p = new Ping();
                    for (String a : List.of(Addresses.server(fsid, m.rid()), Addresses.lockServer(fsid, m.rid()),
                            Addresses.lockClient(fsid, m.rid()), Addresses.node(fsid, m.rid(), OpenMap.INODES_OPEN))) {
                        vertx.eventBus().request(a, p, new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(5000));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "refreshing the node directory failed: {0}", e.toString());
        }
    }

    private synchronized void retryClaim(BlockDevice meta, long rid, ProcessIdentity me, String address) {
        if (closed || member != null) {
            return;
        }
        try {
            QuorumSlot slot = SlotClaim.claim(meta, fsid, sb.quorumSlots(), rid, me, address);
            if (slot != null) {
                vertx.cancelTimer(slotRetry);
                LOG.log(System.Logger.Level.INFO, "took quorum slot {0}, which came free", slot.slot());
                startVoting(slot);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "taking a quorum slot failed: " + e.getMessage());
        }
    }

    private void reapOrphansSoon() {
        ScoutFs f = fs;
        if (f != null) {
            Thread.ofVirtual().name("scoutfs-orphans").start(() -> {
                try {
                    f.reclaimOrphans();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "deleting the orphans of a mount declared gone failed; "
                            + "the next orphan scan tries again", e);
                }
            });
        }
    }

    /** The server declared this mount gone: nothing it holds may reach the volume, so the mount goes. */
    private void giveUpFencedMount() {
        FuseMount m = mount;
        if (m != null) {
            try {
                m.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "unmounting the fenced mount failed", e);
            }
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out starting the node", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public long fsid() {
        return fsid;
    }

    /** This mount's id among the volume's mounts. */
    public long rid() {
        return boot.rid();
    }

    /** Volume-wide space and inode figures, with this node's open transaction counted. */
    public ServerApi.Usage usage() {
        return store.usage();
    }

    public ScoutFs filesystem() {
        return fs;
    }

    public Path mountPoint() {
        return config.mountPoint();
    }

    /** Completes when the filesystem is unmounted, by us or from outside. */
    public CompletionStage<Void> unmounted() {
        return mount.termination();
    }

    /** True while this node leads and its server is up. */
    public boolean leads() {
        ServerRole r = role;
        return r != null && r.serverUp();
    }

    /** What this node knows of the cluster, for {@code scoutfs cluster}. */
    public ClusterStatus clusterStatus() {
        return ClusterStatus.of(this, boot.meta(), sb, membership, watch, member, session);
    }

    /** Unmounts (if still mounted), commits everything, says farewell to the server and stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (slotRetry >= 0) {
            vertx.cancelTimer(slotRetry);
        }
        if (directoryTimer >= 0) {
            vertx.cancelTimer(directoryTimer);
        }
        List<RuntimeException> failures = new ArrayList<>();
        step(failures, () -> {
            if (mount != null) {
                try {
                    mount.close();
                } catch (IOException e) {
                    throw new IllegalStateException("unmount of " + config.mountPoint() + " failed", e);
                }
            }
        });
        // background commits, merges and orphan scans stop before the final commit
        step(failures, () -> {
            if (compactionDeployment != null) {
                await(vertx.undeploy(compactionDeployment));
            }
        });
        step(failures, () -> {
            if (fs != null) {
                fs.close();
            }
        });
        step(failures, () -> {
            if (store != null && !store.failed() && session != null && session.failure() == null) {
                store.close();
            }
        });
        step(failures, () -> {
            // the farewell (in the store's close) freed this mount's locks on the server too
            if (lockTransport != null) {
                lockTransport.close();
            }
        });
        step(failures, () -> {
            if (lockClient != null) {
                lockClient.close();
            }
        });
        step(failures, () -> {
            if (session != null) {
                session.close();
            }
        });
        step(failures, () -> {
            QuorumMember m = member;
            if (m != null) {
                m.resign();
                m.close();
            } else if (boot.slot() != null) {
                // taken at boot and never used: give it back for the next node
                QuorumSlot onDisk = QuorumArea.read(boot.meta(), fsid, boot.slot().slot());
                if (onDisk.ownerRid() == boot.rid()) {
                    QuorumArea.write(boot.meta(), fsid, onDisk.released());
                }
            }
        });
        step(failures, () -> {
            if (endpointDeployment != null) {
                await(vertx.undeploy(endpointDeployment));
            }
        });
        step(failures, () -> {
            if (openMap != null) {
                openMap.close();
            }
        });
        step(failures, () -> {
            if (link != null) {
                link.close();
            }
        });
        step(failures, () -> {
            if (watch != null) {
                watch.close();
            }
        });
        step(failures, () -> {
            if (membership != null) {
                membership.close();
            }
        });
        step(failures, boot::close);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void step(List<RuntimeException> failures, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    // for ClusterStatus
    QuorumMember quorumMember() {
        return member;
    }

    ServerRole serverRole() {
        return role;
    }
}
