package org.scoutfs.lsm.btree;

import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeBlocks;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Key;

/**
 * Walks the items of a committed tree in key order within a range. It keeps the path from the
 * root to the current leaf, so stepping to the next leaf reads only the blocks that change.
 */
public final class BtreeCursor {
    private final MetaBlocks blocks;
    private final byte[] toKey;
    private final byte[][] path;
    private final int[] index;
    private final int height;
    private Item next;
    private boolean done;

    BtreeCursor(MetaBlocks blocks, BtreeRoot root, Key from, Key to) {
        this.blocks = blocks;
        this.toKey = to.encode();
        this.height = root.height();
        this.path = new byte[Math.max(height, 1)][];
        this.index = new int[Math.max(height, 1)];
        if (root.isEmpty() || from.compareTo(to) > 0) {
            done = true;
            return;
        }
        byte[] k = from.encode();
        BlockRef ref = root.ref();
        for (int level = height - 1; level > 0; level--) {
            byte[] parent = BtreeReader.readNode(blocks, ref, level);
            int i = BtreeBlocks.parentChildIndex(parent, k);
            path[level] = parent;
            index[level] = i;
            ref = BtreeBlocks.childRef(parent, i);
        }
        byte[] leaf = BtreeReader.readNode(blocks, ref, 0);
        int i = BtreeBlocks.leafSearch(leaf, k);
        path[0] = leaf;
        index[0] = i >= 0 ? i : -(i + 1);
    }

    /** The next item, or null when the range is exhausted. */
    public Item next() {
        if (next != null) {
            Item n = next;
            next = null;
            return n;
        }
        return advance();
    }

    /** The next item without consuming it, or null. */
    public Item peek() {
        if (next == null) {
            next = advance();
        }
        return next;
    }

    private Item advance() {
        if (done) {
            return null;
        }
        while (index[0] >= BtreeBlocks.nrItems(path[0])) {
            if (!nextLeaf()) {
                done = true;
                return null;
            }
        }
        byte[] leaf = path[0];
        int i = index[0]++;
        byte[] keyBytes = BtreeBlocks.leafKeyBytes(leaf, i);
        if (java.util.Arrays.compareUnsigned(keyBytes, toKey) > 0) {
            done = true;
            return null;
        }
        return new Item(Key.decode(keyBytes, 0), BtreeBlocks.leafSeq(leaf, i),
                (BtreeBlocks.leafFlags(leaf, i) & BtreeBlocks.FLAG_DELETION) != 0, BtreeBlocks.leafValue(leaf, i));
    }

    private boolean nextLeaf() {
        int level = 1;
        while (level < height && index[level] + 1 >= BtreeBlocks.nrItems(path[level])) {
            level++;
        }
        if (level >= height) {
            return false;
        }
        index[level]++;
        for (; level > 0; level--) {
            BlockRef ref = BtreeBlocks.childRef(path[level], index[level]);
            path[level - 1] = BtreeReader.readNode(blocks, ref, level - 1);
            index[level - 1] = 0;
        }
        return true;
    }
}
