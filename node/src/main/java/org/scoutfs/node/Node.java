package org.scoutfs.node;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.scoutfs.fuse.FuseMount;
import org.scoutfs.fuse.MountOptions;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.node.bus.EventBusLockTransport;
import org.scoutfs.node.bus.EventBusServerApi;
import org.scoutfs.node.fs.FsInvalidator;
import org.scoutfs.node.fs.FsOptions;
import org.scoutfs.node.fs.LockClientLocks;
import org.scoutfs.node.fs.ScoutFs;
import org.scoutfs.node.verticle.CompactionVerticle;
import org.scoutfs.node.verticle.LockServerVerticle;
import org.scoutfs.node.verticle.ServerVerticle;

/**
 * One node: a mounted volume served by this process.
 *
 * <p>Start order: open the devices and check the volume; start the server role (this node is
 * the only quorum member until the cluster issue adds elections) and its lock service as
 * verticles; then the node's client side, which reaches both only over the event bus, exactly as
 * a node in another process would; the filesystem; orphan cleanup; background commits and
 * merges; and finally the FUSE mount. Stopping runs the other way and ends with a final commit
 * and a farewell to the server, so a clean unmount leaves nothing to recover.
 */
public final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final NodeConfig config;
    private final Vertx vertx;
    private final List<BlockDevice> devices = new ArrayList<>();
    private String serverDeployment;
    private String lockServerDeployment;
    private String compactionDeployment;
    private VolumeServer server;
    private NodeStore store;
    private LockClient lockClient;
    private EventBusLockTransport lockTransport;
    private ScoutFs fs;
    private FuseMount mount;
    private long fsid;
    private boolean closed;

    private Node(NodeConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** Starts a node and mounts its volume; blocks until mounted. Call from a worker or virtual thread. */
    public static Node start(Vertx vertx, NodeConfig config) throws IOException {
        Node n = new Node(config, vertx);
        try {
            n.startAll();
            return n;
        } catch (IOException | RuntimeException | Error e) {
            try {
                n.close();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void startAll() throws IOException {
        long t0 = System.nanoTime();
        FileBlockDevice meta = FileBlockDevice.openExclusive(config.metaDevice(), "mounting");
        devices.add(meta);
        FileBlockDevice data = null;
        if (config.dataDevice() != null) {
            data = FileBlockDevice.openExclusive(config.dataDevice(), "mounting");
            devices.add(data);
        }
        SuperBlock sb = Supers.readNewest(meta);
        Supers.checkUsable(sb, meta, data);
        fsid = sb.fsid();
        MetaBlocks blocks = new MetaBlocks(meta, fsid, new BlockCache(config.cacheBlocks()));

        VolumeServer.Options serverOptions = VolumeServer.Options.defaults(sb);
        long t1 = System.nanoTime();
        server = VolumeServer.start(blocks, sb, serverOptions, List.of());
        long t2 = System.nanoTime();
        serverDeployment = deploy(new ServerVerticle(fsid, server));
        lockServerDeployment = deploy(new LockServerVerticle(fsid, server::newWriteSeq,
                LockServerVerticle.Options.defaults()));

        long rid = new SecureRandom().nextLong();
        ServerApi api = new EventBusServerApi(vertx, fsid, CALL_TIMEOUT);
        store = new NodeStore(rid, api, blocks, NodeStore.Options.defaults(), serverOptions.metaGrantBlocks(),
                serverOptions.dataGrantBlocks());
        BlockDevice dataDevice = data == null ? meta : data;
        if (data != null) {
            store.beforeCommit(data::force);
        }
        FsInvalidator invalidator = new FsInvalidator(store);
        lockTransport = new EventBusLockTransport(vertx, fsid, rid, CALL_TIMEOUT);
        lockClient = new LockClient(lockTransport, invalidator, Executors.newVirtualThreadPerTaskExecutor(),
                LockClient.Options.defaults());
        await(lockTransport.attach(lockClient));
        fs = new ScoutFs(store, new LockClientLocks(lockClient), dataDevice, api,
                new FsOptions(Duration.ofHours(1), config.posixAcl()), Clock.systemUTC());
        invalidator.filesystem(fs);
        long t3 = System.nanoTime();
        fs.reclaimOrphans();
        long t4 = System.nanoTime();
        compactionDeployment = deploy(new CompactionVerticle(store, api, blocks, config.commitInterval()));

        MountOptions options = MountOptions.builder().fsName(config.metaDevice().toAbsolutePath().toString())
                .subtype("scoutfs").allowOther(true).defaultPermissions(true).posixAcl(config.posixAcl())
                .writebackCache(config.writebackCache())
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
        LOG.log(System.Logger.Level.INFO, "mounted {0} on {1} as mount {2} in {3} ms (open {4}, server {5}, "
                        + "client {6}, orphans {7}, background {8}, fuse {9})", config.metaDevice(), config.mountPoint(),
                Long.toHexString(rid), ms(t0, t6), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t5), ms(t5, t6));
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private String deploy(io.vertx.core.Deployable verticle) {
        return await(vertx.deployVerticle(verticle));
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        return store.rid();
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

    /** Unmounts (if still mounted), commits everything, says farewell to the server and stops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        // background commits and merges stop before the final commit
        step(failures, () -> undeploy(compactionDeployment));
        step(failures, () -> {
            if (fs != null) {
                fs.close();
            }
        });
        step(failures, () -> {
            if (store != null && !store.failed()) {
                store.close();
            }
        });
        step(failures, () -> {
            if (lockTransport != null) {
                await(lockTransport.farewell());
                lockTransport.close();
            }
        });
        step(failures, () -> {
            if (lockClient != null) {
                lockClient.close();
            }
        });
        step(failures, () -> {
            if (server != null && !server.failed()) {
                server.sync();
            }
        });
        step(failures, () -> undeploy(lockServerDeployment));
        step(failures, () -> undeploy(serverDeployment));
        for (BlockDevice d : devices) {
            step(failures, d::close);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void undeploy(String id) {
        if (id != null) {
            await(vertx.undeploy(id));
        }
    }

    private static void step(List<RuntimeException> failures, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
