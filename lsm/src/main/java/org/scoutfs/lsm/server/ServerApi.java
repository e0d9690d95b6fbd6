package org.scoutfs.lsm.server;

import java.util.List;

import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.LogTreesRecord;

/**
 * What a node asks of the server. Every node, including the one the server runs in, goes through
 * this interface; in one process it is a direct call, across processes a message. All records here
 * are plain data so they can be encoded for the wire.
 */
public interface ServerApi {
    /**
     * Opens a transaction for mount {@code rid}: a new transaction sequence, and the log tree the
     * node writes its next commit into (created, with fresh grants, if the node has none open).
     */
    TransOpen openTransaction(long rid);

    /** Records a node's commit of its log tree; returns once the server's commit is durable. */
    CommitReply commitLogTree(LogTreeCommit commit);

    /**
     * More space for a node's private allocators; may grant less than asked, or nothing. Metadata
     * blocks are kept in reserve for {@code forDeletion} requests, so that removing files still
     * works on a full volume.
     */
    Grant grant(long rid, long metaBlocks, long dataBlocks, boolean forDeletion);

    /** The last committed roots, with the last stable sequence. */
    Roots getRoots();

    /** Reserves {@code count} inode numbers, durably, so they are never handed out again. */
    InodeRange allocInodes(long rid, long count);

    /**
     * Volume-wide space and inode figures for statfs. Free space counts the grants mounts hold;
     * the figures also say how much of that the asking mount {@code rid} holds (0 for none), so
     * it can replace that with what it has left right now.
     */
    Usage usage(long rid);

    /**
     * Hands out a merge of the finalized log trees into the fs root, or null if there is nothing
     * to merge or a merge is running. Any node may run it ({@link LogMerger}).
     */
    MergeJob startMerge();

    /** More space for the running merge {@code mergeSeq}; possibly less than asked, or none. */
    List<Extent> growMerge(long mergeSeq, long blocks);

    /** Commits a finished merge; returns once durable. */
    void completeMerge(MergeJob.Result result);

    /** Gives a merge's space back when it cannot finish; its inputs wait for the next merge. */
    void abandonMerge(long mergeSeq);

    /**
     * Clean unmount: the node has committed everything; its log tree is finalized for merging and
     * its unused grants return to free space.
     */
    void farewell(long rid);

    record TransOpen(long transSeq, LogTreesRecord tree) {
    }

    record Grant(List<Extent> meta, List<Extent> data) {
        public Grant {
            meta = List.copyOf(meta);
            data = List.copyOf(data);
        }
    }

    record InodeRange(long first, long count) {
    }

    record Usage(long totalMetaBlocks, long freeMetaBlocks, long totalDataBlocks, long freeDataBlocks,
                 long inodeCount, long stableSeq, long callerMetaGrants, long callerDataGrants) {
    }

    /**
     * A node's commit: the new root and bloom block of log tree {@code (rid, nr)}, the sequences
     * it now holds, its remaining grants, and what the committed transaction freed. With
     * {@code finalizeTree} the node asks for the tree to be finalized (and merged) after this commit.
     */
    record LogTreeCommit(long rid, long nr, long transSeq, BtreeRoot itemRoot, BlockRef bloom, long maxItemSeq,
                         long itemBlocks, List<Extent> metaAvail, List<Extent> dataAvail, List<Extent> freedMeta,
                         List<Extent> freedData, long inodeCountDelta, boolean finalizeTree) {
        public LogTreeCommit {
            metaAvail = List.copyOf(metaAvail);
            dataAvail = List.copyOf(dataAvail);
            freedMeta = List.copyOf(freedMeta);
            freedData = List.copyOf(freedData);
        }
    }

    /** After a commit: fresh roots, and the log tree for the node's next commit (new if finalized). */
    record CommitReply(Roots roots, LogTreesRecord tree) {
    }
}
