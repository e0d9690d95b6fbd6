package org.scoutfs.lsm;

/**
 * The device holds something that cannot be what we wrote: a checksum mismatch, a wrong magic,
 * a block that names another location, an item that does not decode. The message names the block
 * (or item) and what was wrong. Nothing is repaired automatically; the volume should be inspected
 * with {@code scoutfs print}.
 */
public final class CorruptionException extends StorageException {
    public CorruptionException(String message) {
        super(message);
    }
}
