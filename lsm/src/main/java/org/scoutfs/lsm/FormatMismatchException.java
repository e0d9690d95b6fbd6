package org.scoutfs.lsm;

/** The volume (or a peer) was made by a build with a different on-disk format. */
public final class FormatMismatchException extends StorageException {
    public FormatMismatchException(String message) {
        super(message);
    }
}
