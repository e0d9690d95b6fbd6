package org.scoutfs.cli.offline;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.CorruptionException;
import org.scoutfs.lsm.StaleBlockException;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeCursor;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.FreeExtentItem;
import org.scoutfs.lsm.format.InodeItem;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.LogMergeRecord;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.Supers;

/**
 * Prints what is on a volume for debugging: both super block copies, the server tree (log tree
 * records, free space, merges), the fs root and every log tree. It only reads, never repairs, and
 * keeps going past damage, reporting each damaged structure; {@link #damage()} counts them.
 */
public final class VolumePrinter {
    private final BlockDevice device;
    private final PrintWriter out;
    private final boolean items;
    private int damage;

    public VolumePrinter(BlockDevice device, PrintWriter out, boolean items) {
        this.device = device;
        this.out = out;
        this.items = items;
    }

    public int damage() {
        return damage;
    }

    public void print() {
        SuperBlock newest = null;
        for (Supers.Copy c : Supers.readCopies(device)) {
            if (c.sb() == null) {
                out.printf("super block copy at byte %d: %s%n", c.offset(), c.problem());
                if (!c.problem().startsWith("no scoutfs") && !c.problem().startsWith("empty")) {
                    damage++;
                }
            } else {
                out.printf("super block copy at byte %d: seq %d%n", c.offset(), c.sb().seq());
                if (newest == null || Long.compareUnsigned(c.sb().seq(), newest.seq()) > 0) {
                    newest = c.sb();
                }
            }
        }
        if (newest == null) {
            out.println("no valid super block: nothing more to print");
            damage++;
            return;
        }
        printSuper(newest);
        MetaBlocks blocks = new MetaBlocks(device, newest.fsid(), new BlockCache(256));
        List<LogTreesRecord> logTrees = printServerTree(blocks, newest.serverRoot());
        printTree(blocks, "fs root", newest.fsRoot());
        for (LogTreesRecord r : logTrees) {
            printTree(blocks, String.format("log tree rid %016x nr %d", r.rid(), r.nr()), r.itemRoot());
        }
    }

    private void printSuper(SuperBlock sb) {
        out.printf("super block (seq %d):%n", sb.seq());
        out.printf("  fsid %016x uuid %016x%016x%n", sb.fsid(), sb.uuidHi(), sb.uuidLo());
        out.printf("  format version %d hash %s%s%n", sb.formatVersion(), FormatHash.toHex(sb.formatHash()),
                sb.formatHash() == FormatHash.build() ? "" : " (this build uses " + FormatHash.toHex(FormatHash.build()) + ")");
        out.printf("  created %s%n", Instant.ofEpochSecond(0, sb.createTime()));
        out.printf("  metadata blocks %d (first %d, free %d)%n", sb.totalMetaBlocks(), sb.firstMetaBlkno(),
                sb.freeMetaBlocks());
        out.printf("  data blocks %d (first %d, free %d)%s%n", sb.totalDataBlocks(), sb.firstDataBlkno(),
                sb.freeDataBlocks(), sb.hasDataDevice() ? " on a separate data device" : "");
        out.printf("  next seq %d, next ino %d, inodes %d, quorum count %d, server term %d%n", sb.nextSeq(),
                sb.nextIno(), sb.inodeCount(), sb.quorumCount(), sb.serverTerm());
        out.printf("  server root %s%n", sb.serverRoot());
        out.printf("  fs root %s, max item seq %d%n", sb.fsRoot(), sb.fsMaxSeq());
    }

