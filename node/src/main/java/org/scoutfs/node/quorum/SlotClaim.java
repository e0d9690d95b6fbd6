package org.scoutfs.node.quorum;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.server.ProcessIdentity;

/**
 * Which quorum slot a mounting node takes. A node with a cluster address takes back the slot that
 * records that address, if its last owner is gone; otherwise the first free slot, then a slot
 * whose owner's process is gone from this host. A node finds no slot when all usable slots belong
 * to live nodes (or to nodes on other hosts, whose death cannot be seen from here); it then mounts
 * without a vote.
 *
 * <p>Taking a slot whose last owner may still have been serving (it was elected and never said it
 * stopped) is only done when that owner's process is certainly gone, and the claim records that
 * its term stopped, so a later leader does not try to fence it again.
 *
 * <p><b>Claiming without a cluster.</b> Nodes claim slots before they join the cluster, because
 * the addresses the slots record are how they find each other: a node writes its claim, waits a
 * moment and reads the slot back, and keeps it only if its claim is still there; two nodes that
 * chose the same slot at once see the later claim win, and the other tries another slot. Should a
 * node stall between its read and its write long enough to overwrite a claim already checked,
 * the slot's first owner notices at its next vote, which it writes only after checking that the
 * slot is still its own (see {@link QuorumMember}), and stops voting: a slot never gives two
 * votes in one election.
 */
public final class SlotClaim {
    private SlotClaim() {
    }

    /** The outcome: the slot to take (-1 for none), or the reason none may be taken. */
    public record Choice(int slot, String refusal) {
        static Choice take(int slot) {
            return new Choice(slot, null);
        }

        static Choice none() {
            return new Choice(-1, null);
        }

        static Choice refuse(String why) {
            return new Choice(-1, why);
        }
    }

    /**
     * @param slots   every slot's block, in order
     * @param usable  how many slots the volume uses (2 × quorum - 1)
     * @param address this node's cluster address, empty if it has none
     */
    public static Choice choose(List<QuorumSlot> slots, int usable, String address) {
        if (!address.isEmpty()) {
            for (int i = 0; i < usable; i++) {
                QuorumSlot s = slots.get(i);
                if (!s.isFree() && s.address().equals(address)) {
                    ProcessIdentity owner = owner(s);
                    if (owner.isGoneLocally()) {
                        return Choice.take(i);
                    }
                    return Choice.refuse("cluster address " + address + " is in use by the node in quorum slot " + i
                            + " (pid " + owner.pid() + " on " + owner.host() + ")");
                }
            }
        }
        for (int i = 0; i < usable; i++) {
            if (slots.get(i).isFree()) {
                return Choice.take(i);
            }
        }
        for (int i = 0; i < usable; i++) {
            if (owner(slots.get(i)).isGoneLocally()) {
                return Choice.take(i);
            }
        }
        return Choice.none();
    }

    static ProcessIdentity owner(QuorumSlot s) {
        return new ProcessIdentity(s.host(), s.ownerPid(), s.ownerStart());
    }

    /**
     * Claims a slot for mount {@code rid} on the device, as described above; returns the slot's
     * block, or null if no slot may be taken.
     *
     * @throws BadVolumeException if this node's address belongs to a live node's slot
     */
    public static QuorumSlot claim(BlockDevice device, long fsid, int usable, long rid, ProcessIdentity me,
                                   String address) {
        Set<Integer> lost = new HashSet<>();
        for (int attempt = 0; attempt < 3 * usable + 3; attempt++) {
            List<QuorumSlot> slots = QuorumArea.readAll(device, fsid);
            List<QuorumSlot> open = slots.stream().map(s -> lost.contains(s.slot()) ? taken(s) : s).toList();
            Choice c = choose(open, usable, address);
            if (c.refusal() != null) {
                throw new BadVolumeException(c.refusal());
            }
            if (c.slot() < 0) {
                return null;
            }
            QuorumSlot mine = claim(slots.get(c.slot()), rid, me, address, System.currentTimeMillis());
            QuorumArea.write(device, fsid, mine);
            try {
                Thread.sleep(SETTLE_MILLIS + ThreadLocalRandom.current().nextLong(SETTLE_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while claiming a quorum slot", e);
            }
            QuorumSlot now = QuorumArea.read(device, fsid, c.slot());
            if (now.ownerRid() == rid) {
                return now;
            }
            lost.add(c.slot());
        }
        return null;
    }

    /** How long a claim waits before it checks that it still holds. */
    public static final long SETTLE_MILLIS = 100;

    /** A slot another node just took, as far as this claim is concerned. */
    private static QuorumSlot taken(QuorumSlot s) {
        return new QuorumSlot(s.slot(), s.writeSeq(), s.ownerRid() == 0 ? -1 : s.ownerRid(), -1, 0, 0, s.term(),
                s.votedFor(), s.electedTerm(), s.stoppedTerm(), s.fencedThrough(), "", "");
    }

    /** The block for {@code me} taking {@code s}. */
    public static QuorumSlot claim(QuorumSlot s, long rid, ProcessIdentity me, String address, long now) {
        QuorumSlot taken = s.claimedBy(rid, me.pid(), me.startTime(), now, me.host(), address);
        return s.mayBeServing() ? taken.stopped(s.electedTerm()) : taken;
    }
}
