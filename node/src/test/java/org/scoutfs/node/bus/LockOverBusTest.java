package org.scoutfs.node.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.LockRanges;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.locking.client.LockHandle;
import org.scoutfs.node.verticle.LockServerVerticle;
import org.scoutfs.node.verticle.ServerEndpointVerticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Three mounts sharing locks through a lock server on one event bus, as the nodes of a volume do. */
class LockOverBusTest {
    static final long FSID = 0x5c0075L;
    static final LockRange R = LockRanges.inodeGroup(0);

    /** One mount: its client, its transport, and a model of what it caches and commits. */
    final class Mount {
        final long rid;
        final EventBusLockTransport transport;
        final LockClient client;
        final AtomicInteger invalidations = new AtomicInteger();
        Long cached;

        Mount(long rid) throws Exception {
            this.rid = rid;
            transport = new EventBusLockTransport(vertx, FSID, rid, TERM_ONE, Duration.ofSeconds(10));
            client = new LockClient(transport, this::invalidated, executor, LockClient.Options.defaults());
            await(transport.attach(client));
        }

        /** Commits the cached value, as the filesystem commits its transaction, and drops the cache. */
        void invalidated(LockRange range, LockMode from, LockMode to) {
            invalidations.incrementAndGet();
            synchronized (device) {
                if (cached != null && from == LockMode.WRITE) {
                    device[0] = cached;
                }
                if (!to.canRead()) {
                    cached = null;
                }
            }
        }

        void increment() throws InterruptedException {
            try (LockHandle h = client.lock(R, LockMode.WRITE)) {
                synchronized (device) {
                    if (cached == null) {
                        cached = device[0];
                    }
                    cached++;
                    seqs.add(h.writeSeq());
                }
            }
        }
    }

    /** The lock server of these tests serves term 1 for ever. */
    static final ServerLocator TERM_ONE = new ServerLocator() {
        @Override
        public long term() {
            return 1;
        }

        @Override
        public long leader() {
            return LEADER;
        }

        @Override
        public void lost(long term, RuntimeException cause) {
            throw new AssertionError("the lock server of term 1 was lost: " + cause);
        }
    };

    /** The mount id of the node whose endpoint serves the lock server. */
    static final long LEADER = 0x1ead;

