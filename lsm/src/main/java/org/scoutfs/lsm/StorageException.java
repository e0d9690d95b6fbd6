package org.scoutfs.lsm;

/**
 * Base of every failure the storage engine reports. Each subtype says what the caller can do:
 * retry with fresh roots ({@link StaleBlockException}), stop trusting the device
 * ({@link CorruptionException}), use a matching build ({@link FormatMismatchException}), free
 * space ({@link NoSpaceException}), look at the device ({@link VolumeIoException}), find the current
 * server ({@link NotServingException}) or give the mount up ({@link FencedException}).
 */
public abstract sealed class StorageException extends RuntimeException
        permits CorruptionException, StaleBlockException, FormatMismatchException, NoSpaceException,
        VolumeIoException, VolumeFailedException, BadVolumeException, NotServingException, FencedException {
    protected StorageException(String message) {
        super(message);
    }

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
