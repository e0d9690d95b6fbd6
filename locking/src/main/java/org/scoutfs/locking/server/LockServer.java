package org.scoutfs.locking.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * The cluster's lock server: grants lock ranges to clients in modes that never conflict, and
 * takes locks back from holders when another client needs an incompatible mode.
 *
 * <p>Each lock is served strictly in the order requests arrived. The oldest request is granted as
 * soon as it is compatible with every other holder; otherwise each incompatible holder is sent one
 * invalidation and nothing on that lock moves until all of them have acknowledged. See the package
 * essay for the protocol and its invariants.
 *
 * <p><b>Threading.</b> Not thread-safe and deliberately not synchronized: every method must be
 * called from one context at a time (the lock-server verticle's single thread, or the simulation's
 * scheduler), and the {@link Outbox} must not call back into the server. Concurrent or re-entrant
 * entry is detected and refused with {@link IllegalStateException}, because it would mean messages
 * are being processed out of order.
 */
public final class LockServer {
    private static final System.Logger LOG = System.getLogger(LockServer.class.getName());

    /**
     * Where the server's messages go. Implementations only queue or send; they must not block and
     * must not call the server back. Messages to one client must arrive in the order they were
     * handed to the outbox.
     */
    public interface Outbox {
        /** Tells {@code client} it now holds {@code range} in {@code mode}. */
        void grant(long client, LockRange range, LockMode mode, long writeSeq);

        /**
         * Asks {@code client} to fall from {@code fromMode} to {@code toMode}; the client answers
         * with {@link LockServer#acknowledge} once it has.
         */
        void invalidate(long client, LockRange range, LockMode fromMode, LockMode toMode);
    }

    private final Outbox outbox;
    private final LongSupplier writeSeqs;
    private final NavigableMap<LockRange, ServerLock> locks = new TreeMap<>();
    private final AtomicBoolean entered = new AtomicBoolean();
    private boolean recovering;

    /**
     * @param writeSeqs hands out a fresh, globally increasing sequence for each WRITE or WRITE_ONLY
     *                  grant (the volume server's {@code newWriteSeq}); called on the server's
     *                  context, so it must be quick
     */
    public LockServer(Outbox outbox, LongSupplier writeSeqs) {
        this(outbox, writeSeqs, false);
    }

    /**
     * @param recovering true for a server that takes over from another: it learns what clients
     *                   hold from their {@linkplain #recover reports} and grants nothing until
     *                   {@link #finishRecovery()}
     */
    public LockServer(Outbox outbox, LongSupplier writeSeqs, boolean recovering) {
        this.outbox = outbox;
        this.writeSeqs = writeSeqs;
        this.recovering = recovering;
    }

    /**
     * During recovery: {@code client} reports that it holds {@code range} in {@code mode}, as the
     * last lock server granted it. Reports may come in any order and may repeat.
     *
     * @throws IllegalStateException if recovery is over
     */
    public void recover(long client, LockRange range, LockMode mode) {
        enter();
        try {
            if (!recovering) {
                throw new IllegalStateException("lock report from client " + Long.toHexString(client)
                        + " after recovery ended");
            }
            if (mode != LockMode.NULL) {
                locks.computeIfAbsent(range, ServerLock::new).setGranted(client, mode);
            }
        } finally {
            leave();
        }
    }

    /**
     * Every client of the last server has reported, or been declared gone: grant what was asked
     * meanwhile, invalidating holders as needed.
     */
    public void finishRecovery() {
        enter();
        try {
            recovering = false;
            for (ServerLock lock : new ArrayList<>(locks.values())) {
                serve(lock);
            }
        } finally {
            leave();
        }
    }

    public boolean recovering() {
        return recovering;
    }

    /**
     * {@code client} wants {@code range} in {@code mode}; NULL is how a client gives a lock up.
     * The answer is a later {@link Outbox#grant}. A client sends one request per lock at a time; the
     * same request sent again (after a lost answer) is taken once. A request for another mode while
     * an earlier one still waits replaces it in its place in the queue: the client only asks again
     * once it stopped waiting for the earlier answer, so the earlier one is a duplicate (sent to a
     * new server both before and after the client's report) that the client took an answer to
     * already, and granting it too would hand the client a mode it no longer expects.
     */
    public void request(long client, LockRange range, LockMode mode) {
        enter();
        try {
            ServerLock lock = locks.computeIfAbsent(range, ServerLock::new);
            LockMode waiting = lock.requestedBy(client);
            if (waiting == mode) {
                return;
            }
            if (waiting != null) {
                lock.replaceRequest(client, mode);
            } else {
                lock.queue.addLast(new ServerLock.Request(client, mode));
            }
            serve(lock);
        } finally {
            leave();
        }
    }

