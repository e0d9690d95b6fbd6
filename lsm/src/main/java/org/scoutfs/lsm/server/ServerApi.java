package org.scoutfs.lsm.server;

import java.util.List;

import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.MountedClientRecord;

/**
 * What a node asks of the server. Every node, including the one the server runs in, goes through
 * this interface; in one process it is a direct call, across processes a message. All records here
 * are plain data so they can be encoded for the wire.
 *
 * <p><b>Asking again.</b> A node that loses an answer (a timeout, a server that died) asks again,
 * the same server or the next one. Every request is safe to repeat: a repeated commit or space
 * request gets the answer the first one got if that one took effect, and whatever else changes
 * state is made durable before it is answered, so a new server knows of it. A server that is not
 * serving (recovering after a failover, deposed, stopping) answers with
 * {@link org.scoutfs.lsm.NotServingException} and changes nothing.
 */
public interface ServerApi {
    /**
     * The first request of a mount, and the first after it reached a new server. A new mount is
     * recorded, durably, and gets its log tree (with fresh grants); a mount coming back after a
     * failover reports the transactions it has open and the highest sequence it holds, so the new
     * server never hands out a sequence it already used.
     *
     * @throws org.scoutfs.lsm.FencedException if the mount coming back was declared gone meanwhile
     */
    Welcome greet(Greeting greeting);

    /**
     * Opens a transaction for mount {@code rid}: a new transaction sequence. {@code committingSeq}
     * is the transaction the node is committing now (0 if none); every other transaction the
     * server thought open for the node is forgotten, so a lost answer cannot hold back the last
     * stable sequence.
     */
    TransOpen openTransaction(long rid, long committingSeq);

    /** Mount {@code rid} gives up open transaction {@code transSeq}: it changed nothing. */
    void closeTransaction(long rid, long transSeq);

    /** Records a node's commit of its log tree; returns once the server's commit is durable. */
    CommitReply commitLogTree(LogTreeCommit commit);

    /**
     * More space for a node's private allocators, as the node's request number {@code grantSeq}
     * (one more than its last): durable before it is answered. Asking again with the same number
     * returns the same extents. May grant less than asked, or nothing. Metadata blocks are kept in
     * reserve for {@code forDeletion} requests, so that removing files still works on a full volume.
     */
    Grant grant(long rid, long grantSeq, long metaBlocks, long dataBlocks, boolean forDeletion);

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
     * Hands mount {@code rid} a merge of the finalized log trees into the fs root, or null if there
     * is nothing to merge or another mount's merge is running; the same merge again if {@code rid}
     * asks again while it runs it. Any node may run it ({@link LogMerger}).
     */
    MergeJob startMerge(long rid);

    /** More space for the running merge {@code mergeSeq}; possibly less than asked, or none. */
    List<Extent> growMerge(long mergeSeq, long blocks);

    /** Commits a finished merge; returns once durable. */
    void completeMerge(MergeJob.Result result);

    /** Gives a merge's space back when it cannot finish; its inputs wait for the next merge. */
    void abandonMerge(long mergeSeq);

    /**
     * Clean unmount: the node has committed everything; its log tree is finalized for merging,
     * its unused grants return to free space and it is no longer a mounted client.
     */
    void farewell(long rid);

    /**
     * A mount introducing itself.
     *
     * @param client     who it is and where it runs
     * @param returning  false for the first greeting of a new mount, true when it comes back
     * @param openSeqs   transactions it has open (returning mounts)
     * @param highestSeq the highest transaction or lock write sequence it holds (returning mounts)
     */
    record Greeting(MountedClientRecord client, boolean returning, List<Long> openSeqs, long highestSeq) {
        public Greeting {
            openSeqs = List.copyOf(openSeqs);
        }
    }

    /** The answer to a greeting: the server's term, the mount's current log tree and fresh roots. */
    record Welcome(long term, LogTreesRecord tree, Roots roots) {
    }

    record TransOpen(long transSeq) {
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
