package org.scoutfs.node.fs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.alloc.ExtentSet;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.ExtentItem;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deleting a file of many extents, on a node put together by hand over an in-memory volume so the
 * test sees every slice of the deletion and every commit the node sends the server. The deletion
 * goes in slices of bounded size, each starting where the last one ended (never at block 0
 * again, which made deleting n extents cost n² steps inside transaction holds); commits carry a
 * bounded number of freed extents, so the server's commit stays small too; everything is free at
 * the end; and a crash after any slice leaves the last commit whole, from which the next mount's
 * reaper finishes the file with nothing leaked and nothing freed twice.
 */
class DeletionSlicesTest {
    /** Twenty slices, and two commits of the reaper's own on the way. */
    private static final int EXTENTS = 10_000;
    private static final AtomicLong MOUNT_IDS = new AtomicLong(0x5ca1ab1e);

    /** A node and its server on a device: what a mount builds, less FUSE and the event bus. */
    private static final class Rig implements AutoCloseable {
        final VolumeServer server;
        final NodeStore store;
        final FsCore core;
        final Reaper reaper;
        /** Every commit the node sent, once the server made it durable. */
        final List<ServerApi.LogTreeCommit> commits = new CopyOnWriteArrayList<>();

        Rig(MemoryBlockDevice device) {
            SuperBlock sb = Supers.readNewest(device);
            MetaBlocks blocks = new MetaBlocks(device, sb.fsid(), new BlockCache(1024));
            VolumeServer.Options options = VolumeServer.Options.defaults(sb);
            server = VolumeServer.startExclusive(blocks, sb, options);
            long rid = MOUNT_IDS.incrementAndGet();
            ServerApi api = recording(server, commits);
            store = NodeStore.join(Volume.localClient(rid), api, blocks, NodeStore.Options.defaults(),
                    options.metaGrantBlocks(), options.dataGrantBlocks());
            server.addRootListener(store::offerRoots);
            core = new FsCore(store, new InodeLocks(Rig::grantEverything), new FileData(store, device),
                    new InodeNumbers(api, rid), new FsOptions(Duration.ofHours(1), false), Clock.systemUTC(), InodeUse.ALONE);
            reaper = new Reaper(core);
            reaper.lifetimes(new Lifetimes(reaper::maybeDelete));
        }

        /** One node alone: every lock is its own at once. */
        private static ClusterLocks.Handle grantEverything(List<LockRange> ranges, LockMode mode) {
            return new ClusterLocks.Handle() {
                @Override
                public long writeSeq() {
                    return 0;
                }

                @Override
                public void close() {
                }
            };
        }

        long freeDataBlocks() {
            store.sync();
            return store.usage().freeDataBlocks();
        }

        @Override
        public void close() {
            reaper.close();
            store.close();
        }
    }

    private static MemoryBlockDevice freshDevice() {
        MemoryBlockDevice device = new MemoryBlockDevice("volume", 256L << 20);
        Mkfs.format(device, null, new Mkfs.Options(1, 0, false));
        return device;
    }

    private static long newFile(Rig rig) {
        long ino = rig.core.numbers.next(false);
        try (Txn t = rig.store.hold()) {
            rig.core.inodes.write(t, Inodes.fresh(ino, Inode.S_IFREG | 0644, 0, 0, 0, rig.core.now()), false, 0);
        }
        return ino;
    }

    /**
     * A file of {@code extents} one-block extents, written block by block in turn with a spacer
     * file, with a hole after each block: none of its extents joins another in the file, and none
     * of its blocks is next to another on the device, so every freed extent stays one of its own.
     * Returns the file and the spacer.
     */
    private static long[] fragmentedFile(Rig rig, int extents) {
        long file = newFile(rig);
        long spacer = newFile(rig);
        Inode f = rig.core.inodes.read(file);
        Inode s = rig.core.inodes.read(spacer);
        ByteBuffer block = ByteBuffer.allocate(FileData.BLOCK_SIZE);
        for (int i = 0; i < extents; i += 256) {
            try (Txn t = rig.store.hold()) {
                for (int j = i; j < Math.min(extents, i + 256); j++) {
                    rig.core.data.write(t, f, (2L * j) << FileData.BLOCK_SHIFT, block.clear(), 0);
                    rig.core.data.write(t, s, (long) j << FileData.BLOCK_SHIFT, block.clear(), 0);
                }
                rig.core.inodes.write(t, f, true, 0);
                rig.core.inodes.write(t, s, true, 0);
            }
        }
        return new long[] {file, spacer};
    }

    /** What unlink does to a file nothing uses: no links, and an orphan item for the reaper. */
    private static void unlink(Rig rig, long ino) {
        Inode f = rig.core.inodes.read(ino);
        try (Txn t = rig.store.holdForDeletion()) {
            f.nlink = 0;
            rig.core.inodes.write(t, f, false, 0);
            t.put(Zones.orphanKey(ino), new byte[0]);
        }
    }

    private static List<ExtentItem> extentsOf(Rig rig, long ino) {
        List<ExtentItem> out = new ArrayList<>();
        for (Item item : rig.store.scan(Zones.extentKey(ino, 0), Zones.extentKey(ino, -1L), Integer.MAX_VALUE)) {
            out.add(ExtentItem.decode(item.key(), item.value()));
        }
        return out;
    }

    private static long freedDataBlocks(List<ServerApi.LogTreeCommit> commits) {
        return commits.stream().flatMap(c -> c.freedData().stream()).mapToLong(Extent::len).sum();
    }

