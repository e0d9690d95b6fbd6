package org.scoutfs.lsm.block;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

import org.scoutfs.lsm.BadVolumeException;

/**
 * A sparse device in memory, for tests and benchmarks: unwritten bytes read as zeros and only
 * written 64 KiB pages take memory. {@link #force()} does nothing; a crash is simulated by a
 * wrapping device that drops unforced writes.
 */
public final class MemoryBlockDevice implements BlockDevice {
    private static final int PAGE_SHIFT = 16;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private final String name;
    private final long size;
    private final ConcurrentHashMap<Long, byte[]> pages = new ConcurrentHashMap<>();

    public MemoryBlockDevice(String name, long size) {
        this.name = name;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    private void check(long pos, int len) {
        if (pos < 0 || pos + len > size) {
            throw new BadVolumeException(name + " is " + size + " bytes; access of " + len + " bytes at byte " + pos
                    + " is past its end (truncated device?)");
        }
    }

    @Override
    public void read(long pos, ByteBuffer dst) {
        check(pos, dst.remaining());
        while (dst.hasRemaining()) {
            long page = pos >>> PAGE_SHIFT;
            int inPage = (int) (pos & (PAGE_SIZE - 1));
            int n = Math.min(dst.remaining(), PAGE_SIZE - inPage);
            byte[] p = pages.get(page);
            if (p == null) {
                for (int i = 0; i < n; i++) {
                    dst.put((byte) 0);
                }
            } else {
                synchronized (p) {
                    dst.put(p, inPage, n);
                }
            }
            pos += n;
        }
    }

    @Override
    public void write(long pos, ByteBuffer src) {
        check(pos, src.remaining());
        while (src.hasRemaining()) {
            long page = pos >>> PAGE_SHIFT;
            int inPage = (int) (pos & (PAGE_SIZE - 1));
            int n = Math.min(src.remaining(), PAGE_SIZE - inPage);
            byte[] p = pages.computeIfAbsent(page, k -> new byte[PAGE_SIZE]);
            synchronized (p) {
                src.get(p, inPage, n);
            }
            pos += n;
        }
    }

    @Override
    public void force() {
    }

    @Override
    public void close() {
    }

    /** A copy of every byte, for crash simulations. */
    public MemoryBlockDevice copy(String newName) {
        MemoryBlockDevice c = new MemoryBlockDevice(newName, size);
        pages.forEach((k, v) -> {
            synchronized (v) {
                c.pages.put(k, v.clone());
            }
        });
        return c;
    }
}
