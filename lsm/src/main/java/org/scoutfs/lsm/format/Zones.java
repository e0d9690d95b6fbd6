package org.scoutfs.lsm.format;

/**
 * Key zones and item types. Zones below {@link #LOCK} hold filesystem items that live in log
 * trees and the fs root; zones from {@link #LOG_TREES} up hold the server's bookkeeping, which
 * lives only in the server tree.
 */
public final class Zones {
    private Zones() {
    }

    // ---- zones of filesystem items (log trees and the fs root)
    public static final int INODE_INDEX = 4;
    public static final int ORPHAN = 8;
    public static final int XATTR_TOTL = 12;
    public static final int FS = 16;
    /** Lock names only; never stored. */
    public static final int LOCK = 20;

    // ---- zones of the server tree
    public static final int LOG_TREES = 24;
    public static final int MOUNTED_CLIENT = 28;
    public static final int FREE_META = 36;
    public static final int FREE_DATA = 40;
    public static final int LOG_MERGE = 44;

    // ---- types in INODE_INDEX
    public static final int META_SEQ_TYPE = 4;
    public static final int DATA_SEQ_TYPE = 8;

    // ---- types in ORPHAN
    public static final int ORPHAN_TYPE = 4;

    // ---- types in FS, all keyed (FS, ino, type, ...)
    public static final int INODE_TYPE = 4;
    public static final int XATTR_TYPE = 8;
    public static final int DIRENT_TYPE = 12;
    public static final int READDIR_TYPE = 16;
    public static final int LINK_BACKREF_TYPE = 20;
    public static final int SYMLINK_TYPE = 24;
    public static final int DATA_EXTENT_TYPE = 28;

    /** Inodes per lock group: all items of 1024 consecutive inode numbers share a lock. */
    public static final int INODE_GROUP_SHIFT = 10;
    /** Index seqs per lock group. */
    public static final int SEQ_GROUP_SHIFT = 10;

    public static final long ROOT_INO = 1;
    /** The first inode number handed out after mkfs. */
    public static final long FIRST_ALLOC_INO = 1024;

    /** Directory entry positions 0 and 1 are "." and ".."; real entries start here. */
    public static final long FIRST_READDIR_POS = 2;

    public static Key inodeKey(long ino) {
        return new Key(FS, ino, INODE_TYPE);
    }

    public static Key metaSeqKey(long seq, long ino) {
        return new Key(INODE_INDEX, 0, META_SEQ_TYPE, seq, ino);
    }

    public static Key dataSeqKey(long seq, long ino) {
        return new Key(INODE_INDEX, 0, DATA_SEQ_TYPE, seq, ino);
    }

    public static Key orphanKey(long ino) {
        return new Key(ORPHAN, 0, ORPHAN_TYPE, ino);
    }

    public static Key direntKey(long dir, long hash, long pos) {
        return new Key(FS, dir, DIRENT_TYPE, hash, pos);
    }

    public static Key readdirKey(long dir, long pos) {
        return new Key(FS, dir, READDIR_TYPE, pos);
    }

    public static Key backrefKey(long ino, long dir, long pos) {
        return new Key(FS, ino, LINK_BACKREF_TYPE, dir, pos);
    }

    public static Key symlinkKey(long ino, int part) {
        return new Key(FS, ino, SYMLINK_TYPE, part);
    }

    public static Key extentKey(long ino, long lastBlock) {
        return new Key(FS, ino, DATA_EXTENT_TYPE, lastBlock);
    }

    public static Key xattrKey(long ino, long nameHash, long id, int part) {
        return new Key(FS, ino, XATTR_TYPE, nameHash, id, part);
    }

    /**
     * The lock group of a key, hashed. Readers take locks on whole groups and bloom filters record
     * groups, so a reader of a group can skip every log tree that never wrote into it.
     */
    public static long group(Key k) {
        long a;
        long b;
        switch (k.zone()) {
            case FS -> {
                a = k.first() >>> INODE_GROUP_SHIFT;
                b = 0;
            }
            case INODE_INDEX -> {
                a = k.type();
                b = k.second() >>> SEQ_GROUP_SHIFT;
            }
            default -> {
                a = 0;
                b = 0;
            }
        }
        return mix(mix(k.zone() * 0x9E3779B97F4A7C15L ^ a) ^ b);
    }

    /** True if every key in [from, to] lies in the same lock group as {@code from}. */
    public static boolean sameGroup(Key from, Key to) {
        if (from.zone() != to.zone()) {
            return false;
        }
        return switch (from.zone()) {
            case FS -> (from.first() >>> INODE_GROUP_SHIFT) == (to.first() >>> INODE_GROUP_SHIFT);
            case INODE_INDEX -> from.first() == to.first() && from.type() == to.type()
                    && (from.second() >>> SEQ_GROUP_SHIFT) == (to.second() >>> SEQ_GROUP_SHIFT);
            default -> true;
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