    @Test
    void aLargeDeletionGoesInBoundedSlicesAndBoundedCommits() {
        try (Rig rig = new Rig(freshDevice())) {
            long freeAtStart = rig.freeDataBlocks();
            long file = fragmentedFile(rig, EXTENTS)[0];
            unlink(rig, file);
            rig.store.sync();
            assertThat(extentsOf(rig, file)).hasSize(EXTENTS);

            List<Reaper.Slice> slices = new ArrayList<>();
            rig.reaper.observeSlices(slices::add);
            int commitsBefore = rig.commits.size();
            rig.reaper.reap(file);
            rig.store.sync();

            int perSlice = Reaper.EXTENTS_PER_SLICE;
            assertThat(slices).hasSize((EXTENTS + perSlice - 1) / perSlice);
            long resumeAt = 0;
            for (Reaper.Slice s : slices) {
                assertThat(s.extents()).isLessThanOrEqualTo(perSlice);
                assertThat(s.fromBlock()).as("a slice starts where the one before it ended").isEqualTo(resumeAt);
                assertThat(s.done()).isEqualTo(s == slices.getLast());
                resumeAt = s.nextBlock();
            }
            assertThat(slices.stream().mapToInt(Reaper.Slice::extents).sum()).isEqualTo(EXTENTS);

            List<ServerApi.LogTreeCommit> deletion = rig.commits.subList(commitsBefore, rig.commits.size());
            assertThat(deletion).as("commits that carried the deletion").hasSizeGreaterThan(2);
            assertThat(deletion).allSatisfy(c -> assertThat(c.freedData().size())
                    .isLessThanOrEqualTo(Reaper.FREED_EXTENTS_PER_COMMIT + perSlice));
            assertThat(freedDataBlocks(deletion)).isEqualTo(EXTENTS);

            // everything is free again but the spacer's blocks, and nothing of the file is left
            assertThat(rig.freeDataBlocks()).isEqualTo(freeAtStart - EXTENTS);
            assertThat(extentsOf(rig, file)).isEmpty();
            assertThat(rig.core.inodes.readOrNull(file)).isNull();
            assertThat(rig.store.get(Zones.orphanKey(file))).isNull();
        }
    }

    private static final class Crash extends RuntimeException {
        Crash() {
            super("the node dies here", null, false, false);
        }
    }

    /**
     * Crashes right after slice {@code crashAfter}: before and after the reaper's first commit
     * (after slice 8), in the middle, and after the last slice, which deleted the inode.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 8, 9, 13, 20})
    void aCrashAfterAnySliceRecoversToTheLastCommitAndTheNextMountFinishes(int crashAfter) {
        MemoryBlockDevice device = freshDevice();
        AtomicReference<MemoryBlockDevice> crashed = new AtomicReference<>();
        long file;
        long spacer;
        long freeAtStart;
        long freedBeforeCrash;
        try (Rig rig = new Rig(device)) {
            freeAtStart = rig.freeDataBlocks();
            long[] made = fragmentedFile(rig, EXTENTS);
            file = made[0];
            spacer = made[1];
            unlink(rig, file);
            rig.store.sync();
            int commitsBefore = rig.commits.size();
            AtomicInteger slices = new AtomicInteger();
            rig.reaper.observeSlices(s -> {
                if (slices.incrementAndGet() == crashAfter) {
                    // a killed process leaves exactly what it had written
                    crashed.set(device.copy("crashed"));
                    throw new Crash();
                }
            });
            assertThatThrownBy(() -> rig.reaper.reap(file)).isInstanceOf(Crash.class);
            freedBeforeCrash = freedDataBlocks(rig.commits.subList(commitsBefore, rig.commits.size()));
            // the reaper commits after every FREED_EXTENTS_PER_COMMIT extents, once its slice is done
            int slicesPerCommit = Reaper.FREED_EXTENTS_PER_COMMIT / Reaper.EXTENTS_PER_SLICE;
            assertThat(freedBeforeCrash)
                    .isEqualTo((long) (crashAfter - 1) / slicesPerCommit * Reaper.FREED_EXTENTS_PER_COMMIT);
        }

        try (Rig next = new Rig(crashed.get())) {
            // the last commit, whole: the committed slices' blocks are free, the rest is still the file's
            List<ExtentItem> left = extentsOf(next, file);
            assertThat(left).hasSize(EXTENTS - (int) freedBeforeCrash);
            Inode f = next.core.inodes.readOrNull(file);
            assertThat(f).isNotNull();
            assertThat(f.onlineBlocks).isEqualTo(left.size());
            assertThat(next.store.get(Zones.orphanKey(file))).isNotNull();
            assertThat(next.freeDataBlocks()).isEqualTo(freeAtStart - EXTENTS - left.size());
            // no block belongs to both files, or to a file and free space
            ExtentSet owned = new ExtentSet();
            left.forEach(e -> owned.add(e.blkno(), e.len()));
            extentsOf(next, spacer).forEach(e -> owned.add(e.blkno(), e.len()));
            assertThat(owned.total()).isEqualTo(EXTENTS + left.size());

            next.reaper.reapOrphans();
            assertThat(next.freeDataBlocks()).isEqualTo(freeAtStart - EXTENTS);
            assertThat(extentsOf(next, file)).isEmpty();
            assertThat(next.core.inodes.readOrNull(file)).isNull();
            assertThat(extentsOf(next, spacer)).hasSize(EXTENTS);
        }
    }

    /** The server, recording every commit it has made durable. */
    private static ServerApi recording(ServerApi server, List<ServerApi.LogTreeCommit> commits) {
        return (ServerApi) Proxy.newProxyInstance(ServerApi.class.getClassLoader(), new Class<?>[]{ServerApi.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(server, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commitLogTree")) {
                        commits.add((ServerApi.LogTreeCommit) args[0]);
                    }
                    return result;
                });
    }
}
