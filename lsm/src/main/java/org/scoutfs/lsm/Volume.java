package org.scoutfs.lsm;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.server.Merges;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * A volume opened by one process that is both the server and the only node: the embedded form of
 * the store, for tools, tests and benchmarks. The node still talks to the server only through
 * {@link org.scoutfs.lsm.server.ServerApi}, exactly as a node in another process would.
 *
 * <p>A background thread commits the open transaction every {@code commitInterval} and merges
 * finalized log trees into the fs root.
 */
public final class Volume implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Volume.class.getName());

    /**
     * @param cacheBlocks    metadata blocks kept in memory
     * @param commitInterval how often dirty items are committed without being asked; zero for never
     * @param backgroundMerge merge finalized log trees in the background
     * @param finalizeBlocks log tree size at which the server finalizes it, 0 for the default
     */
    public record Options(int cacheBlocks, Duration commitInterval, boolean backgroundMerge, long finalizeBlocks,
                          NodeStore.Options store) {
        public static Options defaults() {
            return new Options(4096, Duration.ofSeconds(10), true, 0, NodeStore.Options.defaults());
        }

        public Options withCommitInterval(Duration d) {
            return new Options(cacheBlocks, d, backgroundMerge, finalizeBlocks, store);
        }

        public Options withBackgroundMerge(boolean b) {
            return new Options(cacheBlocks, commitInterval, b, finalizeBlocks, store);
        }

        public Options withFinalizeBlocks(long blocks) {
            return new Options(cacheBlocks, commitInterval, backgroundMerge, blocks, store);
        }

        public Options withCacheBlocks(int blocks) {
            return new Options(blocks, commitInterval, backgroundMerge, finalizeBlocks, store);
        }
    }

    private final BlockDevice metaDevice;
    private final BlockDevice dataDevice;
    private final MetaBlocks blocks;
    private final VolumeServer server;
    private final NodeStore store;
    private final ScheduledExecutorService background;
    private final Object mergeLock = new Object();

    private Volume(BlockDevice meta, BlockDevice data, Options options) {
        this.metaDevice = meta;
        this.dataDevice = data;
        SuperBlock sb = Supers.readNewest(meta);
        Supers.checkUsable(sb, meta, data);
        this.blocks = new MetaBlocks(meta, sb.fsid(), new BlockCache(options.cacheBlocks()));
        VolumeServer.Options serverOptions = VolumeServer.Options.defaults(sb);
        if (options.finalizeBlocks() > 0) {
            serverOptions = serverOptions.withFinalizeBlocks(options.finalizeBlocks());
        }
        this.server = VolumeServer.startExclusive(blocks, sb, serverOptions);
        this.store = NodeStore.join(Volume.localClient(new SecureRandom().nextLong()), server, blocks, options.store(),
                serverOptions.metaGrantBlocks(), serverOptions.dataGrantBlocks());
        server.addRootListener(store::offerRoots);
        boolean periodic = !options.commitInterval().isZero() || options.backgroundMerge();
        if (periodic) {
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scoutfs-volume-background");
                t.setDaemon(true);
                return t;
            });
            long period = options.commitInterval().isZero() ? 1000 : options.commitInterval().toMillis();
            boolean commits = !options.commitInterval().isZero();
            boolean merges = options.backgroundMerge();
            background.scheduleWithFixedDelay(() -> backgroundWork(commits, merges), period, period, TimeUnit.MILLISECONDS);
        } else {
            background = null;
        }
    }

    /** This process as a mounted client named {@code rid}, with no cluster address. */
    public static MountedClientRecord localClient(long rid) {
        ProcessIdentity self = ProcessIdentity.current();
        return new MountedClientRecord(rid, self.pid(), self.startTime(), System.currentTimeMillis(), 0, self.host(), "");
    }

    /** Opens the volume on {@code meta} (and {@code data}, if it has a separate data device). */
    public static Volume open(Path meta, Path data, Options options) {
        FileBlockDevice m = FileBlockDevice.openExclusive(meta, "opening the volume");
        FileBlockDevice d = null;
        try {
            d = data == null ? null : FileBlockDevice.openExclusive(data, "opening the volume");
            return new Volume(m, d, options);
        } catch (RuntimeException e) {
            m.close();
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    public static Volume open(BlockDevice meta, BlockDevice data, Options options) {
        return new Volume(meta, data, options);
    }

    public NodeStore store() {
        return store;
    }

    public VolumeServer server() {
        return server;
    }

    public MetaBlocks blocks() {
        return blocks;
    }

    /** The device data blocks live on. */
    public BlockDevice dataDevice() {
        return dataDevice == null ? metaDevice : dataDevice;
    }

    private void backgroundWork(boolean commits, boolean merges) {
        try {
            if (commits) {
                store.commit();
            }
            if (merges) {
                while (mergeOnce()) {
                    // keep going while finalized trees wait
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "background commit or merge failed", e);
        }
    }

    /** Merges the finalized log trees once, if there are any; returns whether it merged. */
    public boolean mergeOnce() {
        synchronized (mergeLock) {
            return Merges.runOnce(server, blocks, store.rid());
        }
    }

    /** Commits, finalizes this node's log tree and merges everything into the fs root. */
    public void mergeNow() {
        store.commitAndFinalize();
        while (mergeOnce()) {
            // until nothing is left to merge
        }
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (!store.failed() && !server.failed()) {
                store.close();
            }
        } finally {
            metaDevice.close();
            if (dataDevice != null) {
                dataDevice.close();
            }
        }
    }
}
