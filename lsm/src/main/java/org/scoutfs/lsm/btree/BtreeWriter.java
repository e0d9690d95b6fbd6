package org.scoutfs.lsm.btree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.BlockHeaders;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeBlocks;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Layouts;

/**
 * One copy-on-write editing session of a B-tree, for one commit.
 *
 * <p>The first change under a committed block copies it into an in-memory node at a newly
 * allocated location and frees the old location; later changes in the session edit that node in
 * place. {@link #finish()} encodes the dirty nodes, all stamped with the session's sequence, and
 * returns them with the new root. Nothing reachable from the old root is touched, so readers of
 * the old root are unaffected until the freed locations are reused after the commit. The allocator
 * is responsible for not reusing a freed location before the commit that freed it is durable.
 *
 * <p>Leaves split at half their bytes when they overflow and join a neighbour when they fall below
 * a quarter; a parent that is left with one child is replaced by it. Not thread-safe: one writer
 * owns a session.
 */
public final class BtreeWriter {
    /** Where a session gets new block locations and returns old ones. */
    public interface Allocator {
        long allocMeta();

        void freeMeta(long blkno);
    }

    /** The outcome of a session: the new root and the blocks to write before it is committed. */
    public record Result(BtreeRoot root, List<MetaBlocks.Written> blocks, long blockCountDelta) {
    }

    private static final byte[] NO_VALUE = new byte[0];
    private static final int CAPACITY = BtreeBlocks.CAPACITY;
    private static final int LEAF_UNDERFULL = CAPACITY / 4;
    private static final int JOIN_LIMIT = CAPACITY * 3 / 4;
    private static final int PARENT_UNDERFULL = BtreeBlocks.MAX_PARENT_SLOTS / 4;
    private static final int PARENT_JOIN_LIMIT = BtreeBlocks.MAX_PARENT_SLOTS * 3 / 4;

    private final MetaBlocks blocks;
    private final Allocator alloc;
    private final long seq;
    /** A clean {@link BtreeRoot} until the first change, then the dirty root node. */
    private Object root;
    private int height;
    private long blockCountDelta;
    private boolean finished;
    /*
     * The path of the last descent and the key range its leaf covers ([low, high), null for
     * unbounded). Commits and merges feed keys in order, so most keys land in the same leaf as the
     * one before and need no descent. Any change to the tree's shape forgets the path.
     */
    private Node[] pathNodes;
    private int[] pathIdx;
    private byte[] pathLow;
    private byte[] pathHigh;

    public BtreeWriter(MetaBlocks blocks, BtreeRoot root, long seq, Allocator alloc) {
        this.blocks = blocks;
        this.alloc = alloc;
        this.seq = seq;
        this.root = root;
        this.height = root.height();
    }

    private record Entry(byte[] key, long seq, int flags, byte[] value) {
        int bytes() {
            return BtreeBlocks.leafItemBytes(value.length);
        }
    }

    private abstract static sealed class Node permits Leaf, Parent {
        long blkno;

        abstract boolean overflows();

        abstract boolean underfull();

        abstract boolean isEmpty();
    }

    private static final class Leaf extends Node {
        final ArrayList<Entry> entries = new ArrayList<>();
        int bytes;

        @Override
        boolean overflows() {
            return bytes > CAPACITY;
        }

        @Override
        boolean underfull() {
            return bytes < LEAF_UNDERFULL;
        }

        @Override
        boolean isEmpty() {
            return entries.isEmpty();
        }

        int search(byte[] k) {
            int lo = 0;
            int hi = entries.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = Arrays.compareUnsigned(entries.get(mid).key, k);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }
    }

    private static final class Parent extends Node {
        final int level;
        final ArrayList<byte[]> keys = new ArrayList<>();
        /** {@link BlockRef} for a committed child, {@link Node} for a dirty one. */
        final ArrayList<Object> children = new ArrayList<>();

        Parent(int level) {
            this.level = level;
        }

        @Override
        boolean overflows() {
            return keys.size() > BtreeBlocks.MAX_PARENT_SLOTS;
        }

        @Override
        boolean underfull() {
            return keys.size() < PARENT_UNDERFULL;
        }

        @Override
        boolean isEmpty() {
            return keys.isEmpty();
        }

        int childIndex(byte[] k) {
            int lo = 1;
            int hi = keys.size() - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Arrays.compareUnsigned(keys.get(mid), k) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found;
        }
    }

    public long seq() {
        return seq;
    }

    /** Inserts or replaces the version of {@code key}. */
    public void put(Key key, long itemSeq, byte[] value) {
        insert(new Entry(key.encode(), itemSeq, 0, checkValue(value)));
    }

    /** Inserts or replaces the version of {@code key} with a deletion marker. */
    public void putDeletion(Key key, long itemSeq) {
        insert(new Entry(key.encode(), itemSeq, BtreeBlocks.FLAG_DELETION, NO_VALUE));
    }

