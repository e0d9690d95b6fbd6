package org.scoutfs.lsm.server;

import java.util.List;

import org.scoutfs.lsm.alloc.FreeSpace;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.FreeExtentItem;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;

/** Records free space as FREE_META / FREE_DATA items in the server tree. */
final class FreeSpaceItems {
    private FreeSpaceItems() {
    }

    /**
     * Mirrors the changed free extents into the tree. Changing the tree copies blocks, which
     * allocates and frees metadata blocks, which changes free space again; repeat until it stops.
     * It stops because a block is copied at most once per session.
     */
    static void record(BtreeWriter tree, FreeSpace meta, FreeSpace data) {
        while (true) {
            List<Long> metaStarts = meta.drainChangedStarts();
            List<Long> dataStarts = data.drainChangedStarts();
            if (metaStarts.isEmpty() && dataStarts.isEmpty()) {
                return;
            }
            record(tree, Zones.FREE_META, metaStarts, meta);
            record(tree, Zones.FREE_DATA, dataStarts, data);
        }
    }

    private static void record(BtreeWriter tree, int zone, List<Long> starts, FreeSpace space) {
        for (long start : starts) {
            Extent e = space.persistedAt(start);
            Key key = FreeExtentItem.key(zone, start);
            if (e == null) {
                tree.delete(key);
            } else {
                tree.put(key, tree.seq(), FreeExtentItem.encodeLength(e.len()));
            }
        }
    }
}
