package org.scoutfs.locking.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * Several locks taken one after another in range order, as one future. Each lock is asked for only
 * once the previous one is held, so this acquisition never waits for a range while holding a later
 * one; that is the whole deadlock argument of {@link LockClient#lockAll}. If a step fails, or the
 * future is cancelled, whatever was already held is released.
 */
final class OrderedAcquisition extends CompletableFuture<HeldLocks> {
    private final LockClient client;
    private final List<Map.Entry<LockRange, LockMode>> order;
    /** Touched only by one step at a time: each step starts from the completion of the one before. */
    private final List<LockHandle> held = new ArrayList<>();
    private volatile CompletableFuture<LockHandle> current;

    private OrderedAcquisition(LockClient client, Map<LockRange, LockMode> wants) {
        this.client = client;
        this.order = new ArrayList<>(new TreeMap<>(wants).entrySet());
    }

    static OrderedAcquisition start(LockClient client, Map<LockRange, LockMode> wants) {
        OrderedAcquisition a = new OrderedAcquisition(client, wants);
        a.next();
        return a;
    }

    private void next() {
        if (isDone()) {
            HeldLocks.closeAll(held);
            return;
        }
        if (held.size() == order.size()) {
            HeldLocks all = new HeldLocks(held);
            if (!complete(all)) {
                all.close();
            }
            return;
        }
        Map.Entry<LockRange, LockMode> want = order.get(held.size());
        CompletableFuture<LockHandle> step = client.lockAsync(want.getKey(), want.getValue());
        current = step;
        step.whenComplete((handle, failed) -> {
            if (failed != null) {
                HeldLocks.closeAll(held);
                completeExceptionally(failed instanceof CompletionException ce ? ce.getCause() : failed);
            } else {
                held.add(handle);
                next();
            }
        });
    }

    /** Also withdraws the step waiting now, so an abandoned acquisition does not linger. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        CompletableFuture<LockHandle> step = current;
        if (step != null) {
            step.cancel(mayInterruptIfRunning);
        }
        return cancelled;
    }
}
