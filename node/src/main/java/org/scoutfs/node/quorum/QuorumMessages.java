package org.scoutfs.node.quorum;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.node.bus.RecordCodec;

/**
 * The election on the bus. Vote and pre-vote requests go to a slot owner's address and are
 * answered; heartbeats are published to every node (members and the mounts without a slot), and
 * members answer the leader's with an acknowledgement to its slot address.
 */
public final class QuorumMessages {
    private QuorumMessages() {
    }

    /** Would the member vote for mount {@code candidate} (slot {@code slot}) in {@code term}? */
    public record PreVoteRequest(long term, long candidate, int slot) {
    }

    /** Mount {@code candidate} (slot {@code slot}) asks for the member's vote in {@code term}. */
    public record VoteRequest(long term, long candidate, int slot) {
    }

    /** The answer to either request, with the answering member's term and slot. */
    public record VoteAnswer(long term, boolean granted, int slot) {
    }

    /**
     * The leader of {@code term}: mount {@code leader} in slot {@code slot}, at {@code address}.
     * {@code serverUp} once its server answers requests (it may still be recovering).
     */
    public record Heartbeat(long term, long leader, int slot, String address, boolean serverUp) {
    }

    /** Member of slot {@code slot} heard the heartbeat of {@code term}. */
    public record HeartbeatAck(long term, int slot) {
    }

    /** Mount {@code leader} stopped leading {@code term} on purpose: elect a successor now. */
    public record Resignation(long term, long leader) {
    }

    static final List<Class<? extends Record>> TYPES = List.of(PreVoteRequest.class, VoteRequest.class,
            VoteAnswer.class, Heartbeat.class, HeartbeatAck.class, Resignation.class);

    /** Every message type, for the cluster hash. */
    public static List<Class<? extends Record>> wireTypes() {
        return TYPES;
    }

    public static void registerCodecs(EventBus bus) {
        RecordCodec.registerAll(bus, TYPES);
    }
}