    /** Stores an item version as given, marker or value. */
    public void put(Item item) {
        insert(entryOf(item));
    }

    private static Entry entryOf(Item item) {
        return item.deletion() ? new Entry(item.key().encode(), item.seq(), BtreeBlocks.FLAG_DELETION, NO_VALUE)
                : new Entry(item.key().encode(), item.seq(), 0, checkValue(item.value()));
    }

    private static byte[] checkValue(byte[] value) {
        if (value.length > Format.MAX_VALUE_LEN) {
            throw new IllegalArgumentException("item value of " + value.length + " bytes exceeds "
                    + Format.MAX_VALUE_LEN);
        }
        return value;
    }

    private void insert(Entry e) {
        checkOpen();
        if (height == 0) {
            Leaf leaf = new Leaf();
            leaf.blkno = alloc.allocMeta();
            leaf.entries.add(e);
            leaf.bytes = e.bytes();
            root = leaf;
            height = 1;
            blockCountDelta++;
            return;
        }
        Leaf leaf = descend(e.key);
        storeInLeaf(leaf, e);
    }

    private void storeInLeaf(Leaf leaf, Entry e) {
        int i = leaf.search(e.key);
        boolean appended = false;
        if (i >= 0) {
            leaf.bytes += e.bytes() - leaf.entries.get(i).bytes();
            leaf.entries.set(i, e);
        } else {
            int at = -(i + 1);
            appended = at == leaf.entries.size();
            leaf.entries.add(at, e);
            leaf.bytes += e.bytes();
        }
        if (leaf.overflows()) {
            split(pathNodes, pathIdx, appended);
            forgetPath();
        }
    }

    /**
     * Folds a version of a key from a merge into the tree with one descent: a version older than
     * the one the tree holds is ignored; a deletion removes the key, or is stored as a marker when
     * {@code keepDeletion} (it must still hide older versions elsewhere).
     */
    public void merge(Item item, boolean keepDeletion) {
        checkOpen();
        Entry e = entryOf(item);
        if (height == 0) {
            if (!item.deletion() || keepDeletion) {
                insert(e);
            }
            return;
        }
        Leaf leaf = descend(e.key);
        int i = leaf.search(e.key);
        if (i >= 0 && Long.compareUnsigned(leaf.entries.get(i).seq, e.seq) > 0) {
            return;
        }
        if (item.deletion() && !keepDeletion) {
            if (i >= 0) {
                leaf.bytes -= leaf.entries.remove(i).bytes();
                if (leaf.isEmpty() || leaf.underfull()) {
                    rebalance(pathNodes, pathIdx);
                    forgetPath();
                }
            }
            return;
        }
        storeInLeaf(leaf, e);
    }

    /** Removes {@code key} from the tree entirely (no marker); returns whether it was there. */
    public boolean delete(Key key) {
        checkOpen();
        if (get(key) == null) {
            return false;
        }
        byte[] k = key.encode();
        Leaf leaf = descend(k);
        int i = leaf.search(k);
        leaf.bytes -= leaf.entries.remove(i).bytes();
        rebalance(pathNodes, pathIdx);
        forgetPath();
        return true;
    }

    /** The current version of {@code key}, including this session's changes, or null. */
    public Item get(Key key) {
        if (height == 0) {
            return null;
        }
        byte[] k = key.encode();
        Object node = root instanceof BtreeRoot r ? r.ref() : root;
        int level = height - 1;
        while (true) {
            if (node instanceof BlockRef ref) {
                return BtreeReader.get(blocks, new BtreeRoot(ref, level + 1), key);
            }
            if (node instanceof Leaf leaf) {
                int i = leaf.search(k);
                if (i < 0) {
                    return null;
                }
                Entry e = leaf.entries.get(i);
                return new Item(key, e.seq, (e.flags & BtreeBlocks.FLAG_DELETION) != 0, e.value);
            }
            Parent p = (Parent) node;
            node = p.children.get(p.childIndex(k));
            level--;
        }
    }

    /**
     * Walks to the leaf for {@code k}, copying committed blocks on the way, and remembers the path
     * ({@link #pathNodes}, {@link #pathIdx}) and the leaf's key range; a key inside the range of the
     * previous descent reuses it.
     */
    private Leaf descend(byte[] k) {
        if (pathNodes != null && pathNodes.length == height
                && (pathLow == null || Arrays.compareUnsigned(k, pathLow) >= 0)
                && (pathHigh == null || Arrays.compareUnsigned(k, pathHigh) < 0)) {
            return (Leaf) pathNodes[0];
        }
        if (root instanceof BtreeRoot r) {
            root = copyOnWrite(r.ref(), height - 1);
        }
        Node[] nodes = new Node[height];
        int[] idx = new int[height];
        byte[] low = null;
        byte[] high = null;
        Node node = (Node) root;
        for (int level = height - 1; level > 0; level--) {
            Parent p = (Parent) node;
            nodes[level] = p;
            int i = p.childIndex(k);
            idx[level] = i;
            if (i > 0) {
                low = p.keys.get(i);
            }
            if (i + 1 < p.keys.size()) {
                high = p.keys.get(i + 1);
            }
            node = dirtyChild(p, i);
        }
        nodes[0] = node;
        pathNodes = nodes;
        pathIdx = idx;
        pathLow = low;
        pathHigh = high;
        return (Leaf) node;
    }

