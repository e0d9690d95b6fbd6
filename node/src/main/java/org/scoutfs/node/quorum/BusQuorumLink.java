package org.scoutfs.node.quorum;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.node.bus.Addresses;

/** Election messages between nodes of one process, over its local event bus. */
public final class BusQuorumLink implements QuorumLink {
    private final Vertx vertx;
    private final long fsid;
    private final List<Consumer<Object>> receivers = new CopyOnWriteArrayList<>();
    private final MessageConsumer<Object> consumer;

    private BusQuorumLink(Vertx vertx, long fsid, long rid) {
        this.vertx = vertx;
        this.fsid = fsid;
        QuorumMessages.registerCodecs(vertx.eventBus());
        this.consumer = vertx.eventBus().consumer(Addresses.quorumNode(fsid, rid), m -> {
            for (Consumer<Object> r : receivers) {
                r.accept(m.body());
            }
        });
    }

    public static Future<BusQuorumLink> start(Vertx vertx, long fsid, long rid) {
        BusQuorumLink link = new BusQuorumLink(vertx, fsid, rid);
        return link.consumer.completion().map(v -> link);
    }

    @Override
    public void receive(Consumer<Object> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void send(long rid, Object message) {
        vertx.eventBus().send(Addresses.quorumNode(fsid, rid), message);
    }

    @Override
    public void close() {
        consumer.unregister();
    }
}
