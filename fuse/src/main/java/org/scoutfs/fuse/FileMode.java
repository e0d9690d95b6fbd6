package org.scoutfs.fuse;

/**
 * The POSIX {@code st_mode} bits: file type in the high bits, permissions in the low twelve.
 *
 * <p>Values are the Linux octal constants. The helpers only look at bits; they never allocate.
 */
public final class FileMode {
    /** Mask of the file type bits. */
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    /** Mask of the permission bits including set-id and sticky. */
    public static final int PERMISSION_MASK = 07777;

    private FileMode() {
    }

    /** The file type bits of {@code mode}. */
    public static int type(int mode) {
        return mode & S_IFMT;
    }

    public static boolean isDirectory(int mode) {
        return type(mode) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return type(mode) == S_IFLNK;
    }

    /** The {@code DT_*} value readdir reports for a mode: the type bits shifted down by twelve. */
    public static int direntType(int mode) {
        return type(mode) >>> 12;
    }
}
