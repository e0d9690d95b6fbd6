package org.scoutfs.node.openmap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.RecordCodec;
import org.scoutfs.node.fs.InodeUse;
import org.scoutfs.node.membership.Member;
import org.scoutfs.node.membership.Membership;

/**
 * The open map: which inodes the other nodes of the volume have open. Asked before an unlinked
 * inode is deleted; every other member answers from its own open counts. There is no central
 * record to keep up to date on every open and close: the question is rare (a deletion, an orphan
 * scan) and the answer is only needed then.
 *
 * <p>A member that does not answer in time is counted as having everything open, so a frozen or
 * cut-off node only delays deletions (its orphans stay until it answers or is declared gone).
 * Nodes that join after the question was asked cannot have the inode open: it has no name left to
 * open it by.
 */
public final class OpenMap implements InodeUse, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenMap.class.getName());
    public static final String INODES_OPEN = "inodesOpen";

    /** Which of {@code inos} do you have open? */
    public record InodesOpen(List<Long> inos) {
        public InodesOpen {
            inos = List.copyOf(inos);
        }
    }

    /** The ones the asked node has open. */
    public record OpenHere(List<Long> inos) {
        public OpenHere {
            inos = List.copyOf(inos);
        }
    }

    private final Vertx vertx;
    private final long fsid;
    private final long rid;
    private final Membership membership;
    private final DeliveryOptions ask;
    private volatile Function<List<Long>, List<Long>> openHere = inos -> List.of();
    private MessageConsumer<Object> consumer;

    public OpenMap(Vertx vertx, long fsid, long rid, Membership membership, Duration timeout) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.rid = rid;
        this.membership = membership;
        this.ask = new DeliveryOptions().setSendTimeout(timeout.toMillis());
        RecordCodec.registerAll(vertx.eventBus(), List.of(InodesOpen.class, OpenHere.class));
        org.scoutfs.node.bus.Ping.registerCodec(vertx.eventBus());
    }

    /** How this node answers: the ones of a list it has open. */
    public void answerWith(Function<List<Long>, List<Long>> openHere) {
        this.openHere = openHere;
    }

    public Future<Void> start() {
        consumer = vertx.eventBus().consumer(Addresses.node(fsid, rid, INODES_OPEN), msg -> {
            switch (msg.body()) {
                case InodesOpen q -> msg.reply(new OpenHere(openHere.apply(q.inos())));
                case org.scoutfs.node.bus.Ping p -> msg.reply(p);
                default -> msg.fail(1, "unexpected " + msg.body());
            }
        });
        return consumer.completion();
    }

    @Override
    public Set<Long> openElsewhere(List<Long> inos) {
        if (inos.isEmpty()) {
            return Set.of();
        }
        List<Member> others = new ArrayList<>();
        for (Member m : membership.members()) {
            if (m.rid() != rid) {
                others.add(m);
            }
        }
        if (others.isEmpty()) {
            return Set.of();
        }
        List<java.util.concurrent.CompletableFuture<io.vertx.core.eventbus.Message<OpenHere>>> asked = new ArrayList<>();
        for (Member m : others) {
            asked.add(vertx.eventBus().<OpenHere>request(Addresses.node(fsid, m.rid(), INODES_OPEN), new InodesOpen(inos), ask)
                    .toCompletionStage().toCompletableFuture());
        }
        Set<Long> open = new HashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            try {
                open.addAll(asked.get(i).get(ask.getSendTimeout() + 1000, TimeUnit.MILLISECONDS).body().inos());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.INFO, "mount {0} did not say which inodes it has open ({1}); keeping them",
                        Long.toHexString(others.get(i).rid()), e.toString());
                return new HashSet<>(inos);
            }
        }
        return open;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.unregister();
        }
    }
}
