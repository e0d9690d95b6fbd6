package org.scoutfs.lsm.forest;

import java.util.List;

import org.scoutfs.lsm.format.BtreeRoot;

/**
 * A consistent view of the committed forest: the fs root and every log tree, as of one server
 * commit. Readers use one {@code Roots} for a whole lookup or scan and get a newer one when a
 * block they need has been reused (a stale read) or when a lock tells them others have committed.
 *
 * @param commitSeq the super block sequence these roots were committed in
 * @param fsMaxSeq  no item in the fs root has a higher sequence
 * @param stableSeq no item with this sequence or a lower one can still appear: every transaction
 *                  that could write one has committed, and these roots include it
 */
public record Roots(long commitSeq, BtreeRoot fsRoot, long fsMaxSeq, List<LogTreeRef> logTrees, long stableSeq) {
    public Roots {
        logTrees = List.copyOf(logTrees);
    }
}
