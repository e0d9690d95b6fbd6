package org.scoutfs.node.quorum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One quorum member's side of the leader election, as a state machine with no threads, clock or
 * network of its own: the caller feeds it events with the time they happened and carries out the
 * {@link Action}s it returns, in order. That is what lets a deterministic simulation drive several
 * of them through lost and reordered messages and crashes from one seed.
 *
 * <p><b>Rules.</b> Terms only grow. A member votes at most once per term, and its vote (the term and
 * whom it voted for) is durable before it is answered ({@link Persist} comes before the reply), so
 * a member that restarts cannot vote twice in a term. A candidate needs {@code quorum} votes,
 * counting its own; the volume has at most {@code 2 * quorum - 1} slots, so two candidates cannot
 * both win one term. Before it asks for votes a member asks whether it would get them
 * ({@link PreVote}): members that hear from a live leader say no, so a member cut off from the
 * others cannot push the term up and disturb the leader when it comes back.
 *
 * <p><b>Leaders.</b> A winner records its term as elected ({@link PersistElected}) and then is the
 * leader: the caller fences its predecessors and starts the server. The leader sends heartbeats;
 * members answer them. A leader that has not heard answers from a quorum within the lease steps
 * down ({@link StepDown}) before the others can elect a successor (the lease is shorter than the
 * election timeout), so a leader cut off from the majority stops serving on its own. That is not
 * what keeps two servers from writing at once: fencing and the servers' check of the elected terms
 * on the device are.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class Election {
    /**
     * @param quorum            votes that elect a leader
     * @param heartbeatMillis   how often a leader sends heartbeats
     * @param timeoutMillis     how long members wait without a heartbeat before they elect anew
     * @param leaseMillis       how long a leader keeps leading without answers from a quorum; less than the timeout
     * @param quickStartMillis  the most a member waits before it asks for votes when it knows there is no leader
     */
    public record Timing(int quorum, long heartbeatMillis, long timeoutMillis, long leaseMillis, long quickStartMillis) {
        public Timing {
            if (quorum < 1) {
                throw new IllegalArgumentException("quorum " + quorum);
            }
            if (leaseMillis >= timeoutMillis) {
                throw new IllegalArgumentException("a leader's lease (" + leaseMillis + " ms) must be shorter than the "
                        + "election timeout (" + timeoutMillis + " ms)");
            }
        }

        /** Timing from the election timeout: heartbeats every 100 ms, a lease of 60% of the timeout. */
        public static Timing of(int quorum, long timeoutMillis) {
            // a lone member has no rival to split votes with, so it need not wait at all
            return new Timing(quorum, 100, timeoutMillis, timeoutMillis * 6 / 10, quorum == 1 ? 0 : 200);
        }
    }

    public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }

    /** What the caller must do, in order. */
    public sealed interface Action {
    }

    /** Make the member's term and vote durable (its slot's block) before anything after it. */
    public record Persist(long term, long votedFor) implements Action {
    }

    /** Make durable that this member was elected in {@code term}, then lead. */
    public record PersistElected(long term) implements Action {
    }

    /** Ask every other member whether it would vote for this member in {@code term}. */
    public record PreVote(long term) implements Action {
    }

    /** Ask every other member for its vote in {@code term}. */
    public record RequestVotes(long term) implements Action {
    }

    /** Answer a vote request, or with {@code preVote} a pre-vote request, of mount {@code requester}. */
    public record Answer(long requester, long term, boolean granted, boolean preVote) implements Action {
    }

    /** This member leads {@code term}: fence the predecessors, start the server, send heartbeats. */
    public record BecomeLeader(long term) implements Action {
    }

    /** Send a heartbeat of {@code term} to every member. */
    public record SendHeartbeat(long term) implements Action {
    }

    /** Answer the heartbeat of the leader, mount {@code leaderRid}. */
    public record AckHeartbeat(long leaderRid, long term) implements Action {
    }

    /** This member no longer leads {@code term}: stop its server. */
    public record StepDown(long term, String why) implements Action {
    }

    private final long rid;
    private final int slot;
    private final Timing timing;
    private final RandomGenerator random;

    private long term;
    private long votedFor;
    private Role role = Role.FOLLOWER;

    private long leaderRid;
    private int leaderSlot = -1;
    private long lastLeaderContact = Long.MIN_VALUE;
    private boolean leaderGone = true;
    private long electionDeadline;

    private long candidateTerm;
    private final Set<Integer> supporters = new HashSet<>();
    private final Map<Integer, Long> lastAck = new HashMap<>();
    private long leaderSince;
    private long nextHeartbeat;
    /** How many slots have an owner: a leader needs answers from a quorum of them, or of all of them if fewer. */
    private int heldSlots = Integer.MAX_VALUE;

    /**
     * @param term     the term this member's slot block records
     * @param votedFor whom it records a vote for in that term
     */
    public Election(long rid, int slot, Timing timing, RandomGenerator random, long term, long votedFor, long now) {
        this.rid = rid;
        this.slot = slot;
        this.timing = timing;
        this.random = random;
        this.term = term;
        this.votedFor = votedFor;
        this.electionDeadline = now + jitter(timing.quickStartMillis());
    }

    private long jitter(long upTo) {
        return upTo <= 0 ? 0 : random.nextLong(upTo + 1);
    }

    private void waitForLeader(long now) {
        electionDeadline = now + timing.timeoutMillis() + jitter(timing.timeoutMillis() / 4);
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    public long votedFor() {
        return votedFor;
    }

    /** The leader this member follows (its slot, -1 if none known) and that leader's term. */
    public int leaderSlot() {
        return role == Role.LEADER ? slot : leaderSlot;
    }

    public long leaderRid() {
        return role == Role.LEADER ? rid : leaderRid;
    }

    private boolean liveLeaderKnown(long now) {
        if (role == Role.LEADER) {
            return true;
        }
        return leaderSlot >= 0 && !leaderGone && now - lastLeaderContact < timing.timeoutMillis();
    }

    // ---------------------------------------------------------------- time

    /** The time passed: start an election, retry one, or as leader send heartbeats and check the lease. */
    public List<Action> tick(long now) {
        List<Action> out = new ArrayList<>();
        if (role == Role.LEADER) {
            if (now >= nextHeartbeat) {
                out.add(new SendHeartbeat(term));
                nextHeartbeat = now + timing.heartbeatMillis();
            }
            int needed = Math.min(timing.quorum(), heldSlots);
            if (needed > 1 && now - leaderSince >= timing.leaseMillis()) {
                int live = 1;
                for (long at : lastAck.values()) {
                    if (now - at < timing.leaseMillis()) {
                        live++;
                    }
                }
                if (live < needed) {
                    out.addAll(stepDown(now, "heard from " + (live - 1) + " other quorum members within "
                            + timing.leaseMillis() + " ms; it needs " + (needed - 1)));
                }
            }
            return out;
        }
        if (now >= electionDeadline) {
            startPreVote(now, out);
        }
        return out;
    }

    private void startPreVote(long now, List<Action> out) {
        role = Role.PRE_CANDIDATE;
        candidateTerm = term + 1;
        supporters.clear();
        supporters.add(slot);
        // a failed round is retried after a random pause, so rivals do not keep splitting votes
        electionDeadline = now + timing.quickStartMillis() + jitter(timing.timeoutMillis() / 2);
        if (supporters.size() >= timing.quorum()) {
            becomeCandidate(now, out);
        } else {
            out.add(new PreVote(candidateTerm));
        }
    }

    private void becomeCandidate(long now, List<Action> out) {
        role = Role.CANDIDATE;
        term = candidateTerm;
        votedFor = rid;
        supporters.clear();
        supporters.add(slot);
        out.add(new Persist(term, votedFor));
        if (supporters.size() >= timing.quorum()) {
            becomeLeader(now, out);
        } else {
            out.add(new RequestVotes(term));
        }
    }

    private void becomeLeader(long now, List<Action> out) {
        role = Role.LEADER;
        leaderSince = now;
        lastAck.clear();
        for (int s : supporters) {
            if (s != slot) {
                lastAck.put(s, now);
            }
        }
        nextHeartbeat = now;
        out.add(new PersistElected(term));
        out.add(new BecomeLeader(term));
        out.add(new SendHeartbeat(term));
        nextHeartbeat = now + timing.heartbeatMillis();
    }

    private List<Action> stepDown(long now, String why) {
        List<Action> out = new ArrayList<>();
        if (role == Role.LEADER) {
            out.add(new StepDown(term, why));
            leaderGone = true;
            leaderSlot = -1;
        }
        role = Role.FOLLOWER;
        waitForLeader(now);
        return out;
    }

    /** Adopts a newer term seen from another member; a leader or candidate of an older one steps down. */
    private void adopt(long newTerm, long now, List<Action> out, String why) {
        if (Long.compareUnsigned(newTerm, term) <= 0) {
            return;
        }
        out.addAll(stepDown(now, why));
        term = newTerm;
        votedFor = 0;
        out.add(new Persist(term, 0));
    }

    // ---------------------------------------------------------------- messages

    /** Another member asks whether it would get this member's vote in {@code candidateTerm}. */
    public List<Action> onPreVoteRequest(long requester, long candidateTerm, long now) {
        boolean yes = Long.compareUnsigned(candidateTerm, term) > 0 && !liveLeaderKnown(now);
        return List.of(new Answer(requester, term, yes, true));
    }

    public List<Action> onPreVoteAnswer(int fromSlot, long answerTerm, boolean granted, long now) {
        List<Action> out = new ArrayList<>();
        if (role != Role.PRE_CANDIDATE) {
            return out;
        }
        if (granted && answerTerm == term) {
            supporters.add(fromSlot);
            if (supporters.size() >= timing.quorum()) {
                becomeCandidate(now, out);
            }
        } else if (!granted && Long.compareUnsigned(answerTerm, term) > 0) {
            adopt(answerTerm, now, out, "a member has seen term " + answerTerm);
        }
        return out;
    }

    /** A candidate asks for this member's vote in {@code voteTerm}. */
    public List<Action> onVoteRequest(long requester, long voteTerm, long candidate, long now) {
        List<Action> out = new ArrayList<>();
        if (Long.compareUnsigned(voteTerm, term) < 0) {
            out.add(new Answer(requester, term, false, false));
            return out;
        }
        boolean changed = false;
        if (Long.compareUnsigned(voteTerm, term) > 0) {
            if (liveLeaderKnown(now) && role != Role.LEADER) {
                // a leader is alive: a candidate that cannot hear it does not get to replace it
                out.add(new Answer(requester, term, false, false));
                return out;
            }
            out.addAll(stepDown(now, "a candidate asked for votes in term " + voteTerm));
            term = voteTerm;
            votedFor = 0;
            changed = true;
        }
        boolean grant = role != Role.LEADER && role != Role.CANDIDATE && (votedFor == 0 || votedFor == candidate);
        if (grant) {
            changed |= votedFor != candidate;
            votedFor = candidate;
            waitForLeader(now);
        }
        if (changed) {
            out.add(new Persist(term, votedFor));
        }
        out.add(new Answer(requester, term, grant, false));
        return out;
    }

    public List<Action> onVoteAnswer(int fromSlot, long answerTerm, boolean granted, long now) {
        List<Action> out = new ArrayList<>();
        if (Long.compareUnsigned(answerTerm, term) > 0) {
            adopt(answerTerm, now, out, "a member has seen term " + answerTerm);
            return out;
        }
        if (role == Role.CANDIDATE && granted && answerTerm == term) {
            supporters.add(fromSlot);
            if (supporters.size() >= timing.quorum()) {
                becomeLeader(now, out);
            }
        }
        return out;
    }

    /** The leader of {@code hbTerm} says it leads. */
    public List<Action> onHeartbeat(long hbTerm, long fromRid, int fromSlot, long now) {
        List<Action> out = new ArrayList<>();
        if (fromRid == rid || Long.compareUnsigned(hbTerm, term) < 0) {
            return out; // our own, or a deposed leader's; it learns of the newer term from the answers
        }
        if (role == Role.LEADER && hbTerm == term) {
            // cannot happen while slots are held by one process each; if it does, neither may lead
            out.addAll(stepDown(now, "slot " + fromSlot + " also leads term " + term));
            return out;
        }
        adopt(hbTerm, now, out, "the leader of term " + hbTerm + " sends heartbeats");
        if (role != Role.LEADER) {
            role = Role.FOLLOWER;
            leaderRid = fromRid;
            leaderSlot = fromSlot;
            lastLeaderContact = now;
            leaderGone = false;
            waitForLeader(now);
            out.add(new AckHeartbeat(fromRid, term));
        }
        return out;
    }

    /** A member answered this leader's heartbeat. */
    public List<Action> onHeartbeatAck(int fromSlot, long ackTerm, long now) {
        List<Action> out = new ArrayList<>();
        if (Long.compareUnsigned(ackTerm, term) > 0) {
            adopt(ackTerm, now, out, "a member has seen term " + ackTerm);
        } else if (role == Role.LEADER && ackTerm == term) {
            lastAck.put(fromSlot, now);
        }
        return out;
    }

    /**
     * The process of member {@code goneRid} is gone (the cluster lost it, or it resigned): if it
     * was the leader, elect a new one soon instead of waiting for the timeout.
     */
    public List<Action> onMemberGone(long goneRid, long now) {
        if (role != Role.LEADER && goneRid == leaderRid) {
            leaderGone = true;
            electionDeadline = Math.min(electionDeadline, now + jitter(timing.quickStartMillis()));
        }
        return List.of();
    }

    /**
     * How many quorum slots have an owner now. Members that unmounted cleanly gave their slots up;
     * a leader whose quorum left that way keeps leading the mounts that remain (a new quorum can
     * still only be elected by a quorum of votes, and elects itself by fencing this leader), while
     * a leader cut off from members that still hold their slots steps down.
     */
    public void heldSlots(int n) {
        heldSlots = n;
    }

    /** This member stops leading on its own (its server failed or it is leaving). */
    public List<Action> resign(long now, String why) {
        return stepDown(now, why);
    }
}
