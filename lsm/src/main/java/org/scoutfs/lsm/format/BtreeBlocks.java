package org.scoutfs.lsm.format;

import java.util.Arrays;

import static org.scoutfs.lsm.format.Layouts.BT_HEADER_SIZE;
import static org.scoutfs.lsm.format.Layouts.BT_LEVEL;
import static org.scoutfs.lsm.format.Layouts.BT_NR_ITEMS;
import static org.scoutfs.lsm.format.Layouts.LEAF_FLAGS;
import static org.scoutfs.lsm.format.Layouts.LEAF_KEY;
import static org.scoutfs.lsm.format.Layouts.LEAF_SEQ;
import static org.scoutfs.lsm.format.Layouts.LEAF_SLOT_SIZE;
import static org.scoutfs.lsm.format.Layouts.LEAF_VALUE_LEN;
import static org.scoutfs.lsm.format.Layouts.LEAF_VALUE_OFF;
import static org.scoutfs.lsm.format.Layouts.PARENT_CHILD_BLKNO;
import static org.scoutfs.lsm.format.Layouts.PARENT_CHILD_SEQ;
import static org.scoutfs.lsm.format.Layouts.PARENT_KEY;
import static org.scoutfs.lsm.format.Layouts.PARENT_SLOT_SIZE;

/**
 * Reading and writing B-tree blocks in place. A block holds fixed-size slots in key order right
 * after its header. Leaf slots carry an item's key, sequence, flags and the position of its value,
 * which is packed from the end of the block; parent slots carry a child reference and the smallest
 * key that child may hold (the first slot's key is only a placeholder: the first child takes
 * everything below the second slot's key). Lookups binary-search the slots directly in the block's
 * bytes; keys are compared as encoded bytes.
 */
public final class BtreeBlocks {
    private BtreeBlocks() {
    }

    /** Item flag: this item is a deletion marker hiding older versions of its key. */
    public static final int FLAG_DELETION = 1;

    /** Bytes available for slots and values in one block. */
    public static final int CAPACITY = Format.META_BLOCK_SIZE - BT_HEADER_SIZE;
    /** Most children a parent holds. */
    public static final int MAX_PARENT_SLOTS = CAPACITY / PARENT_SLOT_SIZE;

    public static int level(byte[] b) {
        return Bytes.getU8(b, BT_LEVEL);
    }

    public static int nrItems(byte[] b) {
        return Bytes.getU16(b, BT_NR_ITEMS);
    }

    // ---- leaves

    public static int leafSlot(int i) {
        return BT_HEADER_SIZE + i * LEAF_SLOT_SIZE;
    }

