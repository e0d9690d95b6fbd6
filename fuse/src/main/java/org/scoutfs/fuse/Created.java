package org.scoutfs.fuse;

import java.util.Objects;

/**
 * The result of create and tmpfile: the new inode's entry and the open file.
 *
 * <p>The entry counts as one lookup, exactly like a lookup reply.
 *
 * @param entry the new inode; must be positive
 * @param open the file handle and caching hints of the file the caller now has open
 */
public record Created(Entry entry, OpenReply open) {

    public Created {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(open, "open");
        if (entry.isNegative()) {
            throw new IllegalArgumentException("create must return a positive entry");
        }
    }
}
