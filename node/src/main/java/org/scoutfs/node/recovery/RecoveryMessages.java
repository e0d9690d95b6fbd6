package org.scoutfs.node.recovery;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.node.bus.RecordCodec;

/** What mounts and the leader say to each other to tell who is still there. */
public final class RecoveryMessages {
    private RecoveryMessages() {
    }

    public static final String KEEPALIVE = "keepalive";

    /** Mount {@code rid} is alive and connected to this server. */
    public record KeepAlive(long rid) {
    }

    /** The leader's answer to a keepalive. */
    public record StillServing(long term) {
    }

    static final List<Class<? extends Record>> TYPES = List.of(KeepAlive.class, StillServing.class);

    /** Every message type, for the cluster hash. */
    public static List<Class<? extends Record>> wireTypes() {
        return TYPES;
    }

    public static void registerCodecs(EventBus bus) {
        RecordCodec.registerAll(bus, TYPES);
    }
}
