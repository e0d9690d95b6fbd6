package org.scoutfs.fuse.internal.session;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.scoutfs.fuse.DirectoryBuffer;
import org.scoutfs.fuse.DirectoryPlusBuffer;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.internal.protocol.KernelCodec;

/**
 * Packs directory records into the payload of one READDIR or READDIRPLUS reply, up to the size
 * the kernel asked for.
 *
 * <p>For READDIRPLUS it remembers the inodes of accepted positive entries: each is one lookup
 * handed to the kernel, to be given back through forget if the reply is never delivered.
 */
final class DirectoryReply implements DirectoryBuffer, DirectoryPlusBuffer {
    private final MemorySegment payload;
    private final int limit;
    private final boolean plus;
    private int used;
    private long[] lookups = new long[16];
    private int lookupCount;

    DirectoryReply(MemorySegment payload, int limit, boolean plus) {
        this.payload = payload;
        this.limit = limit;
        this.plus = plus;
    }

    int used() {
        return used;
    }

    /** Inodes whose lookup count this reply raised; empty for plain READDIR. */
    long[] grantedLookups() {
        return Arrays.copyOf(lookups, lookupCount);
    }

    @Override
    public boolean add(FileName name, long ino, int mode, long nextOffset) {
        if (plus) {
            return addWithoutEntry(name, ino, mode, nextOffset);
        }
        int size = KernelCodec.direntSize(name.length());
        if (used + size > limit) {
            return false;
        }
        used += KernelCodec.encodeDirent(payload, used, name, ino, mode, nextOffset);
        return true;
    }

    @Override
    public boolean add(FileName name, Entry entry, long nextOffset) {
        if (name.isDot() || name.isDotDot()) {
            throw new IllegalArgumentException("'.' and '..' take no lookup result; use addWithoutEntry");
        }
        if (entry.isNegative()) {
            throw new IllegalArgumentException("a directory listing cannot contain a negative entry: " + name);
        }
        if (!fits(name)) {
            return false;
        }
        used += KernelCodec.encodeDirentPlus(payload, used, name, entry.ino(), entry.attributes().mode(), nextOffset,
                entry);
        recordLookup(entry.ino());
        return true;
    }

    @Override
    public boolean addWithoutEntry(FileName name, long ino, int mode, long nextOffset) {
        if (!plus) {
            return add(name, ino, mode, nextOffset);
        }
        if (!fits(name)) {
            return false;
        }
        used += KernelCodec.encodeDirentPlus(payload, used, name, ino, mode, nextOffset, null);
        return true;
    }

    @Override
    public boolean fits(FileName name) {
        int size = plus ? KernelCodec.direntPlusSize(name.length()) : KernelCodec.direntSize(name.length());
        return used + size <= limit;
    }

    private void recordLookup(long ino) {
        if (lookupCount == lookups.length) {
            lookups = Arrays.copyOf(lookups, lookupCount * 2);
        }
        lookups[lookupCount++] = ino;
    }
}
