package org.scoutfs.lsm.alloc;

import java.util.List;

import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.format.Extent;

/**
 * The server's view of free metadata or data blocks.
 *
 * <p>Three sets: {@code free} may be handed out now; {@code pending} was freed in the commit being
 * prepared and may only be handed out after that commit is durable (until then the last durable
 * commit may still reference it); {@code persisted} is their union, coalesced, which is what the
 * next commit records as free. {@code persisted} remembers which extents changed so the server can
 * update its free-extent items incrementally.
 */
public final class FreeSpace {
    private final String what;
    private final ExtentSet free = new ExtentSet();
    private final ExtentSet pending = new ExtentSet();
    private final ExtentSet persisted = new ExtentSet().recordChanges();

    public FreeSpace(String what) {
        this.what = what;
    }

    /** Loads an extent recorded free by the last commit. */
    public void loadFree(Extent e) {
        free.add(e);
        persisted.add(e);
        persisted.drainChangedStarts();
    }

    /** One block, or {@link NoSpaceException}. */
    public long allocOne() {
        Extent e = free.takeFirst(1);
        if (e == null) {
            throw new NoSpaceException("no free " + what + " blocks left");
        }
        persisted.remove(e.start(), 1);
        return e.start();
    }

    /** Up to {@code blocks} blocks in as few extents as possible; may return fewer, or none. */
    public List<Extent> alloc(long blocks) {
        List<Extent> got = free.take(blocks);
        for (Extent e : got) {
            persisted.remove(e.start(), e.len());
        }
        return got;
    }

    /** Returns blocks just taken with {@link #alloc} and never handed out: free again at once. */
    public void giveBack(Extent e) {
        free.add(e);
        persisted.add(e.start(), e.len());
    }

    /** Frees blocks that the commit being prepared stops referencing. */
    public void freeAfterCommit(long start, long len) {
        pending.add(start, len);
        persisted.add(start, len);
    }

    public void freeAfterCommit(Extent e) {
        freeAfterCommit(e.start(), e.len());
    }

    /** The commit that freed the pending blocks is durable: they may be handed out. */
    public void commitDurable() {
        free.addAll(pending);
        pending.clear();
    }

    /** Free blocks as the next commit will record them (free plus pending). */
    public long total() {
        return persisted.total();
    }

    /** Blocks that can be handed out right now. */
    public long available() {
        return free.total();
    }

    public List<Long> drainChangedStarts() {
        return persisted.drainChangedStarts();
    }

    /** The persisted extent starting at {@code start}, or null. */
    public Extent persistedAt(long start) {
        return persisted.startingAt(start);
    }

    public List<Extent> persistedExtents() {
        return persisted.toList();
    }

    /** True if any block of [start, start+len) is free, or freed by the commit being prepared. */
    public boolean anyFreeOrPending(long start, long len) {
        return persisted.overlaps(start, len);
    }
}
