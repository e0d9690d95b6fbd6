package org.scoutfs.bench.lsm;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

import org.scoutfs.lsm.block.BlockDevice;

/**
 * A device decorator that adds up the wall time spent in writes and forces (fdatasync), so a
 * profile can split an operation into "waiting for the device" and "everything else" without
 * touching the engine.
 */
final class TimedBlockDevice implements BlockDevice {
    private final BlockDevice device;
    final LongAdder writeNanos = new LongAdder();
    final LongAdder writtenBytes = new LongAdder();
    final LongAdder forceNanos = new LongAdder();
    final LongAdder forces = new LongAdder();
    final LongAdder readNanos = new LongAdder();
    final LongAdder reads = new LongAdder();

    TimedBlockDevice(BlockDevice device) {
        this.device = device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public long size() {
        return device.size();
    }

    @Override
    public void read(long pos, ByteBuffer dst) {
        long t = System.nanoTime();
        device.read(pos, dst);
        readNanos.add(System.nanoTime() - t);
        reads.increment();
    }

    @Override
    public void write(long pos, ByteBuffer src) {
        int bytes = src.remaining();
        long t = System.nanoTime();
        device.write(pos, src);
        writeNanos.add(System.nanoTime() - t);
        writtenBytes.add(bytes);
    }

    @Override
    public void force() {
        long t = System.nanoTime();
        device.force();
        forceNanos.add(System.nanoTime() - t);
        forces.increment();
    }

    @Override
    public void close() {
        device.close();
    }

    /** A snapshot of the counters, to subtract from a later one. */
    record Totals(long writeNanos, long writtenBytes, long forceNanos, long forces) {
        Totals minus(Totals earlier) {
            return new Totals(writeNanos - earlier.writeNanos, writtenBytes - earlier.writtenBytes,
                    forceNanos - earlier.forceNanos, forces - earlier.forces);
        }
    }

    Totals totals() {
        return new Totals(writeNanos.sum(), writtenBytes.sum(), forceNanos.sum(), forces.sum());
    }
}
