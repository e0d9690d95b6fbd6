package org.scoutfs.node.bus;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

/**
 * Sent now and then to every fixed address of every other node, and answered (or ignored) by the
 * endpoint: it keeps the cluster's routing of the address known to the sender, so that a request
 * in a failover needs no lookup (see {@link Addresses}).
 */
public record Ping() {
    public static void registerCodec(EventBus bus) {
        RecordCodec.registerAll(bus, List.of(Ping.class));
    }
}
