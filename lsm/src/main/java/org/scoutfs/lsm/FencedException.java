package org.scoutfs.lsm;

/**
 * This mount was declared gone and fenced: the server reclaimed its log tree and its locks, and
 * nothing it still holds in memory may ever reach the volume. The mount can only be given up.
 */
public final class FencedException extends StorageException {
    public FencedException(String message) {
        super(message);
    }
}
