package org.scoutfs.node.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongConsumer;

/**
 * Who still uses an inode on this node: the kernel's lookup count and the number of open files.
 * An inode without links is deleted only when both are zero, so an unlinked file stays readable
 * while it is open. When the last use of an inode that lost its last link meanwhile ends,
 * {@code onUnused} runs and the reaper deletes it. Inodes that still have links are let go quietly:
 * the kernel forgets thousands at a time (memory pressure, dropped caches), and looking at each
 * one again would cost as much as the lookups did.
 */
final class Lifetimes {
    private static final class Counts {
        long lookups;
        long opens;
        boolean unlinked;
        boolean directory;
    }

    /** An inode the kernel may have cached, and whether it is a directory (its names may be cached too). */
    record Known(long ino, boolean directory) {
    }

    private final ConcurrentSkipListMap<Long, Counts> counts = new ConcurrentSkipListMap<>();
    private final LongConsumer onUnused;

    Lifetimes(LongConsumer onUnused) {
        this.onUnused = onUnused;
    }

    void lookedUp(long ino, boolean directory) {
        counts.compute(ino, (k, c) -> {
            Counts n = c == null ? new Counts() : c;
            n.lookups++;
            n.directory |= directory;
            return n;
        });
    }

    void forgot(long ino, long n) {
        change(ino, -n, 0);
    }

    void opened(long ino) {
        counts.compute(ino, (k, c) -> {
            Counts n = c == null ? new Counts() : c;
            n.opens++;
            return n;
        });
    }

    void released(long ino) {
        change(ino, 0, -1);
    }

    private void change(long ino, long lookups, long opens) {
        boolean[] unused = {false};
        counts.computeIfPresent(ino, (k, c) -> {
            c.lookups = Math.max(0, c.lookups + lookups);
            c.opens = Math.max(0, c.opens + opens);
            if (c.lookups == 0 && c.opens == 0) {
                unused[0] = c.unlinked;
                return null;
            }
            return c;
        });
        if (unused[0]) {
            onUnused.accept(ino);
        }
    }

    /**
     * {@code ino} lost its last link: if it is in use, it is deleted when its last use ends, and
     * this returns true; if not, this returns false and deleting it now is the caller's job. One
     * atomic step, so a use that ends meanwhile cannot slip between the check and the mark.
     */
    boolean markUnlinked(long ino) {
        return counts.computeIfPresent(ino, (k, c) -> {
            c.unlinked = true;
            return c;
        }) != null;
    }

    boolean inUse(long ino) {
        return counts.containsKey(ino);
    }

    /** True if a file or directory handle of {@code ino} is open on this node. */
    boolean open(long ino) {
        Counts c = counts.get(ino);
        return c != null && c.opens > 0;
    }

    /** Inodes in [first, last] the kernel may have cached on this node, in number order. */
    List<Known> known(long first, long last) {
        List<Known> out = new ArrayList<>();
        for (Map.Entry<Long, Counts> e : counts.subMap(first, true, last, true).entrySet()) {
            out.add(new Known(e.getKey(), e.getValue().directory));
        }
        return out;
    }

    /** The kernel let go of everything (unmount). */
    void clear() {
        counts.clear();
    }
}
