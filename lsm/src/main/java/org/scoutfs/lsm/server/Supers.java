package org.scoutfs.lsm.server;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.CorruptionException;
import org.scoutfs.lsm.FormatMismatchException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.format.BlockHeaders;
import org.scoutfs.lsm.format.DataLabel;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.SuperBlock;

/** Finding the super block of a volume and checking that this build and these devices fit it. */
public final class Supers {
    private Supers() {
    }

    /** A valid copy read from the device, or why a copy was not valid. */
    public record Copy(long offset, SuperBlock sb, String problem) {
    }

    public static List<Copy> readCopies(BlockDevice dev) {
        List<Copy> out = new ArrayList<>();
        for (long off : Format.SUPER_COPY_OFFSETS) {
            if (dev.size() < off + Format.SUPER_SIZE) {
                out.add(new Copy(off, null, "device too small to hold it"));
                continue;
            }
            byte[] b = new byte[Format.SUPER_SIZE];
            dev.read(off, b);
            if (BlockHeaders.magic(b) != Format.MAGIC_SUPER) {
                boolean blank = java.util.Arrays.equals(b, new byte[b.length]);
                out.add(new Copy(off, null, blank ? "empty (not written yet)" : "no scoutfs super block magic"));
                continue;
            }
            try {
                out.add(new Copy(off, SuperBlock.decode(b, off), null));
            } catch (CorruptionException e) {
                out.add(new Copy(off, null, e.getMessage()));
            }
        }
        return out;
    }

    /** True if either copy carries the scoutfs super magic, valid or not. */
    public static boolean looksFormatted(BlockDevice dev) {
        for (long off : Format.SUPER_COPY_OFFSETS) {
            if (dev.size() >= off + Format.SUPER_SIZE) {
                byte[] b = new byte[Format.SUPER_SIZE];
                dev.read(off, b);
                if (BlockHeaders.magic(b) == Format.MAGIC_SUPER) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The newest valid super block copy. The other copy may be older or torn; that is normal after
     * a crash during a super write and is not an error.
     */
    public static SuperBlock readNewest(BlockDevice dev) {
        List<Copy> copies = readCopies(dev);
        SuperBlock best = null;
        for (Copy c : copies) {
            if (c.sb() != null && (best == null || Long.compareUnsigned(c.sb().seq(), best.seq()) > 0)) {
                best = c.sb();
            }
        }
        if (best == null) {
            boolean anyMagic = looksFormatted(dev);
            StringBuilder sb = new StringBuilder(dev.name());
            sb.append(anyMagic ? ": no valid scoutfs super block (" : " does not hold a scoutfs volume (");
            for (Copy c : copies) {
                sb.append("copy at byte ").append(c.offset()).append(": ").append(c.problem()).append("; ");
            }
            sb.setLength(sb.length() - 2);
            sb.append(')');
            if (anyMagic) {
                throw new CorruptionException(sb.toString());
            }
            throw new BadVolumeException(sb + "; make one with scoutfs mkfs");
        }
        return best;
    }

    /** Refuses a super made by another format, or a device smaller than the volume it holds. */
    public static void checkUsable(SuperBlock sb, BlockDevice meta, BlockDevice data) {
        if (sb.formatHash() != FormatHash.build() || sb.formatVersion() != Format.VERSION) {
            throw new FormatMismatchException(meta.name() + " was made with on-disk format "
                    + FormatHash.toHex(sb.formatHash()) + " (version " + sb.formatVersion()
                    + ") but this build of scoutfs uses format " + FormatHash.toHex(FormatHash.build())
                    + " (version " + Format.VERSION + "); use a scoutfs build of the volume's format");
        }
        long metaBytes = sb.totalMetaBlocks() << Format.META_BLOCK_SHIFT;
        if (meta.size() < metaBytes) {
            throw new BadVolumeException(meta.name() + " is " + meta.size() + " bytes but its volume's metadata needs "
                    + metaBytes + " bytes: the device was truncated or is the wrong device");
        }
        long dataEnd = (sb.firstDataBlkno() + sb.totalDataBlocks()) << Format.DATA_BLOCK_SHIFT;
        if (sb.hasDataDevice()) {
            if (data == meta || data == null) {
                throw new BadVolumeException(meta.name() + " keeps its data on a separate data device; name it too");
            }
            byte[] label = new byte[Format.SUPER_SIZE];
            data.read(0, label);
            DataLabel dl = DataLabel.decode(label, data.name());
            if (dl.fsid() != sb.fsid()) {
                throw new BadVolumeException(String.format("%s is the data device of volume %016x, not of %016x on %s",
                        data.name(), dl.fsid(), sb.fsid(), meta.name()));
            }
        } else if (data != null && data != meta) {
            throw new BadVolumeException(meta.name() + " keeps its data on the same device; "
                    + data.name() + " is not part of it");
        }
        BlockDevice dataDev = sb.hasDataDevice() ? data : meta;
        if (dataDev.size() < dataEnd) {
            throw new BadVolumeException(dataDev.name() + " is " + dataDev.size() + " bytes but its volume's data needs "
                    + dataEnd + " bytes: the device was truncated or is the wrong device");
        }
    }
}
