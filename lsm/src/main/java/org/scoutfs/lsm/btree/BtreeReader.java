package org.scoutfs.lsm.btree;

import java.util.function.Consumer;

import org.scoutfs.lsm.StaleBlockException;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeBlocks;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;

/**
 * Lookups in committed B-trees. Committed blocks never change, so reads take no locks; a block
 * that was freed and reused since the caller got its root shows up as a
 * {@link StaleBlockException}.
 */
public final class BtreeReader {
    private BtreeReader() {
    }

    private static final java.util.function.Function<byte[], String> STRUCTURE =
            b -> BtreeBlocks.structureProblem(b, -1);

    /** Reads a B-tree block and checks its structure; structural damage reads as a stale block. */
    static byte[] readNode(MetaBlocks blocks, BlockRef ref, int level) {
        byte[] b = blocks.read(ref, Format.MAGIC_BTREE, STRUCTURE);
        if (BtreeBlocks.level(b) != level) {
            throw new StaleBlockException(ref, "level " + BtreeBlocks.level(b) + ", expected " + level);
        }
        return b;
    }

    /** The version of {@code key} in the tree (possibly a deletion marker), or null. */
    public static Item get(MetaBlocks blocks, BtreeRoot root, Key key) {
        if (root.isEmpty()) {
            return null;
        }
        byte[] k = key.encode();
        BlockRef ref = root.ref();
        for (int level = root.height() - 1; level > 0; level--) {
            byte[] parent = readNode(blocks, ref, level);
            ref = BtreeBlocks.childRef(parent, BtreeBlocks.parentChildIndex(parent, k));
        }
        byte[] leaf = readNode(blocks, ref, 0);
        int i = BtreeBlocks.leafSearch(leaf, k);
        if (i < 0) {
            return null;
        }
        return new Item(key, BtreeBlocks.leafSeq(leaf, i),
                (BtreeBlocks.leafFlags(leaf, i) & BtreeBlocks.FLAG_DELETION) != 0, BtreeBlocks.leafValue(leaf, i));
    }

    /** Items with keys in [from, to], in key order. */
    public static BtreeCursor cursor(MetaBlocks blocks, BtreeRoot root, Key from, Key to) {
        return new BtreeCursor(blocks, root, from, to);
    }

    /** Calls {@code visitor} with the reference of every block of the tree, parents before children. */
    public static void visitBlocks(MetaBlocks blocks, BtreeRoot root, Consumer<BlockRef> visitor) {
        if (!root.isEmpty()) {
            visit(blocks, root.ref(), root.height() - 1, visitor);
        }
    }

    private static void visit(MetaBlocks blocks, BlockRef ref, int level, Consumer<BlockRef> visitor) {
        visitor.accept(ref);
        if (level == 0) {
            return;
        }
        byte[] parent = readNode(blocks, ref, level);
        int nr = BtreeBlocks.nrItems(parent);
        for (int i = 0; i < nr; i++) {
            visit(blocks, BtreeBlocks.childRef(parent, i), level - 1, visitor);
        }
    }
}
