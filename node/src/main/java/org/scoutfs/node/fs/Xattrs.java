package org.scoutfs.node.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.DirentItem;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.XattrHeader;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Extended attributes as items. An attribute is stored as a header, its name and its value,
 * split into parts of at most one item value each, keyed {@code (FS, ino, XATTR, name hash, id,
 * part)}. The id comes from the inode's counter, so attributes whose names hash alike stay apart;
 * replacing an attribute writes it under a new id and deletes the old parts.
 */
final class Xattrs {
    static final int MAX_NAME = 255;
    static final int MAX_VALUE = 65536;

    private final NodeStore store;

    Xattrs(NodeStore store) {
        this.store = store;
    }

    /** One stored attribute: its id, name, value and how many parts it spans. */
    record Stored(long id, long hash, byte[] name, byte[] value, int parts) {
    }

    private static long hash(byte[] name) {
        return DirentItem.hash(name);
    }

    /** The attribute {@code name} of {@code inode}, or null. */
    Stored find(Inode inode, String name) {
        // ids count up from 0: an inode that never had an attribute has none to look for
        if (inode.nextXattrId == 0) {
            return null;
        }
        long ino = inode.ino;
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long h = hash(n);
        List<Item> items = store.scan(Zones.xattrKey(ino, h, 0, 0), Zones.xattrKey(ino, h, -1L, 255), Integer.MAX_VALUE);
        for (int i = 0; i < items.size(); ) {
            Item first = items.get(i);
            long id = first.key().third();
            int j = i;
            while (j < items.size() && items.get(j).key().third() == id) {
                j++;
            }
            Stored s = assemble(items.subList(i, j));
            if (s != null && Arrays.equals(s.name, n)) {
                return s;
            }
            i = j;
        }
        return null;
    }

    /** Rebuilds an attribute from its parts (in part order), or null if part 0 is missing. */
    private static Stored assemble(List<Item> parts) {
        Item head = parts.getFirst();
        if (head.key().fourth() != 0) {
            return null;
        }
        XattrHeader h = XattrHeader.decode(head.key(), head.value());
        int total = XattrHeader.SIZE + h.nameLen() + h.valueLen();
        byte[] all = new byte[total];
        int at = 0;
        for (Item p : parts) {
            int n = Math.min(p.value().length, total - at);
            System.arraycopy(p.value(), 0, all, at, n);
            at += n;
        }
        if (at < total) {
            throw new org.scoutfs.lsm.CorruptionException("xattr " + head.key() + " is missing parts: " + at + " of "
                    + total + " bytes");
        }
        byte[] name = Arrays.copyOfRange(all, XattrHeader.SIZE, XattrHeader.SIZE + h.nameLen());
        byte[] value = Arrays.copyOfRange(all, XattrHeader.SIZE + h.nameLen(), total);
        return new Stored(head.key().third(), head.key().second(), name, value, parts.size());
    }

    /** Writes {@code name} = {@code value} under a new id; the caller removes any old version and writes the inode. */
    void put(Txn txn, Inode inode, String name, byte[] value, long minSeq) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long id = inode.nextXattrId++;
        long h = hash(n);
        byte[] all = new byte[XattrHeader.SIZE + n.length + value.length];
        new XattrHeader(n.length, value.length).encode(all);
        System.arraycopy(n, 0, all, XattrHeader.SIZE, n.length);
        System.arraycopy(value, 0, all, XattrHeader.SIZE + n.length, value.length);
        int part = 0;
        for (int off = 0; off < all.length; off += Format.MAX_VALUE_LEN, part++) {
            txn.put(Zones.xattrKey(inode.ino, h, id, part),
                    Arrays.copyOfRange(all, off, Math.min(all.length, off + Format.MAX_VALUE_LEN)), minSeq);
        }
    }

    void remove(Txn txn, long ino, Stored s, long minSeq) {
        for (int part = 0; part < s.parts; part++) {
            txn.delete(Zones.xattrKey(ino, s.hash, s.id, part), minSeq);
        }
    }

    /** Every attribute of the inode. */
    List<Stored> all(Inode inode) {
        if (inode.nextXattrId == 0) {
            return List.of();
        }
        long ino = inode.ino;
        List<Item> items = store.scan(Zones.xattrKey(ino, 0, 0, 0), Zones.xattrKey(ino, -1L, -1L, 255), Integer.MAX_VALUE);
        List<Stored> out = new ArrayList<>();
        for (int i = 0; i < items.size(); ) {
            Key k = items.get(i).key();
            int j = i;
            while (j < items.size() && items.get(j).key().second() == k.second() && items.get(j).key().third() == k.third()) {
                j++;
            }
            Stored s = assemble(items.subList(i, j));
            if (s != null) {
                out.add(s);
            }
            i = j;
        }
        return out;
    }
}