    private void forgetPath() {
        pathNodes = null;
        pathIdx = null;
        pathLow = null;
        pathHigh = null;
    }

    private Node dirtyChild(Parent p, int i) {
        Object c = p.children.get(i);
        if (c instanceof Node n) {
            return n;
        }
        Node n = copyOnWrite((BlockRef) c, p.level - 1);
        p.children.set(i, n);
        return n;
    }

    private Node copyOnWrite(BlockRef ref, int level) {
        byte[] b = BtreeReader.readNode(blocks, ref, level);
        int nr = BtreeBlocks.nrItems(b);
        Node n;
        if (level == 0) {
            Leaf leaf = new Leaf();
            leaf.entries.ensureCapacity(nr + 1);
            for (int i = 0; i < nr; i++) {
                Entry e = new Entry(BtreeBlocks.leafKeyBytes(b, i), BtreeBlocks.leafSeq(b, i),
                        BtreeBlocks.leafFlags(b, i), BtreeBlocks.leafValue(b, i));
                leaf.entries.add(e);
                leaf.bytes += e.bytes();
            }
            n = leaf;
        } else {
            Parent p = new Parent(level);
            for (int i = 0; i < nr; i++) {
                p.keys.add(BtreeBlocks.parentKeyBytes(b, i));
                p.children.add(BtreeBlocks.childRef(b, i));
            }
            n = p;
        }
        n.blkno = alloc.allocMeta();
        alloc.freeMeta(ref.blkno());
        return n;
    }

    /**
     * Splits overflowing nodes up the path. When the overflow came from appending at the end of a
     * node (ascending inserts), the left node keeps all it can, so sorted loads fill leaves instead
     * of leaving them half empty.
     */
    private void split(Node[] nodes, int[] idx, boolean appended) {
        for (int level = 0; level < height; level++) {
            Node n = nodes[level];
            if (!n.overflows()) {
                return;
            }
            Node right = splitOff(n, appended);
            byte[] separator = firstKey(right);
            blockCountDelta++;
            if (level == height - 1) {
                Parent newRoot = new Parent(level + 1);
                newRoot.blkno = alloc.allocMeta();
                newRoot.keys.add(firstKey(n));
                newRoot.children.add(n);
                newRoot.keys.add(separator);
                newRoot.children.add(right);
                root = newRoot;
                height++;
                blockCountDelta++;
                return;
            }
            Parent parent = (Parent) nodes[level + 1];
            int at = idx[level + 1] + 1;
            parent.keys.add(at, separator);
            parent.children.add(at, right);
            appended = at == parent.keys.size() - 1;
        }
    }

    /** Moves the upper half of {@code n} (just its last entry if {@code appended}) into a new node and returns it. */
    private Node splitOff(Node n, boolean appended) {
        if (n instanceof Leaf leaf) {
            int at;
            if (appended) {
                at = leaf.entries.size() - 1;
            } else {
                int half = leaf.bytes / 2;
                int acc = 0;
                at = 0;
                while (at < leaf.entries.size() - 1 && acc + leaf.entries.get(at).bytes() <= half) {
                    acc += leaf.entries.get(at).bytes();
                    at++;
                }
            }
            at = Math.max(at, 1);
            Leaf right = new Leaf();
            right.blkno = alloc.allocMeta();
            List<Entry> moved = leaf.entries.subList(at, leaf.entries.size());
            for (Entry e : moved) {
                right.entries.add(e);
                right.bytes += e.bytes();
            }
            leaf.bytes -= right.bytes;
            moved.clear();
            return right;
        }
        Parent p = (Parent) n;
        int at = appended ? p.keys.size() - 1 : p.keys.size() / 2;
        Parent right = new Parent(p.level);
        right.blkno = alloc.allocMeta();
        right.keys.addAll(p.keys.subList(at, p.keys.size()));
        right.children.addAll(p.children.subList(at, p.children.size()));
        p.keys.subList(at, p.keys.size()).clear();
        p.children.subList(at, p.children.size()).clear();
        return right;
    }

