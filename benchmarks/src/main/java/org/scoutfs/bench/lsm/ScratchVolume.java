package org.scoutfs.bench.lsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * A freshly made scoutfs volume in a sparse file of its own, open as the embedded single-node
 * {@link Volume}; closing it closes the volume and deletes the file.
 *
 * <p>The file is 64 GiB but sparse, so it costs only what is written. The size matters because
 * mkfs gives metadata one eighth of it: the write benchmarks leave finalized log trees and
 * copy-on-write garbage behind, and 8 GiB of metadata keeps them far from running out of space,
 * which would measure the allocator's end game instead of steady-state writes.
 */
final class ScratchVolume implements AutoCloseable {
    private static final long VOLUME_BYTES = 64L << 30;

    private final Path directory;
    private final Volume volume;
    private final TimedBlockDevice timedDevice;

    private ScratchVolume(Path directory, Volume volume, TimedBlockDevice timedDevice) {
        this.directory = directory;
        this.volume = volume;
        this.timedDevice = timedDevice;
    }

    /**
     * Options every benchmark starts from: no timed commits (a benchmark says when to commit),
     * the shared cache budget, and the server's default log tree finalize threshold.
     */
    static Volume.Options baseOptions() {
        return Volume.Options.defaults()
                .withCommitInterval(Duration.ZERO)
                .withBackgroundMerge(false)
                .withCacheBlocks(CacheBudget.scoutfsBlocks());
    }

    /** A volume opened by path, exactly as users open one; what the benchmarks measure. */
    static ScratchVolume create(Volume.Options options) {
        return create(options, false);
    }

    /**
     * @param timed open the file through a {@link TimedBlockDevice}, for profiling tools that
     *              want the device's share of an operation; see {@link #timedDevice()}
     */
    static ScratchVolume create(Volume.Options options, boolean timed) {
        Path directory = ScratchSpace.newDirectory("scoutfs");
        try {
            Path file = directory.resolve("volume");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[1]), VOLUME_BYTES - 1);
            }
            try (FileBlockDevice device = FileBlockDevice.open(file, true)) {
                Mkfs.format(device, null, new Mkfs.Options(1, 0, false));
            }
            if (!timed) {
                return new ScratchVolume(directory, Volume.open(file, null, options), null);
            }
            TimedBlockDevice device = new TimedBlockDevice(FileBlockDevice.open(file, true));
            try {
                return new ScratchVolume(directory, Volume.open(device, null, options), device);
            } catch (RuntimeException e) {
                device.close();
                throw e;
            }
        } catch (IOException e) {
            ScratchSpace.deleteRecursively(directory);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ScratchSpace.deleteRecursively(directory);
            throw e;
        }
    }

    Volume volume() {
        return volume;
    }

    /** The device's counters, or null unless created timed. */
    TimedBlockDevice timedDevice() {
        return timedDevice;
    }

    NodeStore store() {
        return volume.store();
    }

    /** How many log trees reads currently have to consult besides the fs root. */
    int logTreeCount() {
        return (int) store().roots().logTrees().stream().filter(t -> !t.root().isEmpty()).count();
    }

    /** Metadata blocks of the fs root and every log tree: what reads of all items may touch. */
    long itemBlocks() {
        Roots roots = store().roots();
        long[] count = {0};
        BtreeReader.visitBlocks(volume.blocks(), roots.fsRoot(), ref -> count[0]++);
        for (LogTreeRef tree : roots.logTrees()) {
            BtreeReader.visitBlocks(volume.blocks(), tree.root(), ref -> count[0]++);
        }
        return count[0];
    }

    @Override
    public void close() {
        try {
            volume.close();
        } finally {
            ScratchSpace.deleteRecursively(directory);
        }
    }
}
