package org.scoutfs.fuse;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The result of open, opendir, create and tmpfile: a file handle plus per-open caching hints
 * ({@code struct fuse_open_out}).
 *
 * @param fh an opaque number the kernel hands back on every read, write, flush, fsync and
 *     release of this open file; the filesystem chooses its meaning (an index into a handle
 *     table, or 0 if it needs none)
 * @param flags how the kernel should cache this open file
 */
public record OpenReply(long fh, Set<Flag> flags) {

    public OpenReply {
        Objects.requireNonNull(flags, "flags");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** An open file with handle {@code fh} and the kernel's default caching. */
    public static OpenReply of(long fh, Flag... flags) {
        return new OpenReply(fh, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    /** The {@code FOPEN_*} hints; the values are the kernel's bits. */
    public enum Flag {
        /** Bypass the page cache: every read and write becomes a request. */
        DIRECT_IO(1),
        /** Keep the page cache from previous opens instead of dropping it on this open. */
        KEEP_CACHE(1 << 1),
        /** The file does not support seeking (pipes, sockets-like files). */
        NONSEEKABLE(1 << 2),
        /** For opendir: the kernel may cache readdir results for this directory. */
        CACHE_DIR(1 << 3),
        /** The file is a stream: no file position at all. */
        STREAM(1 << 4),
        /** Do not send FLUSH on close when nothing needs flushing. */
        NOFLUSH(1 << 5),
        /** Allow concurrent direct-I/O writes to this file instead of serializing them on the inode lock. */
        PARALLEL_DIRECT_WRITES(1 << 6);

        private final int bit;

        Flag(int bit) {
            this.bit = bit;
        }

        /** The kernel's {@code FOPEN_*} bit. */
        public int bit() {
            return bit;
        }
    }
}
