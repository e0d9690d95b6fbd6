package org.scoutfs.locking.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * A node's cache of cluster locks: hands locks to the node's threads, asks the server for modes it
 * does not hold, and gives modes back when the server invalidates them.
 *
 * <p>How the filesystem uses it: take every lock an operation needs in one call, in range order
 * ({@link #lockAll}), or one lock with {@link #lock}; do the operation; close the handles. A thread
 * must not ask for a lock, or a stronger mode of a lock, while it holds a lock of the same or a
 * later range: an invalidation of what it holds would wait for it while it waits for the server.
 *
 * <p><b>Threading.</b> Thread-safe. One mutex guards all lock state and is never held while
 * calling out: completing waiters, sending requests, acknowledging and running the
 * {@link Invalidator} all happen after it is released. The inbound methods ({@link #granted},
 * {@link #invalidate}, {@link #requestFailed}) never block, so a transport may call them from an
 * event loop; the invalidator runs on the {@code executor} given to the constructor.
 */
public final class LockClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LockClient.class.getName());

    /** The way to the lock server. Must not block and must not call the client back. */
    public interface Transport {
        /**
         * Sends a request for {@code range} in {@code mode} (NULL gives the lock up). Requests that
         * cannot be delivered are reported back through {@link LockClient#requestFailed}.
         */
        void request(LockRange range, LockMode mode);
    }

    /** @param maxIdleLocks locks kept cached without users before the oldest is given back */
    public record Options(int maxIdleLocks) {
        public Options {
            if (maxIdleLocks < 0) {
                throw new IllegalArgumentException("idle lock count " + maxIdleLocks);
            }
        }

        public static Options defaults() {
            return new Options(10_000);
        }
    }

    private final Transport transport;
    private final Invalidator invalidator;
    private final Executor executor;
    private final Options options;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Map<LockRange, ClientLock> locks = new TreeMap<>();
    /** Idle locks in the order they became idle; the first is dropped first. */
    private final LinkedHashSet<ClientLock> idle = new LinkedHashSet<>();
    private RuntimeException failure;
    private boolean closed;

    /**
     * @param executor runs the {@link Invalidator}; it may block there, so in a node this is a
     *                 virtual-thread-per-task executor
     */
    public LockClient(Transport transport, Invalidator invalidator, Executor executor, Options options) {
        this.transport = transport;
        this.invalidator = invalidator;
        this.executor = executor;
        this.options = options;
    }

    /**
     * Waits until the node holds {@code range} in a mode that satisfies {@code mode} and returns a
     * handle that keeps it so until closed.
     *
     * @throws InterruptedException if interrupted while waiting; nothing is held then
     * @throws IllegalStateException if the client failed or was closed; other runtime exceptions
     *                               are the transport's, such as an unreachable server
     */
    public LockHandle lock(LockRange range, LockMode mode) throws InterruptedException {
        return await(lockAsync(range, mode), LockHandle::close);
    }

    /** Takes the locks of {@code ranges}, all in {@code mode}, in range order. */
    public HeldLocks lockAll(Collection<LockRange> ranges, LockMode mode) throws InterruptedException {
        Map<LockRange, LockMode> wants = new TreeMap<>();
        for (LockRange r : ranges) {
            wants.put(r, mode);
        }
        return lockAll(wants);
    }

    /**
     * Takes several locks in range order, each in its own mode. Every node taking locks in the
     * same order is what keeps two multi-lock operations from waiting for each other.
     */
    public HeldLocks lockAll(Map<LockRange, LockMode> wants) throws InterruptedException {
        return await(lockAllAsync(wants), HeldLocks::close);
    }

    /**
     * {@link #lock} without blocking: the future completes with the handle. Cancelling the future
     * withdraws the wish; a handle that was granted anyway is closed.
     */
    public CompletableFuture<LockHandle> lockAsync(LockRange range, LockMode mode) {
        if (mode == LockMode.NULL) {
            throw new IllegalArgumentException("NULL is not a way to use a lock; close the handle instead");
        }
        CompletableFuture<LockHandle> handle = new CompletableFuture<>();
        locked(after -> {
            RuntimeException refusal = refusal();
            if (refusal != null) {
                after.add(() -> handle.completeExceptionally(refusal));
                return null;
            }
            ClientLock lock = locks.computeIfAbsent(range, ClientLock::new);
            lock.waiters.addLast(new ClientLock.Waiter(mode, handle));
            settle(lock, after);
            dropIdle(after);
            return null;
        });
        return handle;
    }

    /** {@link #lockAll(Map)} without blocking. */
    public CompletableFuture<HeldLocks> lockAllAsync(Map<LockRange, LockMode> wants) {
        return OrderedAcquisition.start(this, wants);
    }

    /** Called when a user closes its handle. */
    void release(LockHandle handle) {
        locked(after -> {
            ClientLock lock = locks.get(handle.range());
            lock.users[handle.mode().code()]--;
            settle(lock, after);
            dropIdle(after);
            return null;
        });
    }

    // Inbound from the server, through the transport.

    /**
     * The server granted {@code range} in {@code mode}, answering this node's request. Reads under
     * the lock must see at least server commit {@code commitSeq} (see {@link LockHandle#commitSeq()}).
     */
    public void granted(LockRange range, LockMode mode, long writeSeq, long commitSeq) {
        locked(after -> {
            ClientLock lock = locks.get(range);
            if (lock == null) {
                if (mode == LockMode.NULL) {
                    return null;
                }
                // Not asked for, yet the server counts this node as a holder: keep it so it can be
                // given back (idle eviction) or invalidated like any other.
                LOG.log(System.Logger.Level.WARNING, "unrequested grant of {0} in {1}", range, mode);
                lock = new ClientLock(range);
                locks.put(range, lock);
            } else if (lock.exchange == ClientLock.Exchange.DROP_REQUESTED && mode != LockMode.NULL) {
                // The answer to a request sent twice (a resend after a failover) that the server
                // took before this node's NULL: the NULL, still on its way, undoes it there.
                LOG.log(System.Logger.Level.DEBUG, "ignoring stale grant of {0} in {1} while dropping it", range, mode);
                return null;
            } else if (lock.invalidation != null) {
                LOG.log(System.Logger.Level.DEBUG, "grant of {0} in {1} waits for {2}", range, mode, lock);
                lock.grantAfterInvalidation = new ClientLock.Grant(mode, writeSeq, commitSeq);
                return null;
            } else if (lock.exchange == ClientLock.Exchange.DROP_FLUSHING) {
                // nothing was asked: a repeat of an earlier answer, and the NULL that follows the
                // flush puts the server right
                LOG.log(System.Logger.Level.WARNING, "ignoring grant of {0} in {1} while {2}", range, mode, lock);
                return null;
            } else if (lock.exchange == ClientLock.Exchange.NONE) {
                LOG.log(System.Logger.Level.WARNING, "unrequested grant of {0} in {1}", range, mode);
            }
            apply(lock, new ClientLock.Grant(mode, writeSeq, commitSeq));
            settle(lock, after);
            dropIdle(after);
            return null;
        });
    }

    /**
     * The server asks this node to fall from {@code from} to {@code to} (READ or NULL). The future
     * completes with the mode the node then holds, which the transport sends back as the
     * acknowledgement. Invalidations of locks not held, or already given up, complete at once.
     */
    public CompletableFuture<LockMode> invalidate(LockRange range, LockMode from, LockMode to) {
        if (to != LockMode.NULL && to != LockMode.READ) {
            throw new IllegalArgumentException("invalidation of " + range + " to " + to);
        }
        return locked(after -> {
            ClientLock lock = locks.get(range);
            if (lock == null) {
                return CompletableFuture.completedFuture(LockMode.NULL);
            }
            if (lock.invalidation != null) {
                // A duplicate: answer it once the one in progress is done, from the state it leaves.
                return lock.invalidation.acknowledged.thenCompose(now -> invalidate(range, from, to));
            }
            if (lock.granted == LockMode.NULL || lock.granted == to) {
                return CompletableFuture.completedFuture(lock.granted);
            }
            LockMode target = to == LockMode.READ && lock.granted == LockMode.WRITE ? LockMode.READ : LockMode.NULL;
            ClientLock.Invalidation invalidation = new ClientLock.Invalidation(target);
            lock.invalidation = invalidation;
            settle(lock, after);
            return invalidation.acknowledged;
        });
    }

    /**
     * The transport could not deliver this node's request for {@code range}. Its waiters fail with
     * {@code cause}; later lock calls ask again.
     */
    public void requestFailed(LockRange range, RuntimeException cause) {
        locked(after -> {
            ClientLock lock = locks.get(range);
            if (lock == null) {
                return null;
            }
            if (lock.exchange == ClientLock.Exchange.REQUESTING) {
                for (ClientLock.Waiter w : lock.waiters) {
                    after.add(() -> w.future().completeExceptionally(cause));
                }
                lock.waiters.clear();
            }
            if (lock.exchange == ClientLock.Exchange.REQUESTING || lock.exchange == ClientLock.Exchange.DROP_REQUESTED) {
                // A lost NULL request is harmless: the lock is already dropped here, and the server
                // will invalidate it some day, which this node acknowledges at once.
                lock.exchange = ClientLock.Exchange.NONE;
                lock.requested = null;
            }
            settle(lock, after);
            return null;
        });
    }

    /**
     * Fails every wait for a grant that has not come, as {@link #requestFailed} does for one
     * range: the node has lost its server and its operations stop waiting for one.
     */
    public void failRequests(RuntimeException cause) {
        List<LockRange> requesting = new ArrayList<>();
        locked(after -> {
            for (ClientLock lock : locks.values()) {
                if (lock.exchange == ClientLock.Exchange.REQUESTING) {
                    requesting.add(lock.range);
                }
            }
            return null;
        });
        for (LockRange r : requesting) {
            requestFailed(r, cause);
        }
    }

    // The transitions. All require the mutex held.

    /**
     * Brings one lock up to date after any change: moves its invalidation on, admits waiters the
     * grant now covers, asks for what the rest need, and files it as idle or forgets it.
     */
    private void settle(ClientLock lock, List<Runnable> after) {
        advanceInvalidation(lock, after);
        serveWaiters(lock, after);
        if (lock.unused()) {
            locks.remove(lock.range, lock);
            idle.remove(lock);
        } else if (lock.idle()) {
            idle.add(lock);
        } else {
            idle.remove(lock);
        }
    }

    private void advanceInvalidation(ClientLock lock, List<Runnable> after) {
        ClientLock.Invalidation inv = lock.invalidation;
        if (inv == null || inv.phase != ClientLock.InvalidationPhase.DRAINING) {
            return;
        }
        if (lock.granted == LockMode.NULL || lock.granted == inv.target) {
            finishInvalidation(lock, after); // a drop of the lock got there first
            return;
        }
        if (lock.exchange == ClientLock.Exchange.DROP_FLUSHING || lock.usersNotSatisfiedBy(inv.target) > 0) {
            return;
        }
        inv.phase = ClientLock.InvalidationPhase.CALLING_BACK;
        LockMode from = lock.granted;
        after.add(() -> executor.execute(() -> invalidateLocally(lock, inv, from)));
    }

    /** The node's side of an invalidation, on the executor: the filesystem's work, then the ack. */
    private void invalidateLocally(ClientLock lock, ClientLock.Invalidation inv, LockMode from) {
        if (!callInvalidator(lock.range, from, inv.target)) {
            return;
        }
        locked(after -> {
            lock.granted = inv.target;
            if (!writable(inv.target)) {
                lock.writeSeq = 0;
            }
            finishInvalidation(lock, after);
            settle(lock, after);
            dropIdle(after);
            return null;
        });
    }

    private void finishInvalidation(ClientLock lock, List<Runnable> after) {
        ClientLock.Invalidation inv = lock.invalidation;
        LockMode now = lock.granted;
        lock.invalidation = null;
        if (lock.grantAfterInvalidation != null) {
            apply(lock, lock.grantAfterInvalidation);
            lock.grantAfterInvalidation = null;
        }
        after.add(() -> inv.acknowledged.complete(now));
    }

    private static void apply(ClientLock lock, ClientLock.Grant grant) {
        lock.exchange = ClientLock.Exchange.NONE;
        lock.requested = null;
        lock.granted = grant.mode();
        lock.writeSeq = writable(grant.mode()) ? grant.writeSeq() : 0;
        lock.commitSeq = Math.max(lock.commitSeq, grant.commitSeq());
    }

    private void serveWaiters(ClientLock lock, List<Runnable> after) {
        for (Iterator<ClientLock.Waiter> it = lock.waiters.iterator(); it.hasNext(); ) {
            ClientLock.Waiter w = it.next();
            if (w.future().isDone()) {
                it.remove(); // cancelled by an interrupted or abandoned caller
            } else if (lock.admits(w.mode())) {
                it.remove();
                lock.users[w.mode().code()]++;
                LockHandle handle = new LockHandle(this, lock.range, w.mode(), lock.writeSeq, lock.commitSeq);
                after.add(() -> {
                    if (!w.future().complete(handle)) {
                        handle.close();
                    }
                });
            }
        }
        if (!lock.waiters.isEmpty() && lock.mayRequest()) {
            LockMode want = lock.granted;
            for (ClientLock.Waiter w : lock.waiters) {
                want = ClientLock.combine(want, w.mode());
            }
            lock.exchange = ClientLock.Exchange.REQUESTING;
            lock.requested = want;
            LockMode asked = want;
            after.add(() -> send(lock.range, asked));
        }
    }

    /**
     * Gives back the oldest idle locks beyond the configured count. The filesystem's invalidation
     * work runs first, exactly as if the server had asked, and only then does the NULL request go
     * out, so the server never hands the lock on while this node still has uncommitted writes.
     */
    private void dropIdle(List<Runnable> after) {
        while (idle.size() > options.maxIdleLocks()) {
            ClientLock victim = idle.removeFirst();
            victim.exchange = ClientLock.Exchange.DROP_FLUSHING;
            LockMode from = victim.granted;
            after.add(() -> executor.execute(() -> flushDropped(victim, from)));
        }
    }

    private void flushDropped(ClientLock lock, LockMode from) {
        if (!callInvalidator(lock.range, from, LockMode.NULL)) {
            return;
        }
        locked(after -> {
            lock.granted = LockMode.NULL;
            lock.writeSeq = 0;
            lock.exchange = ClientLock.Exchange.DROP_REQUESTED;
            lock.requested = LockMode.NULL;
            after.add(() -> send(lock.range, LockMode.NULL));
            settle(lock, after);
            return null;
        });
    }

    private boolean callInvalidator(LockRange range, LockMode from, LockMode to) {
        try {
            invalidator.invalidate(range, from, to);
            return true;
        } catch (RuntimeException | Error e) {
            fail(new IllegalStateException("invalidating lock " + range + " from " + from + " to " + to
                    + " failed; the node can no longer hand its writes over", e));
            return false;
        }
    }

    private void send(LockRange range, LockMode mode) {
        try {
            transport.request(range, mode);
        } catch (RuntimeException e) {
            requestFailed(range, e);
        }
    }

    private void fail(IllegalStateException cause) {
        LOG.log(System.Logger.Level.ERROR, cause.getMessage(), cause.getCause());
        locked(after -> {
            if (failure == null) {
                failure = cause;
            }
            failWaiters(cause, after);
            return null;
        });
    }

    private void failWaiters(RuntimeException cause, List<Runnable> after) {
        for (ClientLock lock : new ArrayList<>(locks.values())) {
            for (ClientLock.Waiter w : lock.waiters) {
                after.add(() -> w.future().completeExceptionally(cause));
            }
            lock.waiters.clear();
            settle(lock, after);
        }
    }

    private RuntimeException refusal() {
        if (failure != null) {
            return failure;
        }
        return closed ? new IllegalStateException("lock client closed") : null;
    }

    /**
     * Refuses new users and fails waiting ones. Locks still held stay held and invalidations are
     * still answered until the server forgets this node (its farewell).
     */
    @Override
    public void close() {
        locked(after -> {
            closed = true;
            failWaiters(new IllegalStateException("lock client closed"), after);
            return null;
        });
    }

    // Recovery, when the lock server changed (a failover).

    /** A lock this node holds, as it reports it to a new lock server. */
    public record Held(LockRange range, LockMode mode, long writeSeq) {
    }

    /**
     * Every lock this node holds, for a new lock server to start from. A lock being invalidated is
     * reported in the mode it still has: the new server may ask again, and a repeated
     * invalidation waits for the one in progress. Locks being dropped are not reported; their
     * NULL request is not sent again, since the new server does not know them anyway.
     */
    public List<Held> recoveryReport() {
        return locked(after -> {
            List<Held> out = new ArrayList<>();
            // settle() may forget a dropped lock, so walk a copy
            for (ClientLock lock : List.copyOf(locks.values())) {
                // a grant held back for an invalidation came from the server now replaced; the
                // request it answered is still open and goes to the new server again
                lock.grantAfterInvalidation = null;
                if (lock.exchange == ClientLock.Exchange.DROP_REQUESTED) {
                    lock.exchange = ClientLock.Exchange.NONE;
                    lock.requested = null;
                    settle(lock, after);
                }
                if (lock.granted != LockMode.NULL) {
                    out.add(new Held(lock.range, lock.granted, lock.writeSeq));
                }
            }
            return out;
        });
    }

    /**
     * Sends again every request the old lock server may not have answered, to the new one. Call
     * after the new server took this node's {@linkplain #recoveryReport report}.
     */
    public void resendRequests() {
        locked(after -> {
            for (ClientLock lock : locks.values()) {
                if (lock.exchange == ClientLock.Exchange.REQUESTING) {
                    LockRange range = lock.range;
                    LockMode mode = lock.requested;
                    after.add(() -> send(range, mode));
                }
            }
            return null;
        });
    }

    /** The highest write sequence of the locks this node holds. */
    public long highestWriteSeq() {
        return locked(after -> locks.values().stream().mapToLong(l -> l.writeSeq).max().orElse(0));
    }

    // Observation, for tests, the simulation and status reports.

    /** The mode the node holds {@code range} in, NULL if none. */
    public LockMode grantedMode(LockRange range) {
        return locked(after -> {
            ClientLock lock = locks.get(range);
            return lock == null ? LockMode.NULL : lock.granted;
        });
    }

    /** Locks the client keeps state for: held, wanted or being given up. */
    public int cachedLocks() {
        return locked(after -> locks.size());
    }

    /** Locks held without users, waiting to be invalidated or dropped. */
    public int idleLocks() {
        return locked(after -> idle.size());
    }

    /** Why the client stopped serving users, or null. */
    public RuntimeException failure() {
        return locked(after -> failure);
    }

    /** A one-line description of the client's state of {@code range}, for failure messages. */
    public String describe(LockRange range) {
        return locked(after -> String.valueOf(locks.get(range)));
    }

    // Plumbing.

    /**
     * Runs {@code body} under the mutex, then the calls it deferred. Deferring every call out of
     * the client keeps foreign code (waiters' continuations, the transport, acknowledgements) from
     * running under the mutex, where it could re-enter the client or block it.
     */
    private <T> T locked(Function<List<Runnable>, T> body) {
        List<Runnable> after = new ArrayList<>();
        try {
            mutex.lock();
            try {
                return body.apply(after);
            } finally {
                mutex.unlock();
            }
        } finally {
            for (Runnable r : after) {
                r.run();
            }
        }
    }

    private static boolean writable(LockMode mode) {
        return mode == LockMode.WRITE || mode == LockMode.WRITE_ONLY;
    }

    private static <T> T await(CompletableFuture<T> future, Consumer<T> discard) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            if (!future.cancel(false)) {
                try {
                    discard.accept(future.join());
                } catch (CompletionException | CancellationException ignored) {
                    // it failed anyway: nothing is held
                }
            }
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("lock wait failed", cause);
        }
    }
}
