package org.scoutfs.lsm;

/**
 * A commit failed part way, so this process no longer knows what is on the device. It refuses
 * further changes; reopening the volume recovers the last commit.
 */
public final class VolumeFailedException extends StorageException {
    public VolumeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