    Vertx vertx;
    ExecutorService executor;
    final long[] device = {0};
    final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong writeSeqs = new AtomicLong(1000);
    List<Mount> mounts;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        LockServerVerticle locks = new LockServerVerticle(FSID, 1, writeSeqs::incrementAndGet, () -> 0, false,
                rid -> { }, new LockServerVerticle.Options(Duration.ofSeconds(5), Duration.ofMillis(50)));
        await(vertx.deployVerticle(locks));
        ServerEndpointVerticle endpoint = new ServerEndpointVerticle(FSID, LEADER);
        await(vertx.deployVerticle(endpoint));
        endpoint.serve(new ServerEndpointVerticle.Serving(1, null, locks, rid -> { }, null));
        mounts = List.of(new Mount(0xa), new Mount(0xb), new Mount(0xc));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        executor.shutdownNow();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void conflictingWritersPingPongTheLockWithoutLosingWrites() throws Exception {
        int rounds = 40;
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        // every round waits for all writers, so the lock must move between mounts in every round
        CyclicBarrier round = new CyclicBarrier(mounts.size());
        for (Mount m : mounts) {
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    round.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        m.increment();
                        round.await(10, TimeUnit.SECONDS);
                    }
                } catch (BrokenBarrierException | TimeoutException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, executor));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        Mount reader = mounts.get(0);
        try (LockHandle h = reader.client.lock(R, LockMode.READ)) {
            synchronized (device) {
                long seen = reader.cached != null ? reader.cached : device[0];
                assertThat(seen).isEqualTo(3L * rounds);
            }
        }
        assertThat(mounts).allSatisfy(m -> assertThat(m.invalidations.get()).isPositive());
        List<Long> inOrder = List.copyOf(seqs);
        for (int i = 1; i < inOrder.size(); i++) {
            assertThat(inOrder.get(i)).as("write sequences never go back").isGreaterThanOrEqualTo(inOrder.get(i - 1));
        }
        assertThat(inOrder.stream().distinct().count()).as("the lock moved between mounts").isGreaterThan(3);
    }

    @Test
    void aMountThatDisappearsDoesNotBlockOthersOnceDeclaredGone() throws Exception {
        Mount gone = mounts.get(0);
        Mount waiting = mounts.get(1);
        LockHandle neverClosed = gone.client.lock(R, LockMode.WRITE);
        gone.transport.close(); // it vanishes with the lock held and in use

        CompletableFuture<LockHandle> wanted = waiting.client.lockAsync(R, LockMode.WRITE);
        Thread.sleep(300);
        assertThat(wanted).as("its lock is not taken while it might still write").isNotDone();

        await(gone.transport.farewell());
        LockHandle got = wanted.get(10, TimeUnit.SECONDS);
        assertThat(got.mode()).isEqualTo(LockMode.WRITE);
        assertThat(got.writeSeq()).isGreaterThan(neverClosed.writeSeq());

        assertThatThrownBy(() -> gone.client.lock(LockRanges.inodeGroup(1 << 20), LockMode.READ))
                .as("the departed mount's later requests are refused with the server's exception")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("declared gone");
    }

    @Test
    void aLockServerOfAnotherVolumeIsNotReachedAndTheServerCountsAsLost() throws Exception {
        CompletableFuture<RuntimeException> lost = new CompletableFuture<>();
        ServerLocator locator = new ServerLocator() {
            @Override
            public long term() {
                return 1;
            }

            @Override
            public long leader() {
                return LEADER;
            }

            @Override
            public void lost(long term, RuntimeException cause) {
                lost.complete(cause);
            }
        };
        EventBusLockTransport elsewhere = new EventBusLockTransport(vertx, FSID + 1, 0xd, locator, Duration.ofMillis(300));
        LockClient client = new LockClient(elsewhere, (r, f, t) -> { }, executor, LockClient.Options.defaults());
        await(elsewhere.attach(client));
        CompletableFuture<LockHandle> wanted = client.lockAsync(R, LockMode.READ);
        assertThat(lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ServerUnreachableException.class);
        assertThat(wanted).as("the request waits to be sent again to the next server").isNotDone();
    }

    @Test
    void messagesOfADeposedLockServerAreIgnored() throws Exception {
        Mount m = mounts.get(0);
        ServerLocator termTwo = new ServerLocator() {
            @Override
            public long term() {
                return 2;
            }

            @Override
            public long leader() {
                return LEADER;
            }

            @Override
            public void lost(long term, RuntimeException cause) {
            }
        };
        EventBusLockTransport t = new EventBusLockTransport(vertx, FSID, 0xe, termTwo, Duration.ofSeconds(1));
        LockClient c = new LockClient(t, (r, f, to) -> { }, executor, LockClient.Options.defaults());
        await(t.attach(c));
        vertx.eventBus().send(Addresses.lockClient(FSID, 0xe),
                new LockMessages.LockGrant(1, R, LockMode.WRITE.code(), 5, 0));
        vertx.eventBus().send(Addresses.lockClient(FSID, 0xe),
                new LockMessages.LockGrant(2, LockRanges.inodeGroup(1 << 20), LockMode.READ.code(), 0, 0));
        Thread.sleep(200);
        assertThat(c.grantedMode(R)).as("the grant of term 1 came from a deposed server").isEqualTo(LockMode.NULL);
        assertThat(c.grantedMode(LockRanges.inodeGroup(1 << 20))).isEqualTo(LockMode.READ);
        assertThat(m.client.grantedMode(R)).isEqualTo(LockMode.NULL);
    }

    @Test
    void lockMessagesSurviveTheWireEncoding() {
        var grant = new LockMessages.LockGrant(3, LockRanges.indexGroup(2, 77), LockMode.WRITE_ONLY.code(), -5, 9);
        RecordCodec<LockMessages.LockGrant> codec = new RecordCodec<>(LockMessages.LockGrant.class);
        Buffer wire = Buffer.buffer().appendString("xx");
        codec.encodeToWire(wire, grant);
        assertThat(codec.decodeFromWire(2, wire)).isEqualTo(grant);
        assertThat(Addresses.lockClient(FSID, 0xb)).isEqualTo("scoutfs.00000000005c0075.node.000000000000000b.lock");
    }
}
