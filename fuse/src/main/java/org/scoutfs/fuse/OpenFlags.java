package org.scoutfs.fuse;

/**
 * The flags a file was opened with, as the kernel forwards them to open, create and tmpfile.
 *
 * <p>The kernel strips {@code O_CREAT}, {@code O_EXCL} and {@code O_NOCTTY} before open; it
 * keeps {@code O_TRUNC} when the session negotiated atomic O_TRUNC, in which case the
 * filesystem truncates as part of the open instead of receiving a separate setattr.
 *
 * @param flags the {@code open(2)} flags (Linux x86-64 values, see the constants)
 * @param killSuidGid the kernel asks the filesystem to clear set-user-id and set-group-id bits
 *     as part of this open (only sent when {@link MountOptions.Builder#handleKillPrivV2} is on)
 */
public record OpenFlags(int flags, boolean killSuidGid) {
    public static final int O_ACCMODE = 03;
    public static final int O_RDONLY = 00;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_SYNC = 04010000;
    public static final int O_TMPFILE = 020200000;

    /** The access mode: one of {@link #O_RDONLY}, {@link #O_WRONLY}, {@link #O_RDWR}. */
    public int accessMode() {
        return flags & O_ACCMODE;
    }

    /** Whether the open allows reading. */
    public boolean isReadable() {
        return accessMode() != O_WRONLY;
    }

    /** Whether the open allows writing. */
    public boolean isWritable() {
        return accessMode() != O_RDONLY;
    }

    /** Whether every bit of {@code flag} is set. */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }
}
