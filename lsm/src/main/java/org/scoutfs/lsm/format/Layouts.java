package org.scoutfs.lsm.format;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;

/**
 * Every on-disk structure, declared once as a {@link StructLayout}. Codecs read their field
 * offsets from these declarations, and {@link FormatHash} hashes their descriptions, so a change
 * to any field changes the format hash and old volumes are refused instead of misread.
 */
public final class Layouts {
    private Layouts() {
    }

    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The item key, in sort order. */
    public static final StructLayout KEY = structLayout(
            U8.withName("zone"), U64.withName("first"), U8.withName("type"),
            U64.withName("second"), U64.withName("third"), U8.withName("fourth")).withName("key");

    /** Starts every metadata block; crc32c covers the block from the magic to its end. */
    public static final StructLayout BLOCK_HEADER = structLayout(
            U32.withName("crc"), U32.withName("magic"), U64.withName("fsid"),
            U64.withName("blkno"), U64.withName("seq")).withName("block_header");

    public static final StructLayout BLOCK_REF = structLayout(
            U64.withName("blkno"), U64.withName("seq")).withName("block_ref");

    public static final StructLayout BTREE_ROOT = structLayout(
            U64.withName("blkno"), U64.withName("seq"), U8.withName("height"), paddingLayout(7)).withName("btree_root");

    public static final StructLayout EXTENT = structLayout(
            U64.withName("start"), U64.withName("len")).withName("extent");

    public static final StructLayout BTREE_BLOCK_HEADER = structLayout(
            BLOCK_HEADER.withName("hdr"), U8.withName("level"), U8.withName("flags"),
            U16.withName("nr_items"), U32.withName("reserved")).withName("btree_block_header");

    /** Leaf slots sit in key order after the header; values are packed from the block's end. */
    public static final StructLayout LEAF_SLOT = structLayout(
            KEY.withName("key"), U8.withName("flags"), U64.withName("seq"),
            U16.withName("value_off"), U16.withName("value_len")).withName("leaf_slot");

    /** A parent slot names a child and the smallest key the child may hold. */
    public static final StructLayout PARENT_SLOT = structLayout(
            KEY.withName("key"), U64.withName("child_blkno"), U64.withName("child_seq")).withName("parent_slot");

    public static final StructLayout BLOOM_BLOCK_HEADER = structLayout(
            BLOCK_HEADER.withName("hdr"), U32.withName("nr_bits"), U32.withName("reserved")).withName("bloom_block_header");

    public static final StructLayout SUPER = structLayout(
            BLOCK_HEADER.withName("hdr"),
            U64.withName("format_hash"), U32.withName("format_version"), U32.withName("flags"),
            U64.withName("uuid_hi"), U64.withName("uuid_lo"), U64.withName("create_time"),
            U64.withName("next_seq"), U64.withName("next_ino"), U64.withName("inode_count"),
            U64.withName("total_meta_blocks"), U64.withName("first_meta_blkno"),
            U64.withName("total_data_blocks"), U64.withName("first_data_blkno"),
            U32.withName("quorum_count"), U32.withName("reserved"), U64.withName("server_term"),
            BTREE_ROOT.withName("server_root"), BTREE_ROOT.withName("fs_root"), U64.withName("fs_max_seq"),
            U64.withName("free_meta_blocks"), U64.withName("free_data_blocks")).withName("super");

    /** First 64 KiB of a separate data device: ties it to its metadata device. */
    public static final StructLayout DATA_LABEL = structLayout(
            BLOCK_HEADER.withName("hdr"), U64.withName("format_hash"),
            U64.withName("total_data_blocks")).withName("data_label");

    /**
     * Value of a LOG_TREES item in the server tree, keyed (LOG_TREES, rid, 0, nr). Followed by
     * {@code nr_meta_avail} then {@code nr_data_avail} {@link #EXTENT}s (the node's unused grants),
     * then {@code nr_grant_meta} and {@code nr_grant_data} extents: what the node's last space
     * request, number {@code grant_seq}, was given, so that a request sent again after a lost
     * answer or a change of server gets the same answer instead of more space.
     */
    public static final StructLayout LOG_TREES = structLayout(
            BTREE_ROOT.withName("item_root"), BLOCK_REF.withName("bloom"),
            U64.withName("rid"), U64.withName("nr"), U64.withName("first_seq"), U64.withName("max_item_seq"),
            U64.withName("commit_seq"), U64.withName("item_blocks"), U32.withName("flags"),
            U16.withName("nr_meta_avail"), U16.withName("nr_data_avail"), U64.withName("grant_seq"),
            U16.withName("nr_grant_meta"), U16.withName("nr_grant_data"), U32.withName("reserved")).withName("log_trees");

