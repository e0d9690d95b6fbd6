package org.scoutfs.lsm.server;

import java.util.List;

import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;

/**
 * A merge the server hands out: fold the finalized log trees {@code inputs} into the fs root
 * {@code fsRoot}, writing new blocks with sequence {@code seq} into {@code avail}.
 *
 * @param liveMinSeq no live (unmerged, unfinalized) log tree holds an item older than this, so a
 *                   deletion marker with a sequence not above it hides nothing and can be dropped
 */
public record MergeJob(long seq, BtreeRoot fsRoot, long fsMaxSeq, List<LogTreeRef> inputs, long liveMinSeq,
                       List<Extent> avail) {
    public MergeJob {
        inputs = List.copyOf(inputs);
        avail = List.copyOf(avail);
    }

    /**
     * The merged fs root and the bookkeeping the server needs to commit it.
     *
     * @param freedMeta blocks the new root no longer uses: the input trees and their blooms, and the
     *                  fs root blocks the merge copied
     * @param unused    granted blocks the merge did not use
     */
    public record Result(long seq, BtreeRoot fsRoot, long fsMaxSeq, List<LogTreeRef> merged, List<Extent> freedMeta,
                         List<Extent> unused, long itemsMerged) {
        public Result {
            merged = List.copyOf(merged);
            freedMeta = List.copyOf(freedMeta);
            unused = List.copyOf(unused);
        }
    }
}
