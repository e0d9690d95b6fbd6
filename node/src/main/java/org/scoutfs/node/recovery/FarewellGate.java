package org.scoutfs.node.recovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.scoutfs.node.bus.FarewellHeldException;

/**
 * The leader's rule for letting mounts leave: a mount that unmounts cleanly says farewell, and
 * one that holds a quorum slot may only go while the mounts that stay can still elect a server.
 *
 * <p>Unmounting the voting nodes one after another would otherwise strand the last ones: with a
 * quorum of two, the third node to unmount would find nobody to vote with, and its final commit,
 * its farewell and the data it still had to write would wait for a server that can never be
 * elected. So a voting mount's farewell is held while it would leave fewer than a quorum of voting
 * mounts that stay and some mount still uses the volume; the held node keeps its vote and asks
 * again four times a second. Once every mount still recorded is asking to leave, all of them leave
 * together: their farewells are recorded in one go, before any of them stops voting. The one
 * whose request let the group go hears of it at once; the others hear of it when they ask
 * again, so that reply waits (up to {@code tellMillis}) until they have: when the last to ask is
 * the leader, it must not stop serving while the others still wait for their answer.
 *
 * <p>A mount that stops asking (it was killed while held) drops out of the pending set after
 * {@code pendingNanos}; the leader's watch declares it gone like any other silent mount. The
 * pending set lives on the leader only: after a failover the held mounts ask the new leader, and
 * it decides again from their requests.
 */
public final class FarewellGate {
    /** How the gate reaches the server and the device. */
    public interface Volume {
        /** Mount ids of the mounts the server records. */
        Set<Long> mounted();

        /** Mount ids of the owners of the volume's quorum slots. */
        Set<Long> voters();

        /** Records {@code rid}'s farewell on the server (durable) and frees its locks. */
        void leave(long rid);
    }

    private final Volume volume;
    private final int quorum;
    private final LongSupplier nanoClock;
    private final long pendingNanos;
    /** Mount id → when it last asked to leave. */
    private final Map<Long, Long> pending = new HashMap<>();
    private final long tellMillis;
    private final Set<Long> left = new HashSet<>();
    /** Left with someone else's farewell, and not yet told so. */
    private final Set<Long> untold = new HashSet<>();

    /**
     * @param quorum       votes a leader needs
     * @param pendingNanos how long a request to leave counts without being repeated
     * @param tellMillis   how long the last to leave of a group waits for the others to hear
     */
    public FarewellGate(Volume volume, int quorum, LongSupplier nanoClock, long pendingNanos, long tellMillis) {
        this.tellMillis = tellMillis;
        this.volume = volume;
        this.quorum = quorum;
        this.nanoClock = nanoClock;
        this.pendingNanos = pendingNanos;
    }

    /**
     * Mount {@code rid} asks to leave. Returns once it has (its farewell is durable), or throws
     * {@link FarewellHeldException} saying what it waits for.
     */
    public synchronized void farewell(long rid) {
        if (left.contains(rid)) {
            if (untold.remove(rid)) {
                notifyAll();
            }
            return;
        }
        long now = nanoClock.getAsLong();
        pending.put(rid, now);
        pending.values().removeIf(at -> now - at > pendingNanos);
        Set<Long> mounted = volume.mounted();
        Set<Long> voters = volume.voters();
        Set<Long> staying = new TreeSet<>(mounted);
        staying.removeAll(pending.keySet());
        List<Long> stayingVoters = staying.stream().filter(voters::contains).toList();
        List<Long> leaving = new ArrayList<>();
        if (!mounted.contains(rid) || !voters.contains(rid) || stayingVoters.size() >= quorum) {
            leaving.add(rid);
        } else if (staying.isEmpty()) {
            // everyone still recorded is leaving: all at once, while their votes still count
            leaving.addAll(new TreeSet<>(pending.keySet()));
            leaving.retainAll(mounted);
            if (!leaving.contains(rid)) {
                leaving.add(rid);
            }
        } else {
            throw new FarewellHeldException("mount " + Long.toHexString(rid) + " holds a quorum slot and "
                    + "the mounts that stay need its vote: " + stayingVoters.size() + " voting mount"
                    + (stayingVoters.size() == 1 ? "" : "s") + " would stay, a server needs " + quorum
                    + "; it leaves once another voting node mounts or the other mounts unmount too (still mounted: "
                    + hex(staying) + ")");
        }
        for (long r : leaving) {
            volume.leave(r);
            left.add(r);
            pending.remove(r);
            if (r != rid) {
                untold.add(r);
            }
        }
        awaitTold();
    }

    private void awaitTold() {
        long until = System.currentTimeMillis() + tellMillis;
        try {
            for (long rest = tellMillis; !untold.isEmpty() && rest > 0; rest = until - System.currentTimeMillis()) {
                wait(rest);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        untold.clear(); // one that did not ask again in time has gone; its farewell is recorded all the same
    }

    private static String hex(Set<Long> rids) {
        return String.join(", ", rids.stream().map(Long::toHexString).toList());
    }

    /** Mounts whose request to leave is being held, for status reports. */
    public synchronized Set<Long> held() {
        return Set.copyOf(pending.keySet());
    }
}
