package org.scoutfs.node.fs;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.DirentItem;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Directory entries. Each entry is three items with the same value: one keyed by name hash and
 * position (lookup), one by position (readdir), and a back-reference keyed by the target inode
 * (finding a directory's parent, the links of an inode). Positions come from the directory's
 * counter and are never reused, so readdir lists entries in creation order and a reader's offset
 * stays valid while entries come and go.
 */
final class Directories {
    private static final int SCAN_BATCH = 256;

    private final NodeStore store;

    Directories(NodeStore store) {
        this.store = store;
    }

    /** The entry named {@code name} in {@code dir}, or null. */
    DirentItem lookup(long dir, byte[] name) {
        long hash = DirentItem.hash(name);
        Key from = Zones.direntKey(dir, hash, 0);
        Key to = Zones.direntKey(dir, hash, -1L);
        for (Item item : store.scan(from, to, Integer.MAX_VALUE)) {
            DirentItem d = DirentItem.decode(item.key(), item.value());
            if (d.nameEquals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Adds an entry at the directory's next position; returns it. The caller writes the directory inode. */
    DirentItem add(Txn txn, Inode dir, byte[] name, long ino, int type, long minSeq) {
        long pos = dir.nextReaddirPos++;
        DirentItem d = new DirentItem(ino, DirentItem.hash(name), pos, type, name);
        put(txn, dir.ino, d, minSeq);
        dir.size += name.length;
        return d;
    }

    /** Writes the three items of an entry (also used to re-point an entry at another inode). */
    void put(Txn txn, long dir, DirentItem d, long minSeq) {
        byte[] v = d.encode();
        txn.put(Zones.direntKey(dir, d.hash(), d.pos()), v, minSeq);
        txn.put(Zones.readdirKey(dir, d.pos()), v, minSeq);
        txn.put(Zones.backrefKey(d.ino(), dir, d.pos()), v, minSeq);
    }

    /** Removes an entry's three items. The caller writes the directory inode. */
    void remove(Txn txn, Inode dir, DirentItem d, long minSeq) {
        txn.delete(Zones.direntKey(dir.ino, d.hash(), d.pos()), minSeq);
        txn.delete(Zones.readdirKey(dir.ino, d.pos()), minSeq);
        txn.delete(Zones.backrefKey(d.ino(), dir.ino, d.pos()), minSeq);
        dir.size = Math.max(0, dir.size - d.name().length);
    }

    boolean isEmpty(long dir) {
        return store.scan(Zones.readdirKey(dir, 0), Zones.readdirKey(dir, -1L), 1).isEmpty();
    }

    /** Entries at position {@code fromPos} and after, in position order, at most {@code limit}. */
    List<DirentItem> list(long dir, long fromPos, int limit) {
        List<DirentItem> out = new ArrayList<>();
        for (Item item : store.scan(Zones.readdirKey(dir, fromPos), Zones.readdirKey(dir, -1L), limit)) {
            out.add(DirentItem.decode(item.key(), item.value()));
        }
        return out;
    }

    /** A directory's parent: the directory holding its only entry; the root is its own parent. */
    long parent(long dirIno) {
        if (dirIno == Zones.ROOT_INO) {
            return Zones.ROOT_INO;
        }
        List<Item> refs = store.scan(Zones.backrefKey(dirIno, 0, 0), Zones.backrefKey(dirIno, -1L, -1L), 1);
        return refs.isEmpty() ? Zones.ROOT_INO : refs.getFirst().key().second();
    }

    /** Every entry that names {@code ino}, from its back-references. */
    List<DirentItem> links(long ino, int limit) {
        List<DirentItem> out = new ArrayList<>();
        Key from = Zones.backrefKey(ino, 0, 0);
        for (Item item : store.scan(from, Zones.backrefKey(ino, -1L, -1L), Math.min(limit, SCAN_BATCH))) {
            out.add(DirentItem.decode(item.key(), item.value()));
        }
        return out;
    }
}
