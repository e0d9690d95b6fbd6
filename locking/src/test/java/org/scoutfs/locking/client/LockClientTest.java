package org.scoutfs.locking.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.LockRanges;
import org.scoutfs.locking.transport.InMemoryLockNetwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scoutfs.locking.LockMode.NULL;
import static org.scoutfs.locking.LockMode.READ;
import static org.scoutfs.locking.LockMode.WRITE;
import static org.scoutfs.locking.LockMode.WRITE_ONLY;

/**
 * Clients and the server over the in-memory network. Invalidators run at once on the delivering
 * thread and messages move only in {@link InMemoryLockNetwork#deliverAll()}, so every test states
 * exactly what has happened between two deliveries.
 */
class LockClientTest {
    static final LockRange R = LockRanges.inodeGroup(0);
    static final LockRange S = LockRanges.inodeGroup(1024);
    static final Executor AT_ONCE = Runnable::run;

    final AtomicLong seq = new AtomicLong();
    final InMemoryLockNetwork net = new InMemoryLockNetwork(seq::incrementAndGet);
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    LockClient client(long id) {
        return client(id, LockClient.Options.defaults());
    }

    LockClient client(long id, LockClient.Options options) {
        return net.connect(id, (range, from, to) -> calls.add(id + ":" + name(range) + ":" + from + "->" + to),
                AT_ONCE, options);
    }

    static String name(LockRange r) {
        return r.equals(R) ? "R" : "S";
    }

    static LockHandle now(CompletableFuture<LockHandle> f) {
        assertThat(f).as("granted").isDone();
        return f.join();
    }

    @Test
    void readersShareTheLock() {
        LockClient a = client(1), b = client(2);
        var ha = a.lockAsync(R, READ);
        var hb = b.lockAsync(R, READ);
        net.deliverAll();
        assertThat(now(ha).mode()).isEqualTo(READ);
        assertThat(now(hb).mode()).isEqualTo(READ);
        assertThat(calls).isEmpty();
    }

    @Test
    void aWriterExcludesEveryoneAndHandsItsWritesOver() {
        LockClient a = client(1), b = client(2);
        var ha = a.lockAsync(R, WRITE);
        net.deliverAll();
        long firstSeq = now(ha).writeSeq();
        now(ha).close();
        var hb = b.lockAsync(R, WRITE);
        net.deliverAll();
        assertThat(calls).containsExactly("1:R:WRITE->NULL");
        assertThat(a.grantedMode(R)).isEqualTo(NULL);
        assertThat(now(hb).writeSeq()).isGreaterThan(firstSeq);
        assertThat(a.cachedLocks()).as("a forgot the lock").isZero();
    }

    @Test
    void aDowngradeToReadKeepsTheHoldersLock() {
        LockClient a = client(1), b = client(2);
        var ha = a.lockAsync(R, WRITE);
        net.deliverAll();
        now(ha).close();
        var hb = b.lockAsync(R, READ);
        net.deliverAll();
        assertThat(now(hb).mode()).isEqualTo(READ);
        assertThat(calls).containsExactly("1:R:WRITE->READ");
        assertThat(a.grantedMode(R)).isEqualTo(READ);
        var again = a.lockAsync(R, READ);
        assertThat(net.inFlight()).as("a reads from its cached lock without asking").isZero();
        assertThat(now(again).writeSeq()).isZero();
    }

    @Test
    void writeOnlyHoldersShare() {
        LockClient a = client(1), b = client(2);
        var ha = a.lockAsync(R, WRITE_ONLY);
        var hb = b.lockAsync(R, WRITE_ONLY);
        net.deliverAll();
        assertThat(now(ha).mode()).isEqualTo(WRITE_ONLY);
        assertThat(now(hb).writeSeq()).isNotEqualTo(now(ha).writeSeq());
        assertThat(calls).isEmpty();
    }

