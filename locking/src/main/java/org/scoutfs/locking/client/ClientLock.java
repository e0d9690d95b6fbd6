package org.scoutfs.locking.client;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * One lock as a node caches it. Guarded by the owning {@link LockClient}'s mutex; it is only data
 * plus the rules that read it, the transitions live in the client.
 */
final class ClientLock {
    /** What the lock is waiting for from the server. */
    enum Exchange {
        /** Nothing asked. */
        NONE,
        /** A request for {@link #requested} is out; a grant will answer it. */
        REQUESTING,
        /** Dropping an idle lock: the invalidator runs before the server is told. */
        DROP_FLUSHING,
        /** Dropped locally (granted is NULL); the NULL request is out. */
        DROP_REQUESTED
    }

    /** How far an invalidation from the server has got. */
    enum InvalidationPhase {
        /** Waiting for users of modes the target does not satisfy to close their handles. */
        DRAINING,
        /** The invalidator runs; the acknowledgement follows it. */
        CALLING_BACK
    }

    /** An invalidation being worked on: fall to {@code target}, then complete {@code acknowledged}. */
    static final class Invalidation {
        final LockMode target;
        final CompletableFuture<LockMode> acknowledged = new CompletableFuture<>();
        InvalidationPhase phase = InvalidationPhase.DRAINING;

        Invalidation(LockMode target) {
            this.target = target;
        }
    }

    /** A grant as the server sent it. */
    record Grant(LockMode mode, long writeSeq, long commitSeq) {
    }

    /** A thread waiting in {@link LockClient#lockAsync} for a mode the lock cannot give it yet. */
    record Waiter(LockMode mode, CompletableFuture<LockHandle> future) {
    }

    final LockRange range;
    /** The mode the server granted and the node has not given up; users never exceed it. */
    LockMode granted = LockMode.NULL;
    /** The sequence of the last WRITE or WRITE_ONLY grant while held writable, else 0. */
    long writeSeq;
    /** The server commit that the last grant said reads under this lock must see, at least. */
    long commitSeq;
    Exchange exchange = Exchange.NONE;
    LockMode requested;
    Invalidation invalidation;
    /**
     * A grant that arrived while {@link #invalidation} was being worked on, applied once it is
     * done. Only a new server after a failover does that: it knows nothing of its predecessor's
     * invalidation, and its grant is what it now believes this node holds.
     */
    Grant grantAfterInvalidation;
    /** Open handles per mode, indexed by mode code. */
    final int[] users = new int[LockMode.values().length];
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    ClientLock(LockRange range) {
        this.range = range;
    }

    /**
     * True if a new user may use the lock as {@code mode} now: the grant covers it, no pending
     * invalidation is about to take it away, and the lock is not being dropped.
     */
    boolean admits(LockMode mode) {
        if (exchange == Exchange.DROP_FLUSHING || exchange == Exchange.DROP_REQUESTED) {
            return false;
        }
        return granted.satisfies(mode) && (invalidation == null || invalidation.target.satisfies(mode));
    }

    /** True if a request may be sent: nothing else is out and no invalidation is being worked on. */
    boolean mayRequest() {
        return exchange == Exchange.NONE && invalidation == null;
    }

    int usersNotSatisfiedBy(LockMode target) {
        int n = 0;
        for (LockMode m : LockMode.values()) {
            if (!target.satisfies(m)) {
                n += users[m.code()];
            }
        }
        return n;
    }

    int userCount() {
        int n = 0;
        for (int u : users) {
            n += u;
        }
        return n;
    }

    /** Held but unused and not in any exchange: a candidate for dropping. */
    boolean idle() {
        return granted != LockMode.NULL && userCount() == 0 && waiters.isEmpty() && exchange == Exchange.NONE
                && invalidation == null;
    }

    /** Holds nothing and nobody wants it: the client can forget it. */
    boolean unused() {
        return granted == LockMode.NULL && userCount() == 0 && waiters.isEmpty() && exchange == Exchange.NONE
                && invalidation == null;
    }

    /**
     * The weakest mode that lets both {@code a} and {@code b} be used. Requests always ask for this
     * combination of what is held and what is wanted, so a grant never takes a mode away from users
     * already admitted: the only way modes shrink is an invalidation, which waits for them.
     */
    static LockMode combine(LockMode a, LockMode b) {
        if (a.satisfies(b)) {
            return a;
        }
        if (b.satisfies(a)) {
            return b;
        }
        return LockMode.WRITE;
    }

    @Override
    public String toString() {
        return range + "[" + granted + " " + exchange + (requested == null ? "" : "(" + requested + ")")
                + (invalidation == null ? "" : " inv->" + invalidation.target + " " + invalidation.phase)
                + " users=" + userCount() + " waiters=" + waiters.size() + "]";
    }
}
