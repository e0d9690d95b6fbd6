package org.scoutfs.locking.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.LockRanges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scoutfs.locking.LockMode.NULL;
import static org.scoutfs.locking.LockMode.READ;
import static org.scoutfs.locking.LockMode.WRITE;
import static org.scoutfs.locking.LockMode.WRITE_ONLY;

/** The server's protocol, message by message, with a recording outbox. */
class LockServerTest {
    static final LockRange R = LockRanges.inodeGroup(0);
    static final long A = 1, B = 2, C = 3, D = 4;

    record Sent(String kind, long client, LockMode from, LockMode to, long writeSeq) {
        static Sent grant(long client, LockMode mode) {
            return new Sent("grant", client, null, mode, 0);
        }

        static Sent invalidate(long client, LockMode from, LockMode to) {
            return new Sent("invalidate", client, from, to, 0);
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Long> writeSeqs = new ArrayList<>();
    final AtomicLong seq = new AtomicLong(100);
    final LockServer server = new LockServer(new LockServer.Outbox() {
        @Override
        public void grant(long client, LockRange range, LockMode mode, long writeSeq) {
            assertThat(range).isEqualTo(R);
            sent.add(Sent.grant(client, mode));
            writeSeqs.add(writeSeq);
        }

        @Override
        public void invalidate(long client, LockRange range, LockMode fromMode, LockMode toMode) {
            sent.add(Sent.invalidate(client, fromMode, toMode));
        }
    }, seq::incrementAndGet);

    List<Sent> drain() {
        List<Sent> s = List.copyOf(sent);
        sent.clear();
        return s;
    }

    @Test
    void readersShareWithoutInvalidations() {
        server.request(A, R, READ);
        server.request(B, R, READ);
        assertThat(drain()).containsExactly(Sent.grant(A, READ), Sent.grant(B, READ));
        assertThat(writeSeqs).containsExactly(0L, 0L);
        assertThat(server.holders(R)).isEqualTo(Map.of(A, READ, B, READ));
    }

    @Test
    void aWriterIsAloneAndTheNextWaitsForItsAcknowledgement() {
        server.request(A, R, WRITE);
        server.request(B, R, WRITE);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE), Sent.invalidate(A, WRITE, NULL));
        assertThat(server.waiting(R)).containsExactly(B);
        server.acknowledge(A, R, NULL);
        assertThat(drain()).containsExactly(Sent.grant(B, WRITE));
        assertThat(server.holders(R)).isEqualTo(Map.of(B, WRITE));
    }

