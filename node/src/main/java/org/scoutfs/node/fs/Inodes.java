package org.scoutfs.node.fs;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.lsm.format.InodeItem;
import org.scoutfs.lsm.format.InodeItem.Timespec;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Reading and writing inode items, and keeping the inode indices in step with them.
 *
 * <p>Every change of an inode goes through {@link #write}, in the transaction that makes it. The
 * first change in a transaction moves the inode's {@code meta_seq} to the transaction's sequence:
 * the old {@code (META_SEQ, seq, ino)} entry is deleted and the new one written in the same
 * transaction, so each inode has exactly one entry per index at every commit. {@code data_seq}
 * moves the same way for regular files whose contents or size changed.
 *
 * <p>Index entries need no lock of their own: their keys contain the inode number, so only the
 * holder of the inode's lock writes them, and the inode lock's write sequence orders them.
 */
final class Inodes {
    private static final byte[] EMPTY = new byte[0];

    private final NodeStore store;

    Inodes(NodeStore store) {
        this.store = store;
    }

    /** The inode, or ENOENT (also for an inode being deleted whose item is gone). */
    Inode read(long ino) {
        Inode inode = readOrNull(ino);
        if (inode == null) {
            throw new FuseException(Errno.ENOENT, "no inode " + ino);
        }
        return inode;
    }

    Inode readOrNull(long ino) {
        byte[] v = store.get(Zones.inodeKey(ino));
        return v == null ? null : new Inode(ino, InodeItem.decode(ino, v), false);
    }

    /** A new inode's initial state; nothing is written until {@link #write}. */
    static Inode fresh(long ino, int mode, int uid, int gid, long rdev, Timespec now) {
        InodeItem item = new InodeItem(0, 0, 0, 0, 0, 0, Zones.FIRST_READDIR_POS, 1, 1, uid, gid, mode, rdev, 0, now,
                now, now, now, 0, 1);
        return new Inode(ino, item, true);
    }

    /**
     * Writes the inode in {@code txn}, moving its index entries to this transaction.
     *
     * @param dataChanged the contents or size of a regular file changed
     * @param minSeq      the write sequence of the inode's lock
     */
    void write(Txn txn, Inode inode, boolean dataChanged, long minSeq) {
        long seq = txn.seq();
        if (inode.isNew || inode.metaSeq != seq) {
            if (!inode.isNew) {
                txn.delete(Zones.metaSeqKey(inode.metaSeq, inode.ino), minSeq);
            }
            inode.metaSeq = seq;
            txn.put(Zones.metaSeqKey(seq, inode.ino), EMPTY, minSeq);
        }
        if (inode.isRegular()) {
            if (inode.isNew || (dataChanged && inode.dataSeq != seq)) {
                if (!inode.isNew) {
                    txn.delete(Zones.dataSeqKey(inode.dataSeq, inode.ino), minSeq);
                }
                inode.dataSeq = seq;
                txn.put(Zones.dataSeqKey(seq, inode.ino), EMPTY, minSeq);
            }
            if (dataChanged) {
                inode.dataVersion++;
            }
        }
        txn.put(Zones.inodeKey(inode.ino), inode.toItem().encode(), minSeq);
        inode.isNew = false;
    }

    /** Deletes the inode item and its index entries (the caller deletes everything else). */
    void delete(Txn txn, Inode inode, long minSeq) {
        txn.delete(Zones.metaSeqKey(inode.metaSeq, inode.ino), minSeq);
        if (inode.isRegular()) {
            txn.delete(Zones.dataSeqKey(inode.dataSeq, inode.ino), minSeq);
        }
        txn.delete(Zones.inodeKey(inode.ino), minSeq);
    }
}
