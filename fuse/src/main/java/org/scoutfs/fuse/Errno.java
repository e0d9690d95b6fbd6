package org.scoutfs.fuse;

/**
 * Linux errno values a filesystem may report to the kernel.
 *
 * <p>Each constant carries its x86-64/aarch64 Linux number explicitly; nothing depends on
 * {@link #ordinal()}. The list is the subset a filesystem plausibly returns; {@link #of(int)} maps
 * any other number to {@link #EIO} so that an unknown code never reaches the kernel.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    ESRCH(3),
    EINTR(4),
    EIO(5),
    ENXIO(6),
    E2BIG(7),
    EBADF(9),
    ECHILD(10),
    EAGAIN(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    EXDEV(18),
    ENODEV(19),
    ENOTDIR(20),
    EISDIR(21),
    EINVAL(22),
    ENFILE(23),
    EMFILE(24),
    ENOTTY(25),
    ETXTBSY(26),
    EFBIG(27),
    ENOSPC(28),
    ESPIPE(29),
    EROFS(30),
    EMLINK(31),
    EPIPE(32),
    ERANGE(34),
    EDEADLK(35),
    ENAMETOOLONG(36),
    ENOLCK(37),
    ENOSYS(38),
    ENOTEMPTY(39),
    ELOOP(40),
    ENODATA(61),
    ENOLINK(67),
    EPROTO(71),
    EOVERFLOW(75),
    EBADFD(77),
    EOPNOTSUPP(95),
    EAFNOSUPPORT(97),
    ECONNABORTED(103),
    ENOTCONN(107),
    ETIMEDOUT(110),
    ESTALE(116),
    EDQUOT(122),
    ECANCELED(125);

    /** Linux spells "operation not supported on this object" with two names for one number. */
    public static final Errno ENOTSUP = EOPNOTSUPP;

    private static final Errno[] BY_CODE = indexByCode();

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The positive Linux errno number. */
    public int code() {
        return code;
    }

    /**
     * The constant for a positive errno number.
     *
     * @return the matching constant, or {@link #EIO} for a number this enum does not list
     */
    public static Errno of(int code) {
        if (code > 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        return EIO;
    }

    /** Whether {@code code} is one of the listed numbers (so {@link #of(int)} is exact). */
    public static boolean isKnown(int code) {
        return code > 0 && code < BY_CODE.length && BY_CODE[code] != null;
    }

    private static Errno[] indexByCode() {
        int max = 0;
        for (Errno e : values()) {
            max = Math.max(max, e.code);
        }
        Errno[] table = new Errno[max + 1];
        for (Errno e : values()) {
            table[e.code] = e;
        }
        return table;
    }
}
