package org.scoutfs.node.fs;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a READDIRPLUS reply carries the entries' attributes or only their names.
 *
 * <p>Why. With attributes, the kernel makes a dentry and an inode for every entry while the
 * listing is read, and forgets them all again later: measured on a 2-vCPU VM, a listing of 100
 * entries took three times as long as one of names only. That pays off when the entries are
 * looked at next ({@code ls -l}: no LOOKUP per entry), and is wasted when only the names are
 * wanted ({@code ls}, {@code find}, a program walking a tree). The kernel's own adaptive mode
 * (READDIRPLUS_AUTO) asks for attributes at the start of every listing, so small directories
 * always pay; the choice is made here instead, from what this node saw.
 *
 * <p>Policy. A request past the start of a listing comes as READDIRPLUS only because the kernel
 * saw lookups in the directory since the listing began: attributes. At the start of a listing,
 * attributes only if lookups of the directory's children followed an earlier listing of it.
 * The first listing of a directory is therefore names only, and an {@code ls -l} pays a LOOKUP
 * per entry once; from then on that directory is listed with attributes.
 *
 * <p>The memory is a hint, not state: it is bounded (forgotten wholesale when full) and per node;
 * losing it only costs the next listing of a directory its attributes.
 */
final class ListingAttributes {
    /** Directories remembered before the memory starts over. */
    static final int REMEMBERED = 8192;

    /** Directories listed since the memory started, and whether lookups of children followed. */
    private final ConcurrentHashMap<Long, Boolean> lookedIntoAfterListing = new ConcurrentHashMap<>();

    /**
     * Whether the READDIRPLUS of {@code dir} at {@code offset} should carry attributes; also notes
     * the listing, so that lookups following it count.
     *
     * @param offset the request's offset; 0 starts a listing
     */
    boolean wanted(long dir, long offset) {
        if (offset != 0) {
            return true;
        }
        Boolean followed = lookedIntoAfterListing.get(dir);
        if (followed == null) {
            if (lookedIntoAfterListing.size() >= REMEMBERED) {
                lookedIntoAfterListing.clear();
            }
            lookedIntoAfterListing.put(dir, Boolean.FALSE);
            return false;
        }
        return followed;
    }

    /** The kernel looked up a name in {@code dir}. */
    void lookedUp(long dir) {
        // a read first: lookups are frequent, and most are in directories not listed or already marked
        if (lookedIntoAfterListing.get(dir) == Boolean.FALSE) {
            lookedIntoAfterListing.put(dir, Boolean.TRUE);
        }
    }

    /** How many directories the memory holds now (tests). */
    int remembered() {
        return lookedIntoAfterListing.size();
    }
}
