package org.scoutfs.locking;

import org.scoutfs.lsm.format.Key;

/**
 * A lock's name: the inclusive range of item keys it covers. Ranges come only from
 * {@link LockRanges}, so two nodes always name the same lock for the same items and ranges never
 * partly overlap.
 */
public record LockRange(Key start, Key end) implements Comparable<LockRange> {
    public LockRange {
        if (start.compareTo(end) > 0) {
            throw new IllegalArgumentException("lock range start " + start + " after end " + end);
        }
    }

    public boolean contains(Key k) {
        return start.compareTo(k) <= 0 && k.compareTo(end) <= 0;
    }

    @Override
    public int compareTo(LockRange o) {
        return start.compareTo(o.start);
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
