package org.scoutfs.fuse;

/**
 * Who sent a request and whether they still wait for it; handed to every operation.
 *
 * <p>The credentials are those of the calling process as the kernel saw them (after user
 * namespace mapping). For requests the kernel issues on its own behalf, such as release or
 * writeback of dirty pages, they may be 0 or belong to an unrelated process.
 *
 * <p><b>Interrupts.</b> When the calling process gets a signal while waiting, the kernel sends an
 * INTERRUPT for the request. The session then marks the context interrupted, runs the callbacks
 * registered with {@link #onInterrupt} and (unless disabled with
 * {@link MountOptions.Builder#interruptWorkerThreads}) interrupts the thread running the
 * operation, so that blocking waits end with {@link InterruptedException}. An operation that
 * notices the interrupt should stop and throw {@link FuseException} with {@link Errno#EINTR};
 * completing normally is also correct (the kernel then takes the normal result). Instances are
 * safe to use from any thread while the operation runs; they are meaningless after it returns.
 */
public interface RequestContext {

    /** User id of the calling process. */
    int uid();

    /** Group id of the calling process. */
    int gid();

    /** Process (thread group) id of the caller; 0 for requests without a caller. */
    int pid();

    /** The kernel's unique id of this request, for logs and tracing. */
    long unique();

    /** Whether the kernel has asked to interrupt this request. */
    boolean isInterrupted();

    /**
     * Throws {@link FuseException} with {@link Errno#EINTR} if the request was interrupted; a
     * cheap check for long operations to call between steps.
     */
    default void throwIfInterrupted() {
        if (isInterrupted()) {
            throw new FuseException(Errno.EINTR, "request " + unique() + " interrupted");
        }
    }

    /**
     * Runs {@code callback} when the request is interrupted, or right away if it already is. The
     * callback runs on a session thread that reads requests from the kernel, so it must be quick
     * and must not block (typically it cancels a future or wakes a waiter).
     */
    void onInterrupt(Runnable callback);
}