    @Test
    void anInvalidationWaitsForActiveUsersAndBlocksNewOnes() {
        LockClient a = client(1), b = client(2);
        var first = a.lockAsync(R, WRITE);
        net.deliverAll();
        var wanted = b.lockAsync(R, WRITE);
        net.deliverAll();
        assertThat(wanted).isNotDone();
        assertThat(calls).as("the invalidator waits for the user").isEmpty();
        var blocked = a.lockAsync(R, READ);
        assertThat(blocked).as("new users wait while the lock is being taken away").isNotDone();
        now(first).close();
        assertThat(calls).containsExactly("1:R:WRITE->NULL");
        net.deliverAll();
        assertThat(now(wanted).mode()).isEqualTo(WRITE);
        assertThat(blocked).as("a asked again and waits for b").isNotDone();
        now(wanted).close();
        net.deliverAll();
        assertThat(now(blocked).mode()).isEqualTo(READ);
        assertThat(calls).containsExactly("1:R:WRITE->NULL", "2:R:WRITE->READ");
    }

    @Test
    void aDowngradeToReadLetsReadersOnDuringItsWork() {
        LockClient a = client(1), b = client(2);
        var write = a.lockAsync(R, WRITE);
        var read = a.lockAsync(R, READ);
        net.deliverAll();
        var wanted = b.lockAsync(R, READ);
        net.deliverAll();
        var moreReading = a.lockAsync(R, READ);
        assertThat(now(moreReading).mode()).isEqualTo(READ);
        now(write).close();
        assertThat(calls).as("only the writer had to finish").containsExactly("1:R:WRITE->READ");
        net.deliverAll();
        assertThat(wanted).isDone();
        assertThat(now(read).isOpen()).isTrue();
    }

    @Test
    void aReaderWantingToWriteAsksForAnUpgrade() {
        LockClient a = client(1), b = client(2);
        var ra = a.lockAsync(R, READ);
        var rb = b.lockAsync(R, READ);
        net.deliverAll();
        now(ra).close();
        now(rb).close();
        var wa = a.lockAsync(R, WRITE);
        net.deliverAll();
        assertThat(now(wa).mode()).isEqualTo(WRITE);
        assertThat(calls).containsExactly("2:R:READ->NULL");
        assertThat(net.server().holders(R)).containsOnlyKeys(1L);
    }

    @Test
    void readingAWriteOnlyLockAsksForWrite() {
        LockClient a = client(1);
        var wo = a.lockAsync(R, WRITE_ONLY);
        net.deliverAll();
        var read = a.lockAsync(R, READ);
        net.deliverAll();
        assertThat(now(read).mode()).isEqualTo(READ);
        assertThat(a.grantedMode(R)).as("WRITE satisfies both users").isEqualTo(WRITE);
        assertThat(now(wo).isOpen()).isTrue();
    }

    @Test
    void aDepartedClientDoesNotBlockOthers() {
        LockClient a = client(1), b = client(2), c = client(3);
        var held = a.lockAsync(R, WRITE);
        net.deliverAll();
        var wb = b.lockAsync(R, WRITE);
        var rc = c.lockAsync(R, READ);
        net.deliverAll();
        assertThat(held).isDone();
        assertThat(wb).isNotDone();
        net.disconnect(1);
        net.deliverAll();
        assertThat(now(wb).mode()).isEqualTo(WRITE);
        now(wb).close();
        net.deliverAll();
        assertThat(now(rc).mode()).isEqualTo(READ);
    }

    @Test
    void idleLocksBeyondTheLimitAreGivenBackOldestFirst() {
        LockClient a = client(1, new LockClient.Options(1));
        var r = a.lockAsync(R, WRITE);
        var s = a.lockAsync(S, READ);
        net.deliverAll();
        now(r).close();
        now(s).close();
        assertThat(calls).containsExactly("1:R:WRITE->NULL");
        net.deliverAll();
        assertThat(a.cachedLocks()).isEqualTo(1);
        assertThat(a.grantedMode(S)).isEqualTo(READ);
        assertThat(net.server().holders(R)).isEmpty();
        assertThat(net.server().lockCount()).isEqualTo(1);
    }

