package org.scoutfs.fuse;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer to "which inode does this name refer to" ({@code struct fuse_entry_out}).
 *
 * <p><b>Lookup counting.</b> Every positive entry the kernel receives (from lookup, create,
 * mknod, mkdir, symlink, link, tmpfile and readdirplus) adds one to the kernel's lookup count
 * of that inode; the filesystem must keep the inode (and its number and generation) valid until
 * {@link FuseFileSystem#forget} has returned the same total. A negative entry does not count.
 *
 * @param ino the inode number, which is also the node id the kernel will use; 0 only for a
 *     negative entry
 * @param generation distinguishes reuses of one inode number: {@code (ino, generation)} must
 *     never repeat over the filesystem's lifetime (NFS file handles rely on it)
 * @param attributes the inode's attributes; {@code null} only for a negative entry
 * @param entryTimeout how long the kernel may trust the name to inode binding without asking
 * @param attrTimeout how long the kernel may trust {@code attributes} without a getattr
 */
public record Entry(long ino, long generation, FileAttributes attributes, Duration entryTimeout, Duration attrTimeout) {

    public Entry {
        Objects.requireNonNull(entryTimeout, "entryTimeout");
        Objects.requireNonNull(attrTimeout, "attrTimeout");
        if (entryTimeout.isNegative() || attrTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
        if (ino == 0) {
            if (attributes != null) {
                throw new IllegalArgumentException("a negative entry has no attributes");
            }
        } else {
            Objects.requireNonNull(attributes, "attributes");
            if (attributes.ino() != ino) {
                throw new IllegalArgumentException("entry ino " + ino + " differs from attributes ino " + attributes.ino());
            }
        }
    }

    /** A positive entry with one timeout for both the name and the attributes. */
    public static Entry of(FileAttributes attributes, long generation, Duration timeout) {
        return new Entry(attributes.ino(), generation, attributes, timeout, timeout);
    }

    /**
     * A negative entry: the name does not exist and the kernel may remember that for
     * {@code timeout} without asking again. Throwing {@link Errno#ENOENT} instead is also
     * correct but lets the kernel cache nothing.
     */
    public static Entry negative(Duration timeout) {
        return new Entry(0, 0, null, timeout, Duration.ZERO);
    }

    /** Whether this entry says "no such name" rather than naming an inode. */
    public boolean isNegative() {
        return ino == 0;
    }
}