    /** Index of {@code key}, or {@code -(insertion point) - 1} if absent. */
    public static int leafSearch(byte[] b, byte[] key) {
        int lo = 0;
        int hi = nrItems(b) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Key.compareEncoded(b, leafSlot(mid) + LEAF_KEY, key);
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

    public static Key leafKey(byte[] b, int i) {
        return Key.decode(b, leafSlot(i) + LEAF_KEY);
    }

    public static byte[] leafKeyBytes(byte[] b, int i) {
        int off = leafSlot(i) + LEAF_KEY;
        return Arrays.copyOfRange(b, off, off + Key.ENCODED_BYTES);
    }

    public static long leafSeq(byte[] b, int i) {
        return Bytes.getLong(b, leafSlot(i) + LEAF_SEQ);
    }

    public static int leafFlags(byte[] b, int i) {
        return Bytes.getU8(b, leafSlot(i) + LEAF_FLAGS);
    }

    public static byte[] leafValue(byte[] b, int i) {
        int slot = leafSlot(i);
        int off = Bytes.getU16(b, slot + LEAF_VALUE_OFF);
        int len = Bytes.getU16(b, slot + LEAF_VALUE_LEN);
        return Arrays.copyOfRange(b, off, off + len);
    }

    /** Bytes one leaf item takes: its slot and its value. */
    public static int leafItemBytes(int valueLength) {
        return LEAF_SLOT_SIZE + valueLength;
    }

    /** Writes a leaf block body from parallel arrays; the caller seals the header. */
    public static byte[] encodeLeaf(int count, byte[][] keys, long[] seqs, int[] flags, byte[][] values) {
        byte[] b = new byte[Format.META_BLOCK_SIZE];
        Bytes.putU8(b, BT_LEVEL, 0);
        Bytes.putU16(b, BT_NR_ITEMS, count);
        int valueEnd = b.length;
        for (int i = 0; i < count; i++) {
            int slot = leafSlot(i);
            System.arraycopy(keys[i], 0, b, slot + LEAF_KEY, Key.ENCODED_BYTES);
            Bytes.putU8(b, slot + LEAF_FLAGS, flags[i]);
            Bytes.putLong(b, slot + LEAF_SEQ, seqs[i]);
            int len = values[i].length;
            valueEnd -= len;
            if (valueEnd < slot + LEAF_SLOT_SIZE) {
                throw new IllegalStateException("leaf items overflow the block");
            }
            System.arraycopy(values[i], 0, b, valueEnd, len);
            Bytes.putU16(b, slot + LEAF_VALUE_OFF, len == 0 ? 0 : valueEnd);
            Bytes.putU16(b, slot + LEAF_VALUE_LEN, len);
        }
        return b;
    }

    // ---- parents

    public static int parentSlot(int i) {
        return BT_HEADER_SIZE + i * PARENT_SLOT_SIZE;
    }

    /** The child that may hold {@code key}: the last slot whose key is not greater, or slot 0. */
    public static int parentChildIndex(byte[] b, byte[] key) {
        int lo = 1;
        int hi = nrItems(b) - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Key.compareEncoded(b, parentSlot(mid) + PARENT_KEY, key) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    public static byte[] parentKeyBytes(byte[] b, int i) {
        int off = parentSlot(i) + PARENT_KEY;
        return Arrays.copyOfRange(b, off, off + Key.ENCODED_BYTES);
    }

    public static BlockRef childRef(byte[] b, int i) {
        int slot = parentSlot(i);
        return new BlockRef(Bytes.getLong(b, slot + PARENT_CHILD_BLKNO), Bytes.getLong(b, slot + PARENT_CHILD_SEQ));
    }

    public static byte[] encodeParent(int level, int count, byte[][] keys, long[] blknos, long[] seqs) {
        if (count > MAX_PARENT_SLOTS) {
            throw new IllegalStateException("parent slots overflow the block: " + count);
        }
        byte[] b = new byte[Format.META_BLOCK_SIZE];
        Bytes.putU8(b, BT_LEVEL, level);
        Bytes.putU16(b, BT_NR_ITEMS, count);
        for (int i = 0; i < count; i++) {
            int slot = parentSlot(i);
            System.arraycopy(keys[i], 0, b, slot + PARENT_KEY, Key.ENCODED_BYTES);
            Bytes.putLong(b, slot + PARENT_CHILD_BLKNO, blknos[i]);
            Bytes.putLong(b, slot + PARENT_CHILD_SEQ, seqs[i]);
        }
        return b;
    }

    /**
     * Checks what a reader relies on before it trusts a block's slots: a sane item count and, for
     * leaves, values that lie inside the block. Returns null or the problem.
     */
    public static String structureProblem(byte[] b, int expectedLevel) {
        int level = level(b);
        if (expectedLevel >= 0 && level != expectedLevel) {
            return "level " + level + ", expected " + expectedLevel;
        }
        int nr = nrItems(b);
        if (level == 0) {
            if (leafSlot(nr) > b.length) {
                return nr + " leaf items do not fit a block";
            }
            for (int i = 0; i < nr; i++) {
                int slot = leafSlot(i);
                int off = Bytes.getU16(b, slot + LEAF_VALUE_OFF);
                int len = Bytes.getU16(b, slot + LEAF_VALUE_LEN);
                if (len > 0 && (off < leafSlot(nr) || off + len > b.length)) {
                    return "item " + i + " value at " + off + "+" + len + " lies outside the value area";
                }
            }
        } else if (nr == 0 || nr > MAX_PARENT_SLOTS) {
            return "parent with " + nr + " children";
        }
        return null;
    }
}
