package org.scoutfs.node.bus;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.lsm.testing.Batches;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.node.recovery.FarewellGate;
import org.scoutfs.node.verticle.ServerEndpointVerticle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's store working against the server through the event bus, as every node does. */
class ServerOverBusTest {
    /** The mount id of the node whose endpoint serves the server. */
    static final long LEADER = 0x1ead;
    Vertx vertx;
    MemoryBlockDevice dev;
    MetaBlocks blocks;
    VolumeServer server;
    SuperBlock sb;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        dev = new MemoryBlockDevice("mem", 128L << 20);
        Mkfs.format(dev, null, new Mkfs.Options(1, 0, false));
        sb = Supers.readNewest(dev);
        blocks = new MetaBlocks(dev, sb.fsid(), new BlockCache(256));
        server = VolumeServer.startExclusive(blocks, sb, VolumeServer.Options.defaults(sb).withFinalizeBlocks(3));
        ServerEndpointVerticle endpoint = new ServerEndpointVerticle(sb.fsid(), LEADER);
        vertx.deployVerticle(endpoint).toCompletionStage().toCompletableFuture().get();
        // one mount, no quorum slots: every farewell goes through at once
        FarewellGate farewells = new FarewellGate(new FarewellGate.Volume() {
            @Override
            public Set<Long> mounted() {
                return Set.of();
            }

            @Override
            public Set<Long> voters() {
                return Set.of();
            }

            @Override
            public void leave(long rid) {
                server.farewell(rid);
            }
        }, 1, System::nanoTime, 0, 0);
        endpoint.serve(new ServerEndpointVerticle.Serving(server.term(), server, null, rid -> { }, farewells));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void nodeCommitsAndReadsThroughTheBus() {
        ServerApi api = new EventBusServerApi(vertx, sb.fsid(), LEADER, server.term(), Duration.ofSeconds(30));
        TreeMap<Key, byte[]> model = new TreeMap<>();
        try (NodeStore store = NodeStore.join(Volume.localClient(77), api, blocks, NodeStore.Options.defaults(), 64, 1024)) {
            for (Item item : store.scan(Key.MIN, Key.MAX, Integer.MAX_VALUE)) {
                model.put(item.key(), item.value());
            }
            for (int b = 0; b < 20; b++) {
                Batches.apply(store, 3, b);
                Batches.apply(model, 3, b);
                store.sync();
            }
            assertThat(store.logTree().nr()).as("the server finalized full trees").isGreaterThan(1);
            List<Item> all = store.scan(Key.MIN, Key.MAX, Integer.MAX_VALUE);
            assertThat(all).hasSize(model.size());
            for (Item item : all) {
                assertThat(item.value()).isEqualTo(model.get(item.key()));
            }
            assertThat(api.allocInodes(77, 10).first()).isGreaterThanOrEqualTo(1024);
            assertThat(api.usage(0).totalMetaBlocks()).isEqualTo(sb.totalMetaBlocks());
        }
    }

    @Test
    void serverFailuresArriveAsTheSameExceptionTypes() {
        ServerApi api = new EventBusServerApi(vertx, sb.fsid(), LEADER, server.term(), Duration.ofSeconds(30));
        assertThatThrownBy(() -> api.grant(12345, 1, 1, 1, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a log tree");
        assertThatThrownBy(() -> api.allocInodes(1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inode count 0");
    }

    @Test
    void aServerOfAnotherVolumeIsNotReached() {
        ServerApi wrong = new EventBusServerApi(vertx, sb.fsid() + 1, LEADER, server.term(), Duration.ofMillis(300));
        assertThatThrownBy(wrong::getRoots).isInstanceOf(ServerUnreachableException.class);
        ServerApi later = new EventBusServerApi(vertx, sb.fsid(), LEADER, server.term() + 1, Duration.ofMillis(300));
        assertThatThrownBy(later::getRoots).as("a node serves only the term it leads")
                .isInstanceOf(org.scoutfs.lsm.NotServingException.class).hasMessageContaining("does not serve term");
    }

    @Test
    void messagesSurviveTheWireEncoding() {
        ServerApi.LogTreeCommit c = new ServerApi.LogTreeCommit(1, 2, 3, new BtreeRoot(new BlockRef(9, 8), 2),
                new BlockRef(5, 6), 7, 11, List.of(new Extent(100, 5)), List.of(), List.of(new Extent(3, 1)),
                List.of(new Extent(7000, 64), new Extent(9000, 1)), -4, true);
        RecordCodec<ServerApi.LogTreeCommit> codec = new RecordCodec<>(ServerApi.LogTreeCommit.class);
        Buffer wire = Buffer.buffer();
        wire.appendString("junk");
        codec.encodeToWire(wire, c);
        assertThat(codec.decodeFromWire(4, wire)).isEqualTo(c);
        ServerApi.TransOpen open = new ServerApi.TransOpen(42);
        RecordCodec<ServerApi.TransOpen> openCodec = new RecordCodec<>(ServerApi.TransOpen.class);
        Buffer b = Buffer.buffer();
        openCodec.encodeToWire(b, open);
        assertThat(openCodec.decodeFromWire(0, b)).isEqualTo(open);
    }
}
