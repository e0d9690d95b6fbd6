package org.scoutfs.node.quorum;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;


import org.scoutfs.node.bus.ServerUnreachableException;

/**
 * What a node knows of the leader, from the heartbeats it sends to everyone: the term, who
 * leads it and whether its server is up. Every node watches, members and mounts without a slot
 * alike; the node's server session uses it to find the server and to notice a new one.
 */
public final class LeaderWatch implements AutoCloseable {
    /** The last heartbeat heard, and when (nanoTime). */
    public record Seen(QuorumMessages.Heartbeat heartbeat, long atNanos) {
    }

    private final CopyOnWriteArrayList<LongConsumer> serverListeners = new CopyOnWriteArrayList<>();
    private Seen last;

    /**
     * Watches the heartbeats {@code link} receives. A node without a quorum slot answers them, so
     * the leader knows which nodes can reach it; members answer through their election once
     * {@link #votes()} said so.
     */
    public LeaderWatch(QuorumLink link, long rid) {
        link.receive(m -> {
            if (m instanceof QuorumMessages.Heartbeat hb) {
                heard(hb);
                if (!voter.get()) {
                    link.send(hb.leader(), new QuorumMessages.HeartbeatAck(hb.term(), -1, rid));
                }
            }
        });
    }

    private final java.util.concurrent.atomic.AtomicBoolean voter = new java.util.concurrent.atomic.AtomicBoolean();

    /** The node took a quorum slot: its election answers heartbeats from now on. */
    public void votes() {
        voter.set(true);
    }

    /** A heartbeat heard, or sent by this node's own quorum member. */
    public void heard(QuorumMessages.Heartbeat hb) {
        boolean newServer;
        synchronized (this) {
            QuorumMessages.Heartbeat before = last == null ? null : last.heartbeat();
            if (before != null && Long.compareUnsigned(hb.term(), before.term()) < 0) {
                return; // a deposed leader still talking
            }
            newServer = hb.serverUp() && (before == null || before.term() != hb.term() || !before.serverUp());
            last = new Seen(hb, System.nanoTime());
            notifyAll();
        }
        if (newServer) {
            for (LongConsumer l : serverListeners) {
                l.accept(hb.term());
            }
        }
    }

    /** Calls {@code listener} with the term whenever a leader's server comes up. */
    public void onServerUp(LongConsumer listener) {
        serverListeners.add(listener);
    }

    public synchronized Seen last() {
        return last;
    }

    /**
     * Waits until a leader of at least {@code minTerm} says its server is up, in a heartbeat heard
     * after this call started (so a leader that went silent is not taken for a live one), and
     * returns that heartbeat.
     *
     * @param waiting says, for the exception, what the node waits for
     * @throws ServerUnreachableException if none does within {@code timeout}
     */
    public QuorumMessages.Heartbeat awaitServer(long minTerm, Duration timeout, java.util.function.Supplier<String> waiting)
            throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + timeout.toNanos();
        synchronized (this) {
            while (true) {
                if (last != null && last.atNanos() - since >= 0 && last.heartbeat().serverUp()
                        && Long.compareUnsigned(last.heartbeat().term(), minTerm) >= 0) {
                    return last.heartbeat();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ServerUnreachableException("no server answered for " + timeout.toSeconds() + " s: "
                            + waiting.get());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        serverListeners.clear();
    }
}
