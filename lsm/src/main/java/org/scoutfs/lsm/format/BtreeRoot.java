package org.scoutfs.lsm.format;

/**
 * The root of a copy-on-write B-tree: the root block and the tree's height (0 for an empty tree,
 * 1 for a single leaf).
 */
public record BtreeRoot(BlockRef ref, int height) {
    public static final BtreeRoot EMPTY = new BtreeRoot(BlockRef.NONE, 0);

    public BtreeRoot {
        if (height < 0 || height > Format.MAX_BTREE_HEIGHT) {
            throw new IllegalArgumentException("btree height out of range: " + height);
        }
        if ((height == 0) != ref.isNone()) {
            throw new IllegalArgumentException("btree root " + ref + " inconsistent with height " + height);
        }
    }

    public boolean isEmpty() {
        return height == 0;
    }

    void encode(byte[] b, int off) {
        Bytes.putLong(b, off + Layouts.ROOT_BLKNO, ref.blkno());
        Bytes.putLong(b, off + Layouts.ROOT_SEQ, ref.seq());
        Bytes.putU8(b, off + Layouts.ROOT_HEIGHT, height);
    }

    static BtreeRoot decode(byte[] b, int off) {
        long blkno = Bytes.getLong(b, off + Layouts.ROOT_BLKNO);
        long seq = Bytes.getLong(b, off + Layouts.ROOT_SEQ);
        int height = Bytes.getU8(b, off + Layouts.ROOT_HEIGHT);
        return new BtreeRoot(new BlockRef(blkno, seq), height);
    }

    @Override
    public String toString() {
        return isEmpty() ? "empty" : ref + " height " + height;
    }
}