    @Test
    void lockAllTakesRangesInOrderAndReleasesThemTogether() throws Exception {
        LockClient a = client(1);
        List<LockRange> asked = new ArrayList<>();
        net.onDelivery(m -> {
            if (m instanceof InMemoryLockNetwork.Request req) {
                asked.add(req.range());
            }
        });
        var all = a.lockAllAsync(java.util.Map.of(S, WRITE, R, READ));
        while (!all.isDone()) {
            assertThat(net.deliverOldest()).isTrue();
        }
        HeldLocks held = all.join();
        assertThat(asked).containsExactly(R, S);
        assertThat(held.handles()).extracting(LockHandle::range).containsExactly(R, S);
        assertThat(held.get(S).mode()).isEqualTo(WRITE);
        held.close();
        assertThat(held.handles()).noneMatch(LockHandle::isOpen);
    }

    @Test
    void invalidationsOfLocksNotHeldAreAcknowledgedAtOnce() {
        LockClient a = client(1);
        assertThat(a.invalidate(R, WRITE, NULL)).isCompletedWithValue(NULL);
        var read = a.lockAsync(R, READ);
        net.deliverAll();
        now(read).close();
        assertThat(a.invalidate(R, WRITE, READ)).as("a duplicate of a finished downgrade").isCompletedWithValue(READ);
        assertThat(calls).isEmpty();
    }

    @Test
    void aFailingInvalidatorStopsTheClient() {
        LockClient a = net.connect(1, (range, from, to) -> {
            throw new IllegalStateException("commit failed");
        }, AT_ONCE, LockClient.Options.defaults());
        LockClient b = client(2);
        var held = a.lockAsync(R, WRITE);
        net.deliverAll();
        now(held).close();
        var wb = b.lockAsync(R, WRITE);
        net.deliverAll();
        assertThat(wb).as("never handed over without the commit").isNotDone();
        assertThat(a.failure()).hasMessageContaining("invalidating lock").hasRootCauseMessage("commit failed");
        assertThatThrownBy(() -> a.lock(S, READ)).isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("commit failed");
    }

    @Test
    void blockingCallersPingPongAWriteLock() throws Exception {
        // The blocking API from real threads: each of three nodes increments a value it caches
        // under WRITE and commits when invalidated; no increment may be lost.
        long[] device = {0};
        long[][] cache = new long[3][];
        List<LockClient> clients = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            int node = id;
            clients.add(net.connect(id, (range, from, to) -> {
                synchronized (device) {
                    if (cache[node] != null) {
                        device[0] = cache[node][0];
                        cache[node] = null;
                    }
                }
            }, r -> Thread.ofVirtual().start(r), LockClient.Options.defaults()));
        }
        int rounds = 200;
        CountDownLatch done = new CountDownLatch(3);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (AutoCloseable delivery = net.deliverContinuously()) {
            for (int id = 0; id < 3; id++) {
                int node = id;
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < rounds; i++) {
                            try (LockHandle h = clients.get(node).lock(R, WRITE)) {
                                synchronized (device) {
                                    if (cache[node] == null) {
                                        cache[node] = new long[] {device[0]};
                                    }
                                    cache[node][0]++;
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failed.set(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(failed.get()).isNull();
            try (HeldLocks all = clients.get(0).lockAll(List.of(R), READ)) {
                synchronized (device) {
                    long seen = cache[0] != null ? cache[0][0] : device[0];
                    assertThat(seen).isEqualTo(3L * rounds);
                }
            }
        }
    }

    @Test
    void anInterruptedWaiterHoldsNothing() throws Exception {
        LockClient a = client(1), b = client(2);
        var held = a.lockAsync(R, WRITE);
        net.deliverAll();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                b.lock(R, READ);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        while (net.inFlight() == 0) {
            Thread.sleep(1);
        }
        net.deliverAll();
        waiter.interrupt();
        waiter.join();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        now(held).close();
        net.deliverAll();
        assertThat(b.grantedMode(R)).as("the request was answered and the lock cached, unused")
                .isEqualTo(READ);
        assertThat(b.idleLocks()).isEqualTo(1);
    }

    @Test
    void nullIsNotAUse() {
        LockClient a = client(1);
        assertThatThrownBy(() -> a.lockAsync(R, LockMode.NULL)).isInstanceOf(IllegalArgumentException.class);
    }
}