    /**
     * {@code client} answers an invalidation: it now holds {@code mode}. Answers to invalidations
     * the server no longer waits for (duplicates, or ones sent before the client was declared gone)
     * are ignored.
     *
     * @return true if the answer was expected
     * @throws IllegalStateException if the client says it kept more than it was asked to keep
     */
    public boolean acknowledge(long client, LockRange range, LockMode mode) {
        enter();
        try {
            ServerLock lock = locks.get(range);
            LockMode target = lock == null ? null : lock.invalidating.get(client);
            if (target == null) {
                LOG.log(System.Logger.Level.DEBUG, "ignoring unexpected acknowledgement of {0} {1} from {2}",
                        range, mode, Long.toHexString(client));
                return false;
            }
            if (!target.satisfies(mode)) {
                throw new IllegalStateException("client " + Long.toHexString(client) + " acknowledged lock "
                        + range + " at " + mode + " but was asked to fall to " + target);
            }
            lock.invalidating.remove(client);
            lock.setGranted(client, mode);
            serve(lock);
            return true;
        } finally {
            leave();
        }
    }

    /**
     * Forgets everything of a client that left the cluster: its grants, its requests and the
     * invalidations it will never answer. Requests that waited for it are served.
     *
     * <p>Requires: the client can no longer write under the locks it held (it said farewell or
     * was fenced). The server cannot check that; granting its locks to others is only safe then.
     */
    public void clientGone(long client) {
        enter();
        try {
            for (ServerLock lock : new ArrayList<>(locks.values())) {
                boolean involved = lock.granted.remove(client) != null;
                involved |= lock.invalidating.remove(client) != null;
                involved |= lock.queue.removeIf(r -> r.client() == client);
                if (involved) {
                    serve(lock);
                }
            }
        } finally {
            leave();
        }
    }

    /**
     * Grants queued requests in order until the oldest one conflicts. A conflicting head request
     * sends invalidations and stops: later requests wait even if they could be granted now, which
     * is what keeps a stream of readers from starving a writer.
     */
    private void serve(ServerLock lock) {
        if (recovering) {
            return; // what clients hold is not known yet
        }
        while (lock.invalidating.isEmpty() && !lock.queue.isEmpty()) {
            ServerLock.Request head = lock.queue.peekFirst();
            for (Map.Entry<Long, LockMode> holder : lock.granted.entrySet()) {
                long other = holder.getKey();
                LockMode held = holder.getValue();
                if (other != head.client() && !held.compatibleWith(head.mode())) {
                    LockMode target = ServerLock.invalidationTarget(held, head.mode());
                    lock.invalidating.put(other, target);
                    LOG.log(System.Logger.Level.TRACE, "invalidate {0} at {1}: {2} -> {3} for {4}", lock.range,
                            Long.toHexString(other), held, target, head);
                    outbox.invalidate(other, lock.range, held, target);
                }
            }
            if (!lock.invalidating.isEmpty()) {
                return;
            }
            lock.queue.pollFirst();
            lock.setGranted(head.client(), head.mode());
            long writeSeq = writable(head.mode()) ? writeSeqs.getAsLong() : 0;
            LOG.log(System.Logger.Level.TRACE, "grant {0} to {1} in {2} seq {3}", lock.range,
                    Long.toHexString(head.client()), head.mode(), writeSeq);
            outbox.grant(head.client(), lock.range, head.mode(), writeSeq);
        }
        if (lock.unused()) {
            locks.remove(lock.range);
        }
    }

    private static boolean writable(LockMode mode) {
        return mode == LockMode.WRITE || mode == LockMode.WRITE_ONLY;
    }

    private void enter() {
        if (!entered.compareAndSet(false, true)) {
            throw new IllegalStateException("lock server entered concurrently or from its own outbox");
        }
    }

    private void leave() {
        entered.set(false);
    }

    // Observation, for tests, the simulation and status reports. Same threading rule as above.

    /** Client → mode for every holder of {@code range}. */
    public Map<Long, LockMode> holders(LockRange range) {
        ServerLock lock = locks.get(range);
        return lock == null ? Map.of() : Map.copyOf(lock.granted);
    }

    /** Clients waiting for {@code range}, oldest first. */
    public List<Long> waiting(LockRange range) {
        ServerLock lock = locks.get(range);
        return lock == null ? List.of() : lock.queue.stream().map(ServerLock.Request::client).toList();
    }

    /** Client → target mode of every invalidation of {@code range} not yet acknowledged. */
    public Map<Long, LockMode> invalidating(LockRange range) {
        ServerLock lock = locks.get(range);
        return lock == null ? Map.of() : Map.copyOf(lock.invalidating);
    }

    /** True if the server waits for {@code client} to acknowledge an invalidation of {@code range}. */
    public boolean awaitsAcknowledgement(long client, LockRange range) {
        ServerLock lock = locks.get(range);
        return lock != null && lock.invalidating.containsKey(client);
    }

    /** How many locks the server keeps state for: those someone holds, wants or is giving up. */
    public int lockCount() {
        return locks.size();
    }
}
