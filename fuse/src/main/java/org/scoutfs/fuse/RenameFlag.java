package org.scoutfs.fuse;

import java.util.EnumSet;
import java.util.Set;

/** The {@code renameat2(2)} flags, passed through to {@link FuseFileSystem#rename} unchanged. */
public enum RenameFlag {
    /** Fail with {@link Errno#EEXIST} instead of replacing an existing target. */
    NOREPLACE(1),
    /** Atomically swap source and target; both must exist. */
    EXCHANGE(1 << 1),
    /** Leave a whiteout at the source (overlay filesystems). */
    WHITEOUT(1 << 2);

    private final int bit;

    RenameFlag(int bit) {
        this.bit = bit;
    }

    /** The Linux {@code RENAME_*} bit. */
    public int bit() {
        return bit;
    }

    /**
     * The flags set in {@code bits}.
     *
     * @throws FuseException {@link Errno#EINVAL} if {@code bits} has a bit no constant names
     */
    public static Set<RenameFlag> fromBits(int bits) {
        Set<RenameFlag> flags = EnumSet.noneOf(RenameFlag.class);
        int known = 0;
        for (RenameFlag flag : values()) {
            known |= flag.bit;
            if ((bits & flag.bit) != 0) {
                flags.add(flag);
            }
        }
        if ((bits & ~known) != 0) {
            throw new FuseException(Errno.EINVAL, "unknown rename flags 0x" + Integer.toHexString(bits));
        }
        return flags;
    }
}
