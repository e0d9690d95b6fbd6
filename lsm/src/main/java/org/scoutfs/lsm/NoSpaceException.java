package org.scoutfs.lsm;

/** Not enough free metadata or data blocks for the request; nothing was changed. */
public final class NoSpaceException extends StorageException {
    public NoSpaceException(String message) {
        super(message);
    }
}
