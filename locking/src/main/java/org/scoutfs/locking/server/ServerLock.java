package org.scoutfs.locking.server;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * The server's view of one lock: who holds it in which mode, who asked for it in which order, and
 * which holders were told to give it up and have not answered yet.
 *
 * <p>Maps are sorted by client id so that the order of invalidations sent for one request is the
 * same in every run; the deterministic simulation depends on that to replay a seed.
 */
final class ServerLock {
    /** One client's wish for a mode, in the order the server heard it. */
    record Request(long client, LockMode mode) {
    }

    final LockRange range;

    /** Client → the mode the server last granted it or it acknowledged; never NULL. */
    final Map<Long, LockMode> granted = new TreeMap<>();

    /** Requests in arrival order; at most one per client. The head is being served. */
    final ArrayDeque<Request> queue = new ArrayDeque<>();

    /**
     * Client → the mode it was told to fall to, for the head request. While this is
     * non-empty nothing is granted, so each client has at most one invalidation in flight per lock.
     */
    final Map<Long, LockMode> invalidating = new TreeMap<>();

    ServerLock(LockRange range) {
        this.range = range;
    }

    /** Changes the mode of {@code client}'s queued request, keeping its place. */
    void replaceRequest(long client, LockMode mode) {
        int n = queue.size();
        for (int i = 0; i < n; i++) {
            Request r = queue.pollFirst();
            queue.addLast(r.client() == client ? new Request(client, mode) : r);
        }
    }

    /** The mode {@code client}'s queued request asks for, or null if it has none queued. */
    LockMode requestedBy(long client) {
        for (Request r : queue) {
            if (r.client() == client) {
                return r.mode();
            }
        }
        return null;
    }

    /** True when nobody holds, wants or is giving up this lock, so the server can forget it. */
    boolean unused() {
        return granted.isEmpty() && queue.isEmpty() && invalidating.isEmpty();
    }

    /** Records that {@code client} now holds {@code mode}; NULL means it holds nothing. */
    void setGranted(long client, LockMode mode) {
        if (mode == LockMode.NULL) {
            granted.remove(client);
        } else {
            granted.put(client, mode);
        }
    }

    /**
     * The mode a holder of {@code held} must fall to so that a request for {@code wanted} can be
     * granted. A writer facing a reader only needs to stop writing: once its changes are committed
     * its cached items are still correct, so it keeps them at READ. Every other conflict leaves
     * nothing the holder could keep.
     */
    static LockMode invalidationTarget(LockMode held, LockMode wanted) {
        return held == LockMode.WRITE && wanted == LockMode.READ ? LockMode.READ : LockMode.NULL;
    }
}
