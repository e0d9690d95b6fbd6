package org.scoutfs.node.quorum;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.node.bus.RecordCodec;

/**
 * The election's messages, each one way over a {@link QuorumLink}: requests for (pre-)votes from
 * a candidate to every member and their answers back; the leader's heartbeats to every node
 * (members and the mounts without a slot) and the members' acknowledgements back; and a leader's
 * resignation. Each says who sent it.
 */
public final class QuorumMessages {
    private QuorumMessages() {
    }

    /** A message that names the quorum slot of the member that sent it. */
    public interface FromSlot {
        int slot();
    }

    /** Would the member vote for mount {@code candidate} (slot {@code slot}) in {@code term}? */
    public record PreVoteRequest(long term, long candidate, int slot) implements FromSlot {
    }

    /** Mount {@code candidate} (slot {@code slot}) asks for the member's vote in {@code term}. */
    public record VoteRequest(long term, long candidate, int slot) implements FromSlot {
    }

    /**
     * The answer to a vote request (or, with {@code preVote}, a pre-vote request), with the answering
     * member's term, slot and mount id.
     */
    public record VoteAnswer(long term, boolean granted, int slot, boolean preVote, long from) implements FromSlot {
    }

    /**
     * The leader of {@code term}: mount {@code leader} in slot {@code slot}, at {@code address}.
     * {@code serverUp} once its server answers requests (it may still be recovering).
     */
    public record Heartbeat(long term, long leader, int slot, String address, boolean serverUp) implements FromSlot {
    }

    /** Member of slot {@code slot} (mount {@code from}) heard the heartbeat of {@code term}. */
    public record HeartbeatAck(long term, int slot, long from) implements FromSlot {
    }

    /** Mount {@code leader} stopped leading {@code term} on purpose: elect a successor now. */
    public record Resignation(long term, long leader) {
    }

    /** The mount that sent {@code message}. */
    static long sender(Object message) {
        return switch (message) {
            case PreVoteRequest m -> m.candidate();
            case VoteRequest m -> m.candidate();
            case VoteAnswer m -> m.from();
            case Heartbeat m -> m.leader();
            case HeartbeatAck m -> m.from();
            case Resignation m -> m.leader();
            default -> 0;
        };
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
