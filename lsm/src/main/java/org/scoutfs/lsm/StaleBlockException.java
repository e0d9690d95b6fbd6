package org.scoutfs.lsm;

import org.scoutfs.lsm.format.BlockRef;

/**
 * A block read through a reference found a different block: the location was freed and reused
 * by a newer commit while the reader held older roots. The reader refreshes its roots and retries;
 * if the same reference fails again with unchanged roots the failure becomes a
 * {@link CorruptionException}.
 */
public final class StaleBlockException extends StorageException {
    private final BlockRef ref;
    private final String problem;

    public StaleBlockException(BlockRef ref, String problem) {
        super("stale block " + ref + ": " + problem);
        this.ref = ref;
        this.problem = problem;
    }

    public BlockRef ref() {
        return ref;
    }

    public String problem() {
        return problem;
    }

    /** The same failure, judged as corruption because fresh roots did not make it go away. */
    public CorruptionException asCorruption(String what) {
        return new CorruptionException(what + " block " + ref.blkno() + " (expected seq " + ref.seq() + "): " + problem);
    }
}