    @Test
    void aWriterFacingAReaderFallsToReadAndKeepsTheLock() {
        server.request(A, R, WRITE);
        server.request(B, R, READ);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE), Sent.invalidate(A, WRITE, READ));
        server.acknowledge(A, R, READ);
        assertThat(drain()).containsExactly(Sent.grant(B, READ));
        assertThat(server.holders(R)).isEqualTo(Map.of(A, READ, B, READ));
    }

    @Test
    void writeOnlyHoldersShareButConflictWithEverythingElse() {
        server.request(A, R, WRITE_ONLY);
        server.request(B, R, WRITE_ONLY);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE_ONLY), Sent.grant(B, WRITE_ONLY));
        server.request(C, R, READ);
        assertThat(drain()).containsExactly(Sent.invalidate(A, WRITE_ONLY, NULL), Sent.invalidate(B, WRITE_ONLY, NULL));
        server.acknowledge(B, R, NULL);
        assertThat(drain()).isEmpty();
        server.acknowledge(A, R, NULL);
        assertThat(drain()).containsExactly(Sent.grant(C, READ));
    }

    @Test
    void requestsAreServedStrictlyInArrivalOrder() {
        server.request(A, R, WRITE);
        server.request(B, R, READ);
        server.request(C, R, WRITE);
        server.request(D, R, READ);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE), Sent.invalidate(A, WRITE, READ));
        server.acknowledge(A, R, READ);
        // B is granted; C now needs A and B gone, and D waits behind C although READ would fit now.
        assertThat(drain()).containsExactly(Sent.grant(B, READ), Sent.invalidate(A, READ, NULL),
                Sent.invalidate(B, READ, NULL));
        assertThat(server.waiting(R)).containsExactly(C, D);
        server.acknowledge(A, R, NULL);
        server.acknowledge(B, R, NULL);
        assertThat(drain()).containsExactly(Sent.grant(C, WRITE), Sent.invalidate(C, WRITE, READ));
        server.acknowledge(C, R, READ);
        assertThat(drain()).containsExactly(Sent.grant(D, READ));
    }

    @Test
    void aReaderUpgradesByInvalidatingOnlyTheOthers() {
        server.request(A, R, READ);
        server.request(B, R, READ);
        drain();
        server.request(A, R, WRITE);
        assertThat(drain()).containsExactly(Sent.invalidate(B, READ, NULL));
        server.acknowledge(B, R, NULL);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE));
        assertThat(server.holders(R)).isEqualTo(Map.of(A, WRITE));
    }

    @Test
    void aNullRequestDropsTheLockAndTheServerForgetsIt() {
        server.request(A, R, WRITE);
        server.request(A, R, NULL);
        assertThat(drain()).containsExactly(Sent.grant(A, WRITE), Sent.grant(A, NULL));
        assertThat(server.lockCount()).isZero();
    }

    @Test
    void aDepartedClientReleasesThoseWaitingForIt() {
        server.request(A, R, WRITE);
        server.request(B, R, WRITE);
        server.request(C, R, READ);
        drain();
        server.clientGone(A);
        assertThat(drain()).containsExactly(Sent.grant(B, WRITE), Sent.invalidate(B, WRITE, READ));
        server.clientGone(C);
        assertThat(server.waiting(R)).isEmpty();
        assertThat(server.acknowledge(B, R, READ)).isTrue();
        assertThat(drain()).isEmpty();
        assertThat(server.acknowledge(A, R, NULL)).as("late answer of the departed").isFalse();
        server.clientGone(B);
        assertThat(server.lockCount()).isZero();
    }

    @Test
    void writeSequencesAreFreshForEveryWritableGrant() {
        server.request(A, R, WRITE_ONLY);
        server.request(B, R, WRITE_ONLY);
        server.request(C, R, WRITE);
        server.acknowledge(A, R, NULL);
        server.acknowledge(B, R, NULL);
        assertThat(writeSeqs).containsExactly(101L, 102L, 103L);
    }

    @Test
    void aNewRequestReplacesAStaleOneInItsPlace() {
        server.request(A, R, WRITE);
        server.request(B, R, WRITE);
        server.request(C, R, READ);
        // B's WRITE was a duplicate it no longer waits for: it now asks for READ, ahead of C
        server.request(B, R, READ);
        assertThat(server.waiting(R)).containsExactly(B, C);
        server.acknowledge(A, R, NULL);
        assertThat(server.holders(R)).isEqualTo(Map.of(B, READ, C, READ));
    }

    @Test
    void protocolViolationsAreRefused() {
        server.request(A, R, WRITE);
        server.request(B, R, WRITE);
        assertThatThrownBy(() -> server.acknowledge(A, R, WRITE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("asked to fall to NULL");
        assertThat(server.acknowledge(C, R, NULL)).isFalse();
    }

    @Test
    void anOutboxCallingBackIsRefused() {
        LockServer[] self = new LockServer[1];
        self[0] = new LockServer(new LockServer.Outbox() {
            @Override
            public void grant(long client, LockRange range, LockMode mode, long writeSeq) {
                self[0].request(client + 1, range, mode);
            }

            @Override
            public void invalidate(long client, LockRange range, LockMode fromMode, LockMode toMode) {
            }
        }, () -> 1);
        assertThatThrownBy(() -> self[0].request(A, R, READ)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("concurrently");
    }
}