    private List<LogTreesRecord> printServerTree(MetaBlocks blocks, BtreeRoot root) {
        out.printf("server tree %s:%n", root);
        List<LogTreesRecord> logTrees = new ArrayList<>();
        List<Extent> freeMeta = new ArrayList<>();
        List<Extent> freeData = new ArrayList<>();
        try {
            BtreeCursor c = BtreeReader.cursor(blocks, root, Key.MIN, Key.MAX);
            for (Item item = c.next(); item != null; item = c.next()) {
                Key k = item.key();
                try {
                    switch (k.zone()) {
                        case Zones.LOG_TREES -> {
                            LogTreesRecord r = LogTreesRecord.decode(k, item.value());
                            logTrees.add(r);
                            out.printf("  log tree rid %016x nr %d%s: root %s, bloom %s, seqs %d..%d, last commit %d,"
                                            + " %d blocks, meta avail %s, data avail %s%n", r.rid(), r.nr(),
                                    r.finalized() ? " (finalized)" : "", r.itemRoot(), r.bloom(), r.firstSeq(),
                                    r.maxItemSeq(), r.commitSeq(), r.itemBlocks(), r.metaAvail(), r.dataAvail());
                        }
                        case Zones.FREE_META -> freeMeta.add(FreeExtentItem.decode(k, item.value()));
                        case Zones.FREE_DATA -> freeData.add(FreeExtentItem.decode(k, item.value()));
                        case Zones.LOG_MERGE -> {
                            LogMergeRecord m = LogMergeRecord.decode(k, item.value());
                            out.printf("  merge seq %d in progress, avail %s%n", m.seq(), m.avail());
                        }
                        default -> {
                            out.printf("  unknown server item %s%n", k);
                            damage++;
                        }
                    }
                } catch (CorruptionException e) {
                    out.printf("  corruption: %s%n", e.getMessage());
                    damage++;
                }
            }
        } catch (StaleBlockException e) {
            out.printf("  corruption: %s%n", e.asCorruption("server tree").getMessage());
            damage++;
        }
        printFree("metadata", freeMeta);
        printFree("data", freeData);
        return logTrees;
    }

    private void printFree(String what, List<Extent> free) {
        long total = free.stream().mapToLong(Extent::len).sum();
        out.printf("  free %s: %d blocks in %d extent%s%n", what, total, free.size(), free.size() == 1 ? "" : "s");
        if (items) {
            for (Extent e : free) {
                out.printf("    %d+%d%n", e.start(), e.len());
            }
        }
    }

    private void printTree(MetaBlocks blocks, String name, BtreeRoot root) {
        out.printf("%s %s:%n", name, root);
        long count = 0;
        try {
            BtreeCursor c = BtreeReader.cursor(blocks, root, Key.MIN, Key.MAX);
            for (Item item = c.next(); item != null; item = c.next()) {
                count++;
                if (items) {
                    out.printf("  %s @%d%s%n", item.key(), item.seq(), item.deletion() ? " deletion" : ": " + describe(item));
                }
            }
        } catch (StaleBlockException e) {
            out.printf("  corruption: %s%n", e.asCorruption(name).getMessage());
            damage++;
        }
        out.printf("  %d items%n", count);
    }

    /** A readable rendering of an item's value, by what its key says it is. */
    private String describe(Item item) {
        Key k = item.key();
        try {
            if (k.zone() == Zones.INODE_INDEX) {
                String index = k.type() == Zones.META_SEQ_TYPE ? "meta_seq" : k.type() == Zones.DATA_SEQ_TYPE ? "data_seq" : "index " + k.type();
                return index + " " + k.second() + " ino " + k.third();
            }
            if (k.zone() == Zones.ORPHAN) {
                return "orphan ino " + k.second();
            }
            if (k.zone() == Zones.FS && k.type() == Zones.INODE_TYPE) {
                InodeItem i = InodeItem.decode(k.first(), item.value());
                return String.format("inode %d mode %06o nlink %d uid %d gid %d size %d meta_seq %d data_seq %d "
                                + "data_version %d mtime %s", k.first(), i.mode(), i.nlink(), i.uid(), i.gid(), i.size(),
                        i.metaSeq(), i.dataSeq(), i.dataVersion(), i.mtime());
            }
        } catch (CorruptionException e) {
            damage++;
            return "corruption: " + e.getMessage();
        }
        return item.value().length + " bytes";
    }
}
