package org.scoutfs.fuse;

/**
 * The {@code lseek(2)} modes the kernel forwards to the filesystem. It resolves
 * {@code SEEK_SET}, {@code SEEK_CUR} and {@code SEEK_END} itself and only asks about holes.
 */
public enum Whence {
    /** Find the first offset at or after the given one that holds data. */
    SEEK_DATA(3),
    /** Find the first offset at or after the given one that is in a hole (end of file counts). */
    SEEK_HOLE(4);

    private final int value;

    Whence(int value) {
        this.value = value;
    }

    /** The Linux {@code whence} value. */
    public int value() {
        return value;
    }

    /**
     * The constant for a Linux {@code whence} value.
     *
     * @throws FuseException {@link Errno#EINVAL} for any other value
     */
    public static Whence of(int value) {
        for (Whence w : values()) {
            if (w.value == value) {
                return w;
            }
        }
        throw new FuseException(Errno.EINVAL, "unsupported whence " + value);
    }
}
