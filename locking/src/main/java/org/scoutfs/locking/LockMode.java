package org.scoutfs.locking;

/**
 * What a node may do with the items of a lock range while it holds the lock.
 *
 * <ul>
 *   <li>{@link #READ}: read and cache items; shared by any number of nodes.</li>
 *   <li>{@link #WRITE}: read, cache and change items; held by one node at a time.</li>
 *   <li>{@link #WRITE_ONLY}: create and delete items without reading them (blind writes);
 *       shared among nodes, for items whose writers cannot conflict by construction, such as
 *       index entries keyed by inode number.</li>
 * </ul>
 * Codes are explicit because modes cross the wire.
 */
public enum LockMode {
    NULL(0),
    READ(1),
    WRITE(2),
    WRITE_ONLY(3);

    private final int code;

    LockMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LockMode ofCode(int code) {
        for (LockMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown lock mode code " + code);
    }

    /** True if one node holding {@code this} and another holding {@code other} is allowed. */
    public boolean compatibleWith(LockMode other) {
        if (this == NULL || other == NULL) {
            return true;
        }
        return this == other && this != WRITE;
    }

    /** True if a lock held in this mode lets its holder use it as {@code wanted}. */
    public boolean satisfies(LockMode wanted) {
        return switch (wanted) {
            case NULL -> true;
            case READ -> this == READ || this == WRITE;
            case WRITE -> this == WRITE;
            case WRITE_ONLY -> this == WRITE_ONLY || this == WRITE;
        };
    }

    /** True if items read under this mode may be cached. */
    public boolean canRead() {
        return this == READ || this == WRITE;
    }
}