    private static byte[] firstKey(Node n) {
        return n instanceof Leaf leaf ? leaf.entries.getFirst().key : ((Parent) n).keys.getFirst();
    }

    /** After a removal from the leaf in {@code nodes[0]}: drop empty nodes, join underfull ones. */
    private void rebalance(Node[] nodes, int[] idx) {
        for (int level = 0; level < height - 1; level++) {
            Node n = nodes[level];
            Parent p = (Parent) nodes[level + 1];
            int i = idx[level + 1];
            if (n.isEmpty()) {
                p.keys.remove(i);
                p.children.remove(i);
                free(n);
            } else if (!(n.underfull() && joinWithNeighbour(p, i, n))) {
                break;
            }
        }
        collapseRoot();
    }

    private boolean joinWithNeighbour(Parent p, int i, Node n) {
        int j = i + 1 < p.children.size() ? i + 1 : i - 1;
        if (j < 0) {
            return false;
        }
        int leftIdx = Math.min(i, j);
        Node left = leftIdx == i ? n : dirtyChild(p, leftIdx);
        Node right = leftIdx == i ? dirtyChild(p, leftIdx + 1) : n;
        if (left instanceof Leaf l && right instanceof Leaf r) {
            if (l.bytes + r.bytes > JOIN_LIMIT) {
                return false;
            }
            l.entries.addAll(r.entries);
            l.bytes += r.bytes;
        } else {
            Parent l = (Parent) left;
            Parent r = (Parent) right;
            if (l.keys.size() + r.keys.size() > PARENT_JOIN_LIMIT) {
                return false;
            }
            // the right node's first key is a placeholder; its real lower bound is our separator
            r.keys.set(0, p.keys.get(leftIdx + 1));
            l.keys.addAll(r.keys);
            l.children.addAll(r.children);
        }
        p.keys.remove(leftIdx + 1);
        p.children.remove(leftIdx + 1);
        free(right);
        return true;
    }

    private void collapseRoot() {
        while (height > 1 && root instanceof Parent p && p.children.size() == 1) {
            Object only = p.children.getFirst();
            free(p);
            height--;
            root = only instanceof BlockRef ref ? new BtreeRoot(ref, height) : only;
        }
        if (root instanceof Node n && n.isEmpty()) {
            free(n);
            root = BtreeRoot.EMPTY;
            height = 0;
        }
    }

    private void free(Node n) {
        alloc.freeMeta(n.blkno);
        blockCountDelta--;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("btree writer session " + seq + " already finished");
        }
    }

    /** True once the session has changed anything. */
    public boolean dirty() {
        return !(root instanceof BtreeRoot);
    }

    /** The root the session would commit, without ending it (for sizing); null if dirty. */
    public BtreeRoot cleanRoot() {
        return root instanceof BtreeRoot r ? r : null;
    }

    public int height() {
        return height;
    }

    /** Ends the session: encodes every dirty node, stamped with the session's sequence. */
    public Result finish() {
        checkOpen();
        finished = true;
        forgetPath();
        if (root instanceof BtreeRoot r) {
            return new Result(r, List.of(), blockCountDelta);
        }
        List<MetaBlocks.Written> out = new ArrayList<>();
        BlockRef ref = encode((Node) root, out);
        return new Result(new BtreeRoot(ref, height), out, blockCountDelta);
    }

    private BlockRef encode(Node n, List<MetaBlocks.Written> out) {
        byte[] b;
        if (n instanceof Leaf leaf) {
            int count = leaf.entries.size();
            byte[][] keys = new byte[count][];
            long[] seqs = new long[count];
            int[] flags = new int[count];
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                Entry e = leaf.entries.get(i);
                keys[i] = e.key;
                seqs[i] = e.seq;
                flags[i] = e.flags;
                values[i] = e.value;
            }
            b = BtreeBlocks.encodeLeaf(count, keys, seqs, flags, values);
        } else {
            Parent p = (Parent) n;
            int count = p.keys.size();
            long[] blknos = new long[count];
            long[] seqs = new long[count];
            for (int i = 0; i < count; i++) {
                Object c = p.children.get(i);
                BlockRef ref = c instanceof Node child ? encode(child, out) : (BlockRef) c;
                blknos[i] = ref.blkno();
                seqs[i] = ref.seq();
            }
            b = BtreeBlocks.encodeParent(p.level, count, p.keys.toArray(new byte[0][]), blknos, seqs);
        }
        BlockHeaders.seal(b, Format.MAGIC_BTREE, blocks.fsid(), n.blkno, seq);
        out.add(new MetaBlocks.Written(n.blkno, b));
        return new BlockRef(n.blkno, seq);
    }

    static {
        if (Layouts.LEAF_SLOT_SIZE + Format.MAX_VALUE_LEN > CAPACITY / 4) {
            throw new AssertionError("largest item must leave room to split a leaf");
        }
    }
}
