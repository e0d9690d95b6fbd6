package org.scoutfs.lsm.forest;

import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.LogTreesRecord;

/** What a reader needs of one log tree: its root, its bloom block and the range of its sequences. */
public record LogTreeRef(long rid, long nr, BtreeRoot root, BlockRef bloom, long firstSeq, long maxItemSeq,
                         boolean finalized) {
    public static LogTreeRef of(LogTreesRecord r) {
        return new LogTreeRef(r.rid(), r.nr(), r.itemRoot(), r.bloom(), r.firstSeq(), r.maxItemSeq(), r.finalized());
    }
}
