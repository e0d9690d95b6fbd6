package org.scoutfs.node.fs;

import java.util.concurrent.ConcurrentHashMap;
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
    }

    private final ConcurrentHashMap<Long, Counts> counts = new ConcurrentHashMap<>();
    private final LongConsumer onUnused;

    Lifetimes(LongConsumer onUnused) {
        this.onUnused = onUnused;
    }

    void lookedUp(long ino) {
        counts.compute(ino, (k, c) -> {
            Counts n = c == null ? new Counts() : c;
            n.lookups++;
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

    /** Inode numbers in [first, last] in use on this node. */
    java.util.List<Long> known(long first, long last) {
        return counts.keySet().stream().filter(i -> i >= first && i <= last).sorted().toList();
    }

    /** The kernel let go of everything (unmount). */
    void clear() {
        counts.clear();
    }
}
