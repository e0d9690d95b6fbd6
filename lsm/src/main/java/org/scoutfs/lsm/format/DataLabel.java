package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.DATA_LABEL;
import static org.scoutfs.lsm.format.Layouts.off;

/** The label at the start of a separate data device: which volume it belongs to. */
public record DataLabel(long fsid, long formatHash, long totalDataBlocks) {
    private static final int FORMAT_HASH = off(DATA_LABEL, "format_hash");
    private static final int TOTAL = off(DATA_LABEL, "total_data_blocks");

    public byte[] encode() {
        byte[] b = new byte[Format.SUPER_SIZE];
        Bytes.putLong(b, FORMAT_HASH, formatHash);
        Bytes.putLong(b, TOTAL, totalDataBlocks);
        BlockHeaders.seal(b, Format.MAGIC_DATA_LABEL, fsid, 0, 1);
        return b;
    }

    public static DataLabel decode(byte[] b, String device) {
        String problem = BlockHeaders.problem(b, Format.MAGIC_DATA_LABEL, BlockHeaders.fsid(b), 0, -1);
        if (problem != null) {
            throw new CorruptionException("data device " + device + " label: " + problem);
        }
        return new DataLabel(BlockHeaders.fsid(b), Bytes.getLong(b, FORMAT_HASH), Bytes.getLong(b, TOTAL));
    }
}
