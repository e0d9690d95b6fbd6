package org.scoutfs.locking;

import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;

/**
 * The fixed mapping from items to locks.
 *
 * <ul>
 *   <li>An <b>inode group</b> lock covers every item of 1024 consecutive inode numbers: inodes,
 *       xattrs, directory entries of those directories, link back-references, symlink targets and
 *       data extents. One lock per group keeps lock traffic low when a node works in its own
 *       inodes.</li>
 *   <li>An <b>index group</b> lock covers 1024 consecutive sequences of one inode index; writers
 *       take it WRITE_ONLY so every node can add and remove index entries at once.</li>
 *   <li>The <b>orphan</b> lock covers the whole orphan zone (WRITE_ONLY for writers).</li>
 *   <li>The <b>rename</b> lock is one key, taken for renames across directories so that two of
 *       them cannot move directories into each other.</li>
 * </ul>
 */
public final class LockRanges {
    private LockRanges() {
    }

    public static final int GROUP = 1 << Zones.INODE_GROUP_SHIFT;
    private static final int RENAME_TYPE = 4;

    public static LockRange inodeGroup(long ino) {
        long first = ino & ~((long) GROUP - 1);
        return new LockRange(new Key(Zones.FS, first, 0, 0, 0, 0), new Key(Zones.FS, first | (GROUP - 1), 255, -1L, -1L, 255));
    }

    public static LockRange indexGroup(int indexType, long seq) {
        long first = seq & ~((1L << Zones.SEQ_GROUP_SHIFT) - 1);
        long last = first | ((1L << Zones.SEQ_GROUP_SHIFT) - 1);
        return new LockRange(new Key(Zones.INODE_INDEX, 0, indexType, first, 0, 0),
                new Key(Zones.INODE_INDEX, 0, indexType, last, -1L, 255));
    }

    public static LockRange orphans() {
        return new LockRange(new Key(Zones.ORPHAN, 0, 0, 0, 0, 0), new Key(Zones.ORPHAN, -1L, 255, -1L, -1L, 255));
    }

    public static LockRange rename() {
        Key k = new Key(Zones.LOCK, 0, RENAME_TYPE, 0, 0, 0);
        return new LockRange(k, k);
    }

    /** The lock that covers {@code k}, for the zones whose items live under locks. */
    public static LockRange covering(Key k) {
        return switch (k.zone()) {
            case Zones.FS -> inodeGroup(k.first());
            case Zones.INODE_INDEX -> indexGroup(k.type(), k.second());
            case Zones.ORPHAN -> orphans();
            default -> throw new IllegalArgumentException("no lock covers key " + k);
        };
    }
}
