package org.scoutfs.lsm.forest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeCursor;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.BloomBlocks;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;

/**
 * Reads items across the forest: the fs root and every log tree of a {@link Roots}, the version
 * with the highest sequence winning. A log tree is skipped when its bloom block shows it never
 * wrote into the key's lock group, or when its sequences are all older than a version already
 * found. Stale reads surface as {@link org.scoutfs.lsm.StaleBlockException}; the caller retries
 * with newer roots.
 */
public final class ForestReader {
    private final MetaBlocks blocks;

    public ForestReader(MetaBlocks blocks) {
        this.blocks = blocks;
    }

    public MetaBlocks blocks() {
        return blocks;
    }

    /**
     * The newest committed version of {@code key} that is newer than {@code best} (a version the
     * caller already has, e.g. from memory, or null); returns {@code best} if none is newer.
     */
    public Item get(Roots roots, Key key, Item best) {
        long group = Zones.group(key);
        List<LogTreeRef> trees = new ArrayList<>(roots.logTrees());
        trees.sort(Comparator.comparingLong(LogTreeRef::maxItemSeq).reversed());
        for (LogTreeRef t : trees) {
            if (best != null && Long.compareUnsigned(t.maxItemSeq(), best.seq()) <= 0) {
                break;
            }
            if (t.root().isEmpty() || !bloomMayContain(t, group)) {
                continue;
            }
            best = Item.newer(best, BtreeReader.get(blocks, t.root(), key));
        }
        if (best == null || Long.compareUnsigned(roots.fsMaxSeq(), best.seq()) > 0) {
            best = Item.newer(BtreeReader.get(blocks, roots.fsRoot(), key), best);
        }
        return best;
    }

    private boolean bloomMayContain(LogTreeRef t, long group) {
        if (t.bloom().isNone()) {
            return true;
        }
        return BloomBlocks.mayContain(blocks.read(t.bloom(), Format.MAGIC_BLOOM), group);
    }

    /**
     * Sources for the committed versions of keys in [from, to]: one per log tree that may hold
     * them, and the fs root. Merge them with {@link MergingIterator} along with any in-memory
     * sources.
     */
    public List<MergingIterator.Source> sources(Roots roots, Key from, Key to) {
        List<MergingIterator.Source> out = new ArrayList<>();
        boolean oneGroup = Zones.sameGroup(from, to);
        long group = Zones.group(from);
        for (LogTreeRef t : roots.logTrees()) {
            if (t.root().isEmpty() || (oneGroup && !bloomMayContain(t, group))) {
                continue;
            }
            out.add(cursorSource(BtreeReader.cursor(blocks, t.root(), from, to)));
        }
        out.add(cursorSource(BtreeReader.cursor(blocks, roots.fsRoot(), from, to)));
        return out;
    }

    private static MergingIterator.Source cursorSource(BtreeCursor c) {
        return new MergingIterator.Source() {
            @Override
            public Item peek() {
                return c.peek();
            }

            @Override
            public Item next() {
                return c.next();
            }
        };
    }
}
