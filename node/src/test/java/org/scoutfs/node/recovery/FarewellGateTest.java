package org.scoutfs.node.recovery;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.scoutfs.node.bus.FarewellHeldException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule for letting mounts leave, against a volume of recorded mounts and slot owners. */
class FarewellGateTest {
    /** The volume as the gate sees it: who is mounted, who votes, and the farewells recorded. */
    private static final class Mounts implements FarewellGate.Volume {
        final Set<Long> mounted = new TreeSet<>();
        final Set<Long> voters = new TreeSet<>();
        final List<Long> left = new CopyOnWriteArrayList<>();

        @Override
        public Set<Long> mounted() {
            return Set.copyOf(mounted);
        }

        @Override
        public Set<Long> voters() {
            return Set.copyOf(voters);
        }

        @Override
        public void leave(long rid) {
            mounted.remove(rid);
            left.add(rid);
        }
    }

    private final Mounts volume = new Mounts();
    private final AtomicLong clock = new AtomicLong();
    private final FarewellGate gate = new FarewellGate(volume, 2, clock::get, TimeUnit.SECONDS.toNanos(5), 0);

    private void mount(long rid, boolean votes) {
        volume.mounted.add(rid);
        if (votes) {
            volume.voters.add(rid);
        }
    }

    @Test
    void aMountWithoutAVoteLeavesAtOnce() {
        mount(1, true);
        mount(2, true);
        mount(9, false);
        gate.farewell(9);
        assertThat(volume.left).containsExactly(9L);
    }

    @Test
    void aVoterLeavesWhileAQuorumOfVotersStays() {
        mount(1, true);
        mount(2, true);
        mount(3, true);
        gate.farewell(1);
        assertThat(volume.left).containsExactly(1L);
        assertThatThrownBy(() -> gate.farewell(2)).isInstanceOf(FarewellHeldException.class)
                .hasMessageContaining("1 voting mount would stay, a server needs 2");
        assertThat(volume.left).containsExactly(1L);
        assertThat(gate.held()).containsExactly(2L);
    }

    @Test
    void theLastMountsLeaveTogether() {
        mount(1, true);
        mount(2, true);
        mount(3, true);
        gate.farewell(1);
        assertThatThrownBy(() -> gate.farewell(2)).isInstanceOf(FarewellHeldException.class);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        gate.farewell(3); // nobody stays: 2 and 3 leave in one go
        assertThat(volume.left).containsExactly(1L, 2L, 3L);
        gate.farewell(2); // 2 asks again and hears it is done
        assertThat(volume.left).containsExactly(1L, 2L, 3L);
        assertThat(gate.held()).isEmpty();
    }

    @Test
    void aHeldVoterWaitsForMountsWithoutAVote() {
        mount(1, true);
        mount(2, true);
        mount(9, false);
        assertThatThrownBy(() -> gate.farewell(1)).isInstanceOf(FarewellHeldException.class)
                .hasMessageContaining("still mounted: 2, 9");
        gate.farewell(9);
        assertThatThrownBy(() -> gate.farewell(1)).isInstanceOf(FarewellHeldException.class);
        gate.farewell(2);
        assertThat(volume.left).containsExactly(9L, 1L, 2L);
    }

    @Test
    void aHeldMountThatStopsAskingNoLongerCountsAsLeaving() {
        mount(1, true);
        mount(2, true);
        mount(3, true);
        gate.farewell(1);
        assertThatThrownBy(() -> gate.farewell(2)).isInstanceOf(FarewellHeldException.class);
        // 2 was killed while held: after a while it counts as staying (the leader's watch reclaims it)
        clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertThatThrownBy(() -> gate.farewell(3)).isInstanceOf(FarewellHeldException.class)
                .hasMessageContaining("still mounted: 2");
    }

    @Test
    void theLastToLeaveWaitsUntilTheOthersOfItsGroupHaveHeard() throws Exception {
        FarewellGate waiting = new FarewellGate(volume, 2, clock::get, TimeUnit.SECONDS.toNanos(5), 10_000);
        mount(1, true);
        mount(2, true);
        mount(3, true);
        waiting.farewell(1);
        assertThatThrownBy(() -> waiting.farewell(2)).isInstanceOf(FarewellHeldException.class);
        CompletableFuture<Void> leader = CompletableFuture.runAsync(
                () -> waiting.farewell(3));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (volume.left.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(leader).as("the last one (the leader) answers once 2 knows it has left").isNotDone();
        waiting.farewell(2);
        leader.get(5, TimeUnit.SECONDS);
        assertThat(volume.left).containsExactly(1L, 2L, 3L);
    }
}