    /** A short text (a host name, a network address) in a fixed field: its length, then its bytes. */
    public static final StructLayout NAME64 = structLayout(
            U8.withName("len"), MemoryLayout.sequenceLayout(63, U8).withName("bytes")).withName("name64");

    /**
     * Value of a MOUNTED_CLIENT item keyed (MOUNTED_CLIENT, rid): a mount the server greeted and
     * that has not said farewell, with what is needed to fence it (its process on its host) and
     * to reach it.
     */
    public static final StructLayout MOUNTED_CLIENT = structLayout(
            U64.withName("rid"), U64.withName("pid"), U64.withName("start_time"), U64.withName("greeted_at"),
            U32.withName("flags"), U32.withName("reserved"), NAME64.withName("host"),
            NAME64.withName("address")).withName("mounted_client");

    /**
     * A quorum slot's block, at {@code QUORUM_OFFSET + slot * QUORUM_BLOCK_SIZE}. The slot's
     * owner (a node process: mount id, process id and start time, host, cluster address) writes
     * it and nobody else does. It records the election state the owner must never forget: the
     * highest term it has seen, whom it voted for in that term, the last term it was elected in,
     * the last term whose server it stopped cleanly, and the highest term up to which it, as a
     * leader, made sure every earlier leader was fenced or stopped.
     */
    public static final StructLayout QUORUM_BLOCK = structLayout(
            BLOCK_HEADER.withName("hdr"), U64.withName("owner_rid"), U64.withName("owner_pid"),
            U64.withName("owner_start_time"), U64.withName("claimed_at"), U64.withName("term"),
            U64.withName("voted_for"), U64.withName("elected_term"), U64.withName("stopped_term"),
            U64.withName("fenced_through"), NAME64.withName("host"), NAME64.withName("address")).withName("quorum_block");

    /** Value of a FREE_META / FREE_DATA item keyed (zone, start): the extent's length. */
    public static final StructLayout FREE_EXTENT = structLayout(U64.withName("len")).withName("free_extent");

    /**
     * Value of a LOG_MERGE item keyed (LOG_MERGE, seq): space granted to a merge in progress,
     * followed by {@code nr_avail} {@link #EXTENT}s, reclaimed if the merge never completes.
     */
    public static final StructLayout LOG_MERGE = structLayout(
            U64.withName("seq"), U32.withName("nr_avail"), U32.withName("reserved")).withName("log_merge");

    public static final StructLayout TIMESPEC = structLayout(
            U64.withName("sec"), U32.withName("nsec"), U32.withName("reserved")).withName("timespec");

    /** Value of an inode item keyed (FS, ino, INODE). */
    public static final StructLayout INODE = structLayout(
            U64.withName("size"), U64.withName("meta_seq"), U64.withName("data_seq"),
            U64.withName("data_version"), U64.withName("online_blocks"), U64.withName("offline_blocks"),
            U64.withName("next_readdir_pos"), U64.withName("next_xattr_id"),
            U32.withName("nlink"), U32.withName("uid"), U32.withName("gid"), U32.withName("mode"),
            U64.withName("rdev"), U32.withName("flags"), U32.withName("reserved"),
            TIMESPEC.withName("atime"), TIMESPEC.withName("ctime"), TIMESPEC.withName("mtime"),
            TIMESPEC.withName("crtime"), U64.withName("proj"), U64.withName("generation")).withName("inode");

    /**
     * Value of the three items of a directory entry: by name hash {@code (FS, dir, DIRENT, hash,
     * pos)}, by readdir position {@code (FS, dir, READDIR, pos)} and the back-reference from the
     * target {@code (FS, ino, LINK_BACKREF, dir, pos)}. The name follows the fixed part.
     */
    public static final StructLayout DIRENT = structLayout(
            U64.withName("ino"), U64.withName("hash"), U64.withName("pos"), U8.withName("type")).withName("dirent");

