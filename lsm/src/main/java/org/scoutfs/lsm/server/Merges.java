package org.scoutfs.lsm.server;

import org.scoutfs.lsm.StaleBlockException;
import org.scoutfs.lsm.block.MetaBlocks;

/** Running one merge on behalf of the server, from whichever process has the blocks at hand. */
public final class Merges {
    private Merges() {
    }

    /**
     * Asks the server for a merge on behalf of mount {@code rid}, runs it and hands the result
     * back; on failure gives the merge's space back. Returns whether a merge ran.
     */
    public static boolean runOnce(ServerApi server, MetaBlocks blocks, long rid) {
        MergeJob job = server.startMerge(rid);
        if (job == null) {
            return false;
        }
        MergeJob.Result result;
        try {
            result = LogMerger.run(blocks, job, n -> server.growMerge(job.seq(), n));
        } catch (StaleBlockException e) {
            // only merges free the fs root and finalized trees, so their blocks cannot have moved
            abandon(server, job, e);
            throw e.asCorruption("merge input");
        } catch (RuntimeException e) {
            abandon(server, job, e);
            throw e;
        }
        server.completeMerge(result);
        return true;
    }

    private static void abandon(ServerApi server, MergeJob job, RuntimeException cause) {
        try {
            server.abandonMerge(job.seq());
        } catch (RuntimeException again) {
            cause.addSuppressed(again);
        }
    }
}
