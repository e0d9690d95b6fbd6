package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.QUORUM_BLOCK;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * What one quorum slot's block says: who owns the slot and the election state its owner must
 * never forget (see {@link Layouts#QUORUM_BLOCK}). A slot whose block was never written (all
 * zeros, as mkfs leaves it) is {@linkplain #free free}.
 *
 * @param slot          the slot number, 0 to {@link Format#QUORUM_MAX_SLOTS} - 1
 * @param writeSeq      counts the writes of this block; the header's sequence
 * @param ownerRid      the mount that holds the slot, 0 if none ever did
 * @param ownerPid      its process id on {@code host}
 * @param ownerStart    the process's start time (milliseconds since the epoch), so a reused pid is not mistaken for it
 * @param claimedAt     when the owner took the slot, milliseconds since the epoch
 * @param term          the highest election term the owner has seen
 * @param votedFor      the mount the owner voted for in {@code term}, 0 if none
 * @param electedTerm   the last term in which the owner was elected leader, 0 if never
 * @param stoppedTerm   the last term in which the owner, as leader, stopped its server cleanly
 * @param fencedThrough every leader elected in a term up to this one is known to have stopped,
 *                      because this slot's owner, elected after it, made sure of it
 * @param host          the host the owner runs on
 * @param address       the owner's cluster address (host:port), empty for a node without one
 */
public record QuorumSlot(int slot, long writeSeq, long ownerRid, long ownerPid, long ownerStart, long claimedAt,
                         long term, long votedFor, long electedTerm, long stoppedTerm, long fencedThrough,
                         String host, String address) {
    private static final int OWNER_RID = off(QUORUM_BLOCK, "owner_rid");
    private static final int OWNER_PID = off(QUORUM_BLOCK, "owner_pid");
    private static final int OWNER_START = off(QUORUM_BLOCK, "owner_start_time");
    private static final int CLAIMED_AT = off(QUORUM_BLOCK, "claimed_at");
    private static final int TERM = off(QUORUM_BLOCK, "term");
    private static final int VOTED_FOR = off(QUORUM_BLOCK, "voted_for");
    private static final int ELECTED_TERM = off(QUORUM_BLOCK, "elected_term");
    private static final int STOPPED_TERM = off(QUORUM_BLOCK, "stopped_term");
    private static final int FENCED_THROUGH = off(QUORUM_BLOCK, "fenced_through");
    private static final int HOST = off(QUORUM_BLOCK, "host");
    private static final int ADDRESS = off(QUORUM_BLOCK, "address");

    public QuorumSlot {
        if (slot < 0 || slot >= Format.QUORUM_MAX_SLOTS) {
            throw new IllegalArgumentException("quorum slot " + slot);
        }
    }

    /** A slot nobody has held. */
    public static QuorumSlot free(int slot) {
        return new QuorumSlot(slot, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "");
    }

    public boolean isFree() {
        return ownerRid == 0;
    }

    /** True if the owner may still be running a server it was elected for: it never said it stopped. */
    public boolean mayBeServing() {
        return electedTerm > stoppedTerm;
    }

    /** Byte offset of slot {@code slot}'s block on the metadata device. */
    public static long offset(int slot) {
        return Format.QUORUM_OFFSET + (long) slot * Format.QUORUM_BLOCK_SIZE;
    }

    private static long blkno(int slot) {
        return offset(slot) / Format.QUORUM_BLOCK_SIZE;
    }

    /** The block for this state, as write number {@code writeSeq} of the slot. */
    public byte[] encode(long fsid) {
        byte[] b = new byte[Format.QUORUM_BLOCK_SIZE];
        Bytes.putLong(b, OWNER_RID, ownerRid);
        Bytes.putLong(b, OWNER_PID, ownerPid);
        Bytes.putLong(b, OWNER_START, ownerStart);
        Bytes.putLong(b, CLAIMED_AT, claimedAt);
        Bytes.putLong(b, TERM, term);
        Bytes.putLong(b, VOTED_FOR, votedFor);
        Bytes.putLong(b, ELECTED_TERM, electedTerm);
        Bytes.putLong(b, STOPPED_TERM, stoppedTerm);
        Bytes.putLong(b, FENCED_THROUGH, fencedThrough);
        Bytes.putName64(b, HOST, host);
        Bytes.putName64(b, ADDRESS, address);
        BlockHeaders.seal(b, Format.MAGIC_QUORUM, fsid, blkno(slot), writeSeq);
        return b;
    }

    /** Reads slot {@code slot}'s block; all zeros is a free slot, anything else must check out. */
    public static QuorumSlot decode(long fsid, int slot, byte[] b) {
        if (isZero(b)) {
            return free(slot);
        }
        String problem = BlockHeaders.problem(b, Format.MAGIC_QUORUM, fsid, blkno(slot), -1);
        if (problem != null) {
            throw new CorruptionException("quorum slot " + slot + ": " + problem);
        }
        try {
            return new QuorumSlot(slot, BlockHeaders.seq(b), Bytes.getLong(b, OWNER_RID), Bytes.getLong(b, OWNER_PID),
                    Bytes.getLong(b, OWNER_START), Bytes.getLong(b, CLAIMED_AT), Bytes.getLong(b, TERM),
                    Bytes.getLong(b, VOTED_FOR), Bytes.getLong(b, ELECTED_TERM), Bytes.getLong(b, STOPPED_TERM),
                    Bytes.getLong(b, FENCED_THROUGH), Bytes.getName64(b, HOST), Bytes.getName64(b, ADDRESS));
        } catch (IllegalArgumentException e) {
            throw new CorruptionException("quorum slot " + slot + ": " + e.getMessage());
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    // Changes, each the next write of the block.

    /** This slot, taken by a new owner; the election state stays, since terms never go back. */
    public QuorumSlot claimedBy(long rid, long pid, long start, long now, String newHost, String newAddress) {
        return new QuorumSlot(slot, writeSeq + 1, rid, pid, start, now, term, votedFor, electedTerm, stoppedTerm,
                fencedThrough, newHost, newAddress);
    }

    /** The owner saw term {@code t} and, in it, voted for {@code candidate} (0: nobody yet). */
    public QuorumSlot withVote(long t, long candidate) {
        return new QuorumSlot(slot, writeSeq + 1, ownerRid, ownerPid, ownerStart, claimedAt, t, candidate, electedTerm,
                stoppedTerm, fencedThrough, host, address);
    }

    /** The owner won the election of term {@code t}. */
    public QuorumSlot elected(long t) {
        return new QuorumSlot(slot, writeSeq + 1, ownerRid, ownerPid, ownerStart, claimedAt, Math.max(term, t),
                votedFor, t, stoppedTerm, fencedThrough, host, address);
    }

    /** The owner, leader of {@code electedTerm}, made sure every leader elected up to {@code t} has stopped. */
    public QuorumSlot fencedThrough(long t) {
        return new QuorumSlot(slot, writeSeq + 1, ownerRid, ownerPid, ownerStart, claimedAt, term, votedFor,
                electedTerm, stoppedTerm, Math.max(fencedThrough, t), host, address);
    }

    /**
     * The owner gives the slot up (a clean unmount): the slot is free for the next node, and keeps
     * the election state, since terms never go back and a vote once cast stays cast.
     */
    public QuorumSlot released() {
        return new QuorumSlot(slot, writeSeq + 1, 0, 0, 0, claimedAt, term, votedFor, electedTerm, stoppedTerm,
                fencedThrough, "", "");
    }

    /** The owner stopped the server it was elected for in term {@code t}. */
    public QuorumSlot stopped(long t) {
        return new QuorumSlot(slot, writeSeq + 1, ownerRid, ownerPid, ownerStart, claimedAt, term, votedFor,
                electedTerm, Math.max(stoppedTerm, t), fencedThrough, host, address);
    }
}
