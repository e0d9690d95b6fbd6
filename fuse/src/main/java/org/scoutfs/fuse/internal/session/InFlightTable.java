package org.scoutfs.fuse.internal.session;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests read but not yet answered, by unique id, plus a short memory of recently answered
 * ones; this is what INTERRUPT is matched against.
 *
 * <p>The kernel sends INTERRUPT only for a request it already handed to us, but with several
 * reader threads the INTERRUPT can be read before the thread that read the request has
 * registered it. {@link #interrupt} therefore distinguishes three cases: the request is running
 * (interrupt it), it was answered recently (nothing to do), or it is unknown (the caller answers
 * EAGAIN and the kernel queues the INTERRUPT again).
 */
final class InFlightTable {
    /** Outcome of matching an INTERRUPT. */
    enum InterruptOutcome {
        INTERRUPTED,
        ALREADY_ANSWERED,
        UNKNOWN
    }

    private static final int RECENT_CAPACITY = 4096;

    private final ConcurrentHashMap<Long, InFlightRequest> active = new ConcurrentHashMap<>();
    private final long[] recent = new long[RECENT_CAPACITY];
    private final ConcurrentHashMap<Long, Boolean> recentSet = new ConcurrentHashMap<>();
    private int recentNext;

    void register(InFlightRequest request) {
        active.put(request.unique(), request);
    }

    /** The request has been answered (or needs no answer). */
    void complete(InFlightRequest request) {
        rememberAnswered(request.unique());
        active.remove(request.unique());
        synchronized (this) {
            if (active.isEmpty()) {
                notifyAll();
            }
        }
    }

    InterruptOutcome interrupt(long unique) {
        InFlightRequest request = active.get(unique);
        if (request != null) {
            request.interrupt();
            return InterruptOutcome.INTERRUPTED;
        }
        return recentSet.containsKey(unique) ? InterruptOutcome.ALREADY_ANSWERED : InterruptOutcome.UNKNOWN;
    }

    /** Interrupts every running request, when the connection is gone and nobody waits for them. */
    void interruptAll() {
        active.values().forEach(InFlightRequest::interrupt);
    }

    int size() {
        return active.size();
    }

    /** Waits until no request is in flight; returns false on timeout. */
    synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private synchronized void rememberAnswered(long unique) {
        long evicted = recent[recentNext];
        if (evicted != 0) {
            recentSet.remove(evicted);
        }
        recent[recentNext] = unique;
        recentSet.put(unique, Boolean.TRUE);
        recentNext = (recentNext + 1) % RECENT_CAPACITY;
    }
}
