package org.scoutfs.lsm.format;

/**
 * Constants of the device layout. Together with {@link Layouts} and {@link Zones} this is the
 * whole on-disk format; the format hash is computed from all three at build time.
 *
 * <pre>
 * byte offset     what
 * 0               super block copy 0 (4 KiB)
 * 4 KiB           super block copy 1 (4 KiB)
 * 64 KiB          quorum blocks, one 4 KiB block per slot (15 slots)
 * 128 KiB         metadata blocks of 64 KiB, numbered from 2 (blkno * 64 KiB = byte offset)
 * metadata end    data blocks of 4 KiB (single device), or a separate data device whose first
 *                 64 KiB hold a label naming the volume
 * </pre>
 */
public final class Format {
    private Format() {
    }

    /** Bumped when the meaning of the layout changes in a way the hash cannot see. */
    public static final int VERSION = 1;

    public static final int META_BLOCK_SHIFT = 16;
    public static final int META_BLOCK_SIZE = 1 << META_BLOCK_SHIFT;
    public static final int DATA_BLOCK_SHIFT = 12;
    public static final int DATA_BLOCK_SIZE = 1 << DATA_BLOCK_SHIFT;

    public static final int SUPER_SIZE = 4096;
    public static final long[] SUPER_COPY_OFFSETS = {0, 4096};

    public static final long QUORUM_OFFSET = 64 * 1024;
    public static final int QUORUM_BLOCK_SIZE = 4096;
    public static final int QUORUM_MAX_SLOTS = 15;

    /** Metadata blocks 0 and 1 hold the supers and the quorum blocks. */
    public static final long META_FIRST_BLKNO = 2;
    /** On a separate data device the first 64 KiB hold the data device label. */
    public static final long DATA_DEVICE_FIRST_BLKNO = 16;

    public static final int MAX_BTREE_HEIGHT = 20;
    /** Largest item value; a leaf always holds many items so splits never fail. */
    public static final int MAX_VALUE_LEN = 4096;

    /** Smallest metadata region and data region that mkfs accepts. */
    public static final long MIN_META_BYTES = 16L << 20;
    public static final long MIN_DATA_BYTES = 16L << 20;

    public static final int MAGIC_SUPER = 0x53435355; // "SCSU"
    public static final int MAGIC_BTREE = 0x53434254; // "SCBT"
    public static final int MAGIC_BLOOM = 0x5343424c; // "SCBL"
    public static final int MAGIC_QUORUM = 0x53435155; // "SCQU"
    public static final int MAGIC_DATA_LABEL = 0x5343444c; // "SCDL"

    /** The f_type statfs reports, as scoutfs does. */
    public static final long STATFS_MAGIC = 0x554f4353L;

    /** Bloom filter: bits per log tree bloom block and hash functions per key group. */
    public static final int BLOOM_HASHES = 3;

    public static String magicName(int magic) {
        return switch (magic) {
            case MAGIC_SUPER -> "super";
            case MAGIC_BTREE -> "btree";
            case MAGIC_BLOOM -> "bloom";
            case MAGIC_QUORUM -> "quorum";
            case MAGIC_DATA_LABEL -> "data label";
            default -> String.format("unknown magic 0x%08x", magic);
        };
    }
}
