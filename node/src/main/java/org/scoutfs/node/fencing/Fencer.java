package org.scoutfs.node.fencing;

/**
 * Makes sure a node can no longer write the volume. Returns only once that is certain; throws
 * {@link FenceFailedException} otherwise. Fencing an already dead node succeeds at once.
 */
public interface Fencer {
    void fence(FenceTarget target);
}
