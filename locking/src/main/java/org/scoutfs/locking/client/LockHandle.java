package org.scoutfs.locking.client;

import java.util.concurrent.atomic.AtomicBoolean;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * One user's use of a cached lock. While it is open the node keeps the lock in a mode that
 * satisfies {@link #mode()}: an invalidation from the server waits for it to close. Close it as soon
 * as the operation is done, from any thread; closing twice is harmless.
 */
public final class LockHandle implements AutoCloseable {
    private final LockClient client;
    private final LockRange range;
    private final LockMode mode;
    private final long writeSeq;
    private final long commitSeq;
    private final AtomicBoolean open = new AtomicBoolean(true);

    LockHandle(LockClient client, LockRange range, LockMode mode, long writeSeq, long commitSeq) {
        this.client = client;
        this.range = range;
        this.mode = mode;
        this.writeSeq = writeSeq;
        this.commitSeq = commitSeq;
    }

    public LockRange range() {
        return range;
    }

    /** The mode this user asked for and may use; the node may hold a stronger one. */
    public LockMode mode() {
        return mode;
    }

    /**
     * The sequence of the grant under which the node holds the lock writable (WRITE or
     * WRITE_ONLY): items written under this handle carry at least this sequence. 0 if the lock was
     * held only for reading when the handle was opened.
     */
    public long writeSeq() {
        return writeSeq;
    }

    /**
     * The server commit that the lock's grant named: it made the previous holder's changes under
     * the lock durable, so reads under this handle must use roots at least that new.
     */
    public long commitSeq() {
        return commitSeq;
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Ends this use. The lock stays cached on the node until the server takes it back. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            client.release(this);
        }
    }

    @Override
    public String toString() {
        return "LockHandle[" + range + " " + mode + (isOpen() ? "" : " closed") + "]";
    }
}
