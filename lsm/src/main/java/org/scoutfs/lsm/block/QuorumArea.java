package org.scoutfs.lsm.block;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.QuorumSlot;

/**
 * The quorum slots' blocks on the metadata device. They bypass the block cache: other nodes write
 * them at any time, and a reader must see what is on the device now. Each slot is written only by
 * its owner, one whole 4 KiB block at a time, and forced before the write is acted on (a vote is
 * not answered before it is durable).
 */
public final class QuorumArea {
    private QuorumArea() {
    }

    /** Every slot's block as it is on the device now, in slot order. */
    public static List<QuorumSlot> readAll(BlockDevice device, long fsid) {
        byte[] area = new byte[Format.QUORUM_MAX_SLOTS * Format.QUORUM_BLOCK_SIZE];
        device.read(Format.QUORUM_OFFSET, area);
        List<QuorumSlot> out = new ArrayList<>(Format.QUORUM_MAX_SLOTS);
        for (int slot = 0; slot < Format.QUORUM_MAX_SLOTS; slot++) {
            byte[] b = new byte[Format.QUORUM_BLOCK_SIZE];
            System.arraycopy(area, slot * Format.QUORUM_BLOCK_SIZE, b, 0, b.length);
            out.add(QuorumSlot.decode(fsid, slot, b));
        }
        return out;
    }

    public static QuorumSlot read(BlockDevice device, long fsid, int slot) {
        byte[] b = new byte[Format.QUORUM_BLOCK_SIZE];
        device.read(QuorumSlot.offset(slot), b);
        return QuorumSlot.decode(fsid, slot, b);
    }

    /** Writes a slot's block and returns once it is durable. */
    public static void write(BlockDevice device, long fsid, QuorumSlot s) {
        device.write(QuorumSlot.offset(s.slot()), s.encode(fsid));
        device.force();
    }
}
