package org.scoutfs.lsm.format;

import java.util.zip.CRC32C;

import static org.scoutfs.lsm.format.Layouts.HDR_BLKNO;
import static org.scoutfs.lsm.format.Layouts.HDR_CRC;
import static org.scoutfs.lsm.format.Layouts.HDR_FSID;
import static org.scoutfs.lsm.format.Layouts.HDR_MAGIC;
import static org.scoutfs.lsm.format.Layouts.HDR_SEQ;

/** Writes and checks the header every metadata block starts with. */
public final class BlockHeaders {
    private BlockHeaders() {
    }

    /** Fills in the header and the checksum; the block's body must be final. */
    public static void seal(byte[] block, int magic, long fsid, long blkno, long seq) {
        Bytes.putInt(block, HDR_MAGIC, magic);
        Bytes.putLong(block, HDR_FSID, fsid);
        Bytes.putLong(block, HDR_BLKNO, blkno);
        Bytes.putLong(block, HDR_SEQ, seq);
        Bytes.putInt(block, HDR_CRC, crc(block));
    }

    public static int crc(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, HDR_CRC + 4, block.length - (HDR_CRC + 4));
        return (int) crc.getValue();
    }

    public static int magic(byte[] block) {
        return Bytes.getInt(block, HDR_MAGIC);
    }

    public static long fsid(byte[] block) {
        return Bytes.getLong(block, HDR_FSID);
    }

    public static long blkno(byte[] block) {
        return Bytes.getLong(block, HDR_BLKNO);
    }

    public static long seq(byte[] block) {
        return Bytes.getLong(block, HDR_SEQ);
    }

    /**
     * Checks a block read from {@code blkno}: the checksum first (a torn or foreign block fails
     * here), then magic, fsid, location and sequence. Returns null if the block is the one that
     * was asked for, else a sentence saying what was wrong.
     *
     * @param seq the expected sequence, or -1 to accept any
     */
    public static String problem(byte[] block, int magic, long fsid, long blkno, long seq) {
        int stored = Bytes.getInt(block, HDR_CRC);
        int computed = crc(block);
        if (stored != computed) {
            return String.format("crc32c mismatch: stored 0x%08x, computed 0x%08x", stored, computed);
        }
        int foundMagic = magic(block);
        if (foundMagic != magic) {
            return "expected a " + Format.magicName(magic) + " block, found " + Format.magicName(foundMagic);
        }
        if (fsid(block) != fsid) {
            return String.format("belongs to volume %016x, not %016x", fsid(block), fsid);
        }
        if (blkno(block) != blkno) {
            return "header names block " + blkno(block);
        }
        if (seq >= 0 && seq(block) != seq) {
            return "header seq " + seq(block) + ", expected " + seq;
        }
        return null;
    }
}
