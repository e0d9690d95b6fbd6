package org.scoutfs.lsm;

/**
 * The device cannot be used as asked: missing, too small, truncated, already formatted, in use by
 * another mount, or the arguments do not fit it. The message says what to do instead.
 */
public final class BadVolumeException extends StorageException {
    public BadVolumeException(String message) {
        super(message);
    }
}
