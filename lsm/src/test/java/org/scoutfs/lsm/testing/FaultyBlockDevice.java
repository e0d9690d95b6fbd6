package org.scoutfs.lsm.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.scoutfs.lsm.VolumeIoException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MemoryBlockDevice;

/**
 * A device that remembers which writes are forced, fails on command, and produces the image a
 * power cut would leave: everything forced, plus any subset of later writes, some of them torn at
 * 512-byte sector boundaries.
 */
public final class FaultyBlockDevice implements BlockDevice {
    private record Pending(long pos, byte[] bytes) {
    }

    private final MemoryBlockDevice durable;
    private final MemoryBlockDevice current;
    private final List<Pending> pending = new ArrayList<>();
    private long writes;
    private long failAtWrite = -1;
    private boolean dead;

    public FaultyBlockDevice(MemoryBlockDevice image) {
        this.durable = image.copy(image.name());
        this.current = image.copy(image.name());
    }

    /** Writes counted since creation (each {@link #write} call is one). */
    public synchronized long writes() {
        return writes;
    }

    /**
     * Makes write number {@code n} (counting from creation, first is 1) fail, and every write and
     * flush after it, as if the machine died there.
     */
    public synchronized void failAtWrite(long n) {
        failAtWrite = n;
    }

    @Override
    public String name() {
        return "faulty:" + current.name();
    }

    @Override
    public long size() {
        return current.size();
    }

    @Override
    public synchronized void read(long pos, ByteBuffer dst) {
        current.read(pos, dst);
    }

    @Override
    public synchronized void write(long pos, ByteBuffer src) {
        writes++;
        if (dead || writes == failAtWrite) {
            dead = true;
            throw new VolumeIoException("injected failure of write " + writes + " at byte " + pos,
                    new IOException("injected"));
        }
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        current.write(pos, bytes);
        pending.add(new Pending(pos, bytes));
    }

    @Override
    public synchronized void force() {
        if (dead) {
            throw new VolumeIoException("injected failure of flush", new IOException("injected"));
        }
        for (Pending p : pending) {
            durable.write(p.pos, p.bytes);
        }
        pending.clear();
    }

    @Override
    public void close() {
    }

    /** The image after a power cut now: forced writes, and a random subset of the rest, some torn. */
    public synchronized MemoryBlockDevice crashImage(Random random) {
        MemoryBlockDevice img = durable.copy("crashed");
        for (Pending p : pending) {
            int choice = random.nextInt(3);
            if (choice == 0) {
                continue;
            }
            if (choice == 1 || p.bytes.length <= 512) {
                img.write(p.pos, p.bytes);
            } else {
                int sectors = p.bytes.length / 512;
                for (int s = 0; s < sectors; s++) {
                    if (random.nextBoolean()) {
                        img.write(p.pos + s * 512L, ByteBuffer.wrap(p.bytes, s * 512, 512));
                    }
                }
            }
        }
        return img;
    }

    /** The image if everything written so far reached the device (a process kill, not a power cut). */
    public synchronized MemoryBlockDevice currentImage() {
        return current.copy("killed");
    }
}
