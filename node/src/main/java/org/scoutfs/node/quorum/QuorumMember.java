package org.scoutfs.node.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.vertx.core.Vertx;

import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;

/**
 * A node's seat in the election: drives its {@link Election} with time and with the messages of
 * the other members, persists its votes in its slot's block, and tells its {@link Role} when it
 * wins or loses the leadership. Everything the election does runs on one thread of its own, in
 * order; the link and the timer only hand events over. Durable writes (votes, elected terms)
 * happen on that thread before anything that depends on them is sent. Who the members are is read
 * from the quorum slots every second; heartbeats also go to the mounts without a slot, which
 * {@code everyone} lists.
 */
public final class QuorumMember implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QuorumMember.class.getName());
    private static final long TICK_MILLIS = 20;

    /** What the node does as the leader. Called on threads of its own, never the election's. */
    public interface Role {
        /** This node was elected for {@code term}: fence the predecessors and start the server. */
        void lead(long term);

        /**
         * This node no longer leads {@code term}: stop its server now, and return once it commits
         * nothing more. Called on the election's thread, so it must not wait for long.
         */
        void stopLeading(long term, String why);

        /** True once the server of the term this node leads answers requests. */
        boolean serverUp();
    }

    private final Vertx vertx;
    private final BlockDevice device;
    private final long fsid;
    private final long rid;
    private final int slot;
    private final int usableSlots;
    private final String address;
    private final Role role;
    private final Election election;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("scoutfs-quorum").factory());
    private final ExecutorService roleThread = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("scoutfs-quorum-role").factory());
    private final LeaderWatch watch;
    private final QuorumLink link;
    private final java.util.function.Supplier<java.util.Collection<Long>> everyone;
    /** When each node last answered this node's heartbeats (nanoTime), voters and mounts without a slot. */
    private final java.util.Map<Long, Long> heard = new java.util.concurrent.ConcurrentHashMap<>();
    /** When a message from each other quorum slot last arrived (nanoTime), for reports of a wait. */
    private final java.util.Map<Integer, Long> heardSlots = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final int quorum;
    private volatile int heldSlots;
    /** Owners of the usable slots other than this node, as last read. */
    private volatile List<Long> members = List.of();
    private QuorumSlot block;
    private long timer;
    private long slotTimer;
    private volatile boolean closed;

    /**
     * @param everyone mount ids of every node of the volume's cluster, for heartbeats
     */
    public QuorumMember(Vertx vertx, BlockDevice device, long fsid, QuorumSlot block, int usableSlots,
                        Election.Timing timing, Role role, LeaderWatch watch, QuorumLink link,
                        java.util.function.Supplier<java.util.Collection<Long>> everyone) {
        this.vertx = vertx;
        this.device = device;
        this.fsid = fsid;
        this.rid = block.ownerRid();
        this.slot = block.slot();
        this.usableSlots = usableSlots;
        this.address = block.address();
        this.role = role;
        this.watch = watch;
        this.link = link;
        this.everyone = everyone;
        this.block = block;
        this.quorum = timing.quorum();
        this.election = new Election(rid, slot, timing, RandomGenerator.of("L64X128MixRandom"), block.term(),
                block.votedFor(), now());
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    public int slot() {
        return slot;
    }

    /** Starts taking part. */
    public void start() {
        readMembers();
        link.receive(this::arrived);
        timer = vertx.setPeriodic(TICK_MILLIS, id -> run(() -> election.tick(now())));
        slotTimer = vertx.setPeriodic(1000, id -> run(() -> {
            readMembers();
            return List.of();
        }));
    }

    private void readMembers() {
        int held = 0;
        List<Long> others = new ArrayList<>();
        for (QuorumSlot s : QuorumArea.readAll(device, fsid)) {
            if (s.slot() < usableSlots && !s.isFree()) {
                held++;
                if (s.ownerRid() != rid) {
                    others.add(s.ownerRid());
                    link.knownAt(s.ownerRid(), s.address());
                }
            }
        }
        members = List.copyOf(others);
        heldSlots = held;
        int h = held;
        run(() -> {
            election.heldSlots(h);
            return List.of();
        });
    }

    private void arrived(Object m) {
        if (m instanceof QuorumMessages.FromSlot f && f.slot() != slot) {
            heardSlots.put(f.slot(), System.nanoTime());
        }
        switch (m) {
            case QuorumMessages.PreVoteRequest r -> run(() -> election.onPreVoteRequest(r.candidate(), r.term(), now()));
            case QuorumMessages.VoteRequest r -> run(() -> election.onVoteRequest(r.candidate(), r.term(), r.candidate(), now()));
            case QuorumMessages.VoteAnswer v -> run(() -> v.preVote()
                    ? election.onPreVoteAnswer(v.slot(), v.term(), v.granted(), now())
                    : election.onVoteAnswer(v.slot(), v.term(), v.granted(), now()));
            case QuorumMessages.Heartbeat hb -> run(() -> election.onHeartbeat(hb.term(), hb.leader(), hb.slot(), now()));
            case QuorumMessages.HeartbeatAck a -> {
                heard.put(a.from(), System.nanoTime());
                if (a.slot() >= 0) {
                    run(() -> election.onHeartbeatAck(a.slot(), a.term(), now()));
                }
            }
            case QuorumMessages.Resignation r -> run(() -> election.onMemberGone(r.leader(), now()));
            default -> { }
        }
    }

    /** The process of mount {@code goneRid} left the cluster. */
    public void memberGone(long goneRid) {
        run(() -> election.onMemberGone(goneRid, now()));
    }

    /** Runs an election event on the election's thread and carries out what it decided. */
    private void run(java.util.function.Supplier<List<Election.Action>> event) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                if (closed) {
                    return;
                }
                try {
                    for (Election.Action a : event.get()) {
                        perform(a);
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "quorum slot " + slot + ": election step failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void perform(Election.Action a) {
        switch (a) {
            case Election.Persist p -> persist(block.withVote(p.term(), p.votedFor()));
            case Election.PersistElected e -> persist(block.elected(e.term()));
            case Election.PreVote p -> toMembers(new QuorumMessages.PreVoteRequest(p.term(), rid, slot));
            case Election.RequestVotes v -> toMembers(new QuorumMessages.VoteRequest(v.term(), rid, slot));
            case Election.Answer ans -> link.send(ans.requester(),
                    new QuorumMessages.VoteAnswer(ans.term(), ans.granted(), slot, ans.preVote(), rid));
            case Election.BecomeLeader b -> {
                LOG.log(System.Logger.Level.INFO, "quorum slot {0} (mount {1}) elected leader of term {2}", slot,
                        Long.toHexString(rid), b.term());
                roleThread.execute(() -> role.lead(b.term()));
            }
            case Election.SendHeartbeat h -> {
                var hb = new QuorumMessages.Heartbeat(h.term(), rid, slot, address, role.serverUp());
                watch.heard(hb);
                toEveryone(hb);
            }
            case Election.AckHeartbeat ack -> link.send(ack.leaderRid(), new QuorumMessages.HeartbeatAck(ack.term(), slot, rid));
            case Election.StepDown s -> {
                LOG.log(System.Logger.Level.WARNING, "quorum slot {0} stops leading term {1}: {2}", slot, s.term(), s.why());
                // before anything else is said or voted: a successor may skip fencing this node
                // once the slot records the term as stopped, so its server must be stopped first
                role.stopLeading(s.term(), s.why());
                persist(block.stopped(s.term()));
            }
        }
    }

    /** Writes the slot's block, durably; refuses if the slot no longer belongs to this node. */
    private void persist(QuorumSlot next) {
        QuorumSlot onDisk = QuorumArea.read(device, fsid, slot);
        if (onDisk.ownerRid() != rid || closed) {
            closed = true;
            throw new IllegalStateException("quorum slot " + slot + " was taken by mount "
                    + Long.toHexString(onDisk.ownerRid()) + "; this node stops voting");
        }
        QuorumSlot written = new QuorumSlot(slot, onDisk.writeSeq() + 1, next.ownerRid(), next.ownerPid(),
                next.ownerStart(), next.claimedAt(), next.term(), next.votedFor(), next.electedTerm(),
                next.stoppedTerm(), next.fencedThrough(), next.host(), next.address());
        QuorumArea.write(device, fsid, written);
        block = written;
    }

    /** Sends to every other member; their answers come back as messages of their own. */
    private void toMembers(Object message) {
        for (long m : members) {
            link.send(m, message);
        }
    }

    /** Sends to every other member and every other node of the cluster. */
    private void toEveryone(Object message) {
        java.util.Set<Long> to = new java.util.HashSet<>(members);
        to.addAll(everyone.get());
        to.remove(rid);
        for (long r : to) {
            link.send(r, message);
        }
    }

    /** Sends a heartbeat now if this node leads (its server just came up: the mounts need not wait for the next one). */
    public void heartbeatNow() {
        run(() -> election.role() == Election.Role.LEADER ? List.of(new Election.SendHeartbeat(election.term()))
                : List.of());
    }

    /** Records (on the device) that this node, as leader of {@code term}, fenced every leader up to {@code through}. */
    public void recordFenced(long through) {
        call(() -> persist(block.fencedThrough(through)));
    }

    /**
     * Leaves the election on purpose (a clean unmount). A leader stops its server, records the term
     * as stopped and tells the others, so they elect a successor at once instead of timing out.
     * Then the slot is given up, for the next node to take; this member takes no further part.
     */
    public void resign() {
        long term = call(() -> {
            if (election.role() != Election.Role.LEADER) {
                return 0L;
            }
            long t = election.term();
            election.resign(now(), "leaving");
            return t;
        });
        if (term != 0) {
            role.stopLeading(term, "the leader is unmounting");
        }
        call(() -> {
            if (term != 0) {
                persist(block.stopped(term));
            }
            persist(block.released());
            closed = true;
        });
        if (term != 0) {
            toEveryone(new QuorumMessages.Resignation(term, rid));
        }
    }

    /** The leader could not serve its term: it steps down and the election goes on (possibly electing it again). */
    public void resignLeadership(String why) {
        run(() -> election.role() == Election.Role.LEADER ? election.resign(now(), why) : List.of());
    }

    /**
     * True if the node of mount {@code other} answered this node's heartbeats within {@code millis}:
     * it can reach this leader now, whatever the cluster membership says.
     */
    public boolean heardFrom(long other, long millis) {
        Long at = heard.get(other);
        return at != null && System.nanoTime() - at < millis * 1_000_000;
    }

    /**
     * What an election waits for, in words for someone watching a mount that does not come up:
     * how many votes a leader needs and which other slots this node hears.
     */
    public String waitReport() {
        long now = System.nanoTime();
        List<Integer> live = heardSlots.entrySet().stream()
                .filter(e -> now - e.getValue() < TimeUnit.SECONDS.toNanos(5)).map(java.util.Map.Entry::getKey).toList();
        return "this node holds quorum slot " + slot + "; a leader needs " + quorum + " vote" + (quorum == 1 ? "" : "s")
                + " and " + heldSlots + " of " + usableSlots + " slots are taken; "
                + (live.isEmpty() ? "no other slot's node is heard" : "heard from slot" + (live.size() == 1 ? " " : "s ")
                        + live.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
    }

    /** A snapshot of the election, for status reports. */
    public record Status(int slot, Election.Role role, long term, int leaderSlot) {
    }

    public Status status() {
        return call(() -> new Status(slot, election.role(), election.term(), election.leaderSlot()));
    }

    private <T> T call(java.util.concurrent.Callable<T> c) {
        try {
            return thread.submit(c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("quorum slot " + slot + ": " + e, e);
        }
    }

    private void call(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(timer);
        vertx.cancelTimer(slotTimer);
        thread.shutdown();
        roleThread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
