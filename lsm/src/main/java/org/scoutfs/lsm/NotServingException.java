package org.scoutfs.lsm;

/**
 * The server asked is not serving: it is still waiting for the mounts of the last server to come
 * back, or it has been deposed by a newer leader, or it is stopping. Nothing was changed. A node
 * finds the current server and asks again.
 */
public final class NotServingException extends StorageException {
    private final boolean recovering;

    /** A server that has stopped serving for good: deposed, or stopping. */
    public NotServingException(String message) {
        this(message, false);
    }

    /** @param recovering true if the server will serve once the mounts of the last server are back */
    public NotServingException(String message, boolean recovering) {
        super(message);
        this.recovering = recovering;
    }

    /** True if the same server will serve soon (it is recovering); false if another server must be found. */
    public boolean recovering() {
        return recovering;
    }
}
