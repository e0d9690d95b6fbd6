package org.scoutfs.lsm.alloc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.scoutfs.lsm.format.Extent;

/**
 * A set of block numbers kept as disjoint, coalesced extents. Adding an extent that overlaps the
 * set is a double free and throws; removing blocks that are not in the set throws. It can record
 * the start of every extent it creates or drops, so that a persistent copy can be updated item by
 * item.
 */
public final class ExtentSet implements Iterable<Extent> {
    private final TreeMap<Long, Long> byStart = new TreeMap<>();
    private TreeSet<Long> changedStarts;
    private long total;

    public ExtentSet() {
    }

    public ExtentSet(List<Extent> extents) {
        extents.forEach(this::add);
    }

    /** Starts recording changed extent starts (see {@link #drainChangedStarts()}). */
    public ExtentSet recordChanges() {
        changedStarts = new TreeSet<>();
        return this;
    }

    /** Starts of extents created or dropped since the last call. */
    public List<Long> drainChangedStarts() {
        List<Long> out = new ArrayList<>(changedStarts);
        changedStarts.clear();
        return out;
    }

    private void put(long start, long len) {
        byStart.put(start, len);
        if (changedStarts != null) {
            changedStarts.add(start);
        }
    }

    private void drop(long start) {
        byStart.remove(start);
        if (changedStarts != null) {
            changedStarts.add(start);
        }
    }

    public long total() {
        return total;
    }

    public boolean isEmpty() {
        return byStart.isEmpty();
    }

    public int extentCount() {
        return byStart.size();
    }

    /** The extent starting exactly at {@code start}, or null. */
    public Extent startingAt(long start) {
        Long len = byStart.get(start);
        return len == null ? null : new Extent(start, len);
    }

    public boolean contains(long blkno) {
        Map.Entry<Long, Long> e = byStart.floorEntry(blkno);
        return e != null && blkno < e.getKey() + e.getValue();
    }

    /** True if any block of [start, start+len) is in the set. */
    public boolean overlaps(long start, long len) {
        Map.Entry<Long, Long> e = byStart.floorEntry(start);
        if (e != null && start < e.getKey() + e.getValue()) {
            return true;
        }
        Long next = byStart.higherKey(start);
        return next != null && next < start + len;
    }

    public void add(Extent e) {
        add(e.start(), e.len());
    }

    public void add(long start, long len) {
        if (len <= 0) {
            throw new IllegalArgumentException("extent length " + len);
        }
        if (overlaps(start, len)) {
            throw new IllegalStateException("extent " + start + "+" + len + " overlaps free space: freed twice");
        }
        long newStart = start;
        long newLen = len;
        Map.Entry<Long, Long> before = byStart.lowerEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            newStart = before.getKey();
            newLen += before.getValue();
            drop(before.getKey());
        }
        Long afterLen = byStart.get(start + len);
        if (afterLen != null) {
            newLen += afterLen;
            drop(start + len);
        }
        put(newStart, newLen);
        total += len;
    }

    public void addAll(ExtentSet other) {
        for (Extent e : other) {
            add(e);
        }
    }

    /** Removes [start, start+len), which must lie inside one extent of the set. */
    public void remove(long start, long len) {
        Map.Entry<Long, Long> e = byStart.floorEntry(start);
        if (e == null || start + len > e.getKey() + e.getValue()) {
            throw new IllegalStateException("blocks " + start + "+" + len + " are not free");
        }
        long eStart = e.getKey();
        long eEnd = eStart + e.getValue();
        drop(eStart);
        if (eStart < start) {
            put(eStart, start - eStart);
        }
        if (start + len < eEnd) {
            put(start + len, eEnd - (start + len));
        }
        total -= len;
    }

    /** Takes up to {@code maxLen} blocks from the lowest extent, or returns null if empty. */
    public Extent takeFirst(long maxLen) {
        Map.Entry<Long, Long> e = byStart.firstEntry();
        if (e == null) {
            return null;
        }
        long start = e.getKey();
        long len = Math.min(maxLen, e.getValue());
        remove(start, len);
        return new Extent(start, len);
    }

    /**
     * Takes up to {@code maxLen} blocks: the first extent long enough to give them all, else the
     * longest extent. Returns null if empty.
     */
    public Extent takeBestFit(long maxLen) {
        long bestStart = -1;
        long bestLen = 0;
        for (Map.Entry<Long, Long> e : byStart.entrySet()) {
            if (e.getValue() > bestLen) {
                bestStart = e.getKey();
                bestLen = e.getValue();
                if (bestLen >= maxLen) {
                    break;
                }
            }
        }
        if (bestStart < 0) {
            return null;
        }
        long len = Math.min(maxLen, bestLen);
        remove(bestStart, len);
        return new Extent(bestStart, len);
    }

    /** Takes extents totalling up to {@code blocks} blocks, best fit first. */
    public List<Extent> take(long blocks) {
        List<Extent> out = new ArrayList<>();
        long want = blocks;
        while (want > 0) {
            Extent e = takeBestFit(want);
            if (e == null) {
                break;
            }
            out.add(e);
            want -= e.len();
        }
        return out;
    }

    public List<Extent> toList() {
        List<Extent> out = new ArrayList<>(byStart.size());
        byStart.forEach((s, l) -> out.add(new Extent(s, l)));
        return out;
    }

    public void clear() {
        for (Long s : new ArrayList<>(byStart.keySet())) {
            drop(s);
        }
        total = 0;
    }

    @Override
    public Iterator<Extent> iterator() {
        return toList().iterator();
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}