    /**
     * Value of a data extent item keyed {@code (FS, ino, DATA_EXTENT, last logical block)}: the
     * extent maps {@code len} file blocks ending at the key's block to device blocks from
     * {@code blkno}.
     */
    public static final StructLayout DATA_EXTENT = structLayout(
            U64.withName("blkno"), U64.withName("len"), U8.withName("flags")).withName("data_extent");

    /**
     * Start of the first part of an extended attribute, keyed {@code (FS, ino, XATTR, name hash,
     * xattr id, part)}: the name and value follow, continuing into parts 1, 2, ...
     */
    public static final StructLayout XATTR_HEADER = structLayout(
            U8.withName("name_len"), U32.withName("value_len")).withName("xattr_header");

    /** All structures, in a fixed order, for the format hash and for {@code scoutfs print}. */
    public static final List<MemoryLayout> ALL = List.of(KEY, BLOCK_HEADER, BLOCK_REF, BTREE_ROOT, EXTENT,
            BTREE_BLOCK_HEADER, LEAF_SLOT, PARENT_SLOT, BLOOM_BLOCK_HEADER, SUPER, DATA_LABEL, LOG_TREES,
            FREE_EXTENT, LOG_MERGE, NAME64, MOUNTED_CLIENT, QUORUM_BLOCK, TIMESPEC, INODE, DIRENT, DATA_EXTENT,
            XATTR_HEADER);

    static int off(StructLayout layout, String... path) {
        PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return Math.toIntExact(layout.byteOffset(elements));
    }

    static int size(MemoryLayout layout) {
        return Math.toIntExact(layout.byteSize());
    }

    // ---- block header
    public static final int HDR_CRC = off(BLOCK_HEADER, "crc");
    public static final int HDR_MAGIC = off(BLOCK_HEADER, "magic");
    public static final int HDR_FSID = off(BLOCK_HEADER, "fsid");
    public static final int HDR_BLKNO = off(BLOCK_HEADER, "blkno");
    public static final int HDR_SEQ = off(BLOCK_HEADER, "seq");
    public static final int HDR_SIZE = size(BLOCK_HEADER);

    // ---- roots and refs inside other structures
    static final int ROOT_BLKNO = off(BTREE_ROOT, "blkno");
    static final int ROOT_SEQ = off(BTREE_ROOT, "seq");
    static final int ROOT_HEIGHT = off(BTREE_ROOT, "height");
    static final int ROOT_SIZE = size(BTREE_ROOT);
    static final int EXTENT_SIZE = size(EXTENT);
    static final int NAME64_SIZE = size(NAME64);

    // ---- btree blocks
    public static final int BT_LEVEL = off(BTREE_BLOCK_HEADER, "level");
    public static final int BT_NR_ITEMS = off(BTREE_BLOCK_HEADER, "nr_items");
    public static final int BT_HEADER_SIZE = size(BTREE_BLOCK_HEADER);
    public static final int LEAF_KEY = off(LEAF_SLOT, "key");
    public static final int LEAF_FLAGS = off(LEAF_SLOT, "flags");
    public static final int LEAF_SEQ = off(LEAF_SLOT, "seq");
    public static final int LEAF_VALUE_OFF = off(LEAF_SLOT, "value_off");
    public static final int LEAF_VALUE_LEN = off(LEAF_SLOT, "value_len");
    public static final int LEAF_SLOT_SIZE = size(LEAF_SLOT);
    public static final int PARENT_KEY = off(PARENT_SLOT, "key");
    public static final int PARENT_CHILD_BLKNO = off(PARENT_SLOT, "child_blkno");
    public static final int PARENT_CHILD_SEQ = off(PARENT_SLOT, "child_seq");
    public static final int PARENT_SLOT_SIZE = size(PARENT_SLOT);

    // ---- bloom blocks
    public static final int BLOOM_NR_BITS = off(BLOOM_BLOCK_HEADER, "nr_bits");
    public static final int BLOOM_HEADER_SIZE = size(BLOOM_BLOCK_HEADER);
}
