package org.scoutfs.lsm.btree;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.testing.Seeds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copy-on-write sessions against a {@link TreeMap}: after every session the tree holds exactly
 * the model, and the blocks reachable from the root are exactly those allocated and not freed.
 */
class BtreeWriterTest {
    /**
     * Hands out block numbers, reusing freed ones only after the session that freed them, and
     * checks nothing is freed twice or leaks.
     */
    static final class CountingAllocator implements BtreeWriter.Allocator {
        long next = 2;
        final Set<Long> live = new HashSet<>();
        final java.util.ArrayDeque<Long> reusable = new java.util.ArrayDeque<>();
        final java.util.List<Long> freedThisSession = new java.util.ArrayList<>();

        @Override
        public long allocMeta() {
            long b = reusable.isEmpty() ? next++ : reusable.poll();
            live.add(b);
            return b;
        }

        @Override
        public void freeMeta(long blkno) {
            assertThat(live.remove(blkno)).as("free of block %d that is not live", blkno).isTrue();
            freedThisSession.add(blkno);
        }

        void sessionDone() {
            reusable.addAll(freedThisSession);
            freedThisSession.clear();
        }
    }

    private static void check(MetaBlocks blocks, BtreeRoot root, TreeMap<Key, byte[]> model, CountingAllocator alloc,
                              Random r) {
        Set<Long> reachable = new HashSet<>();
        BtreeReader.visitBlocks(blocks, root, ref -> assertThat(reachable.add(ref.blkno())).isTrue());
        assertThat(reachable).isEqualTo(alloc.live);
        BtreeCursor c = BtreeReader.cursor(blocks, root, Key.MIN, Key.MAX);
        for (Map.Entry<Key, byte[]> e : model.entrySet()) {
            Item item = c.next();
            assertThat(item).isNotNull();
            assertThat(item.key()).isEqualTo(e.getKey());
            assertThat(item.value()).isEqualTo(e.getValue());
        }
        assertThat(c.next()).isNull();
        for (int i = 0; i < 200 && !model.isEmpty(); i++) {
            Key k = new Key(16, r.nextInt(200_000), 4);
            Map.Entry<Key, byte[]> from = model.ceilingEntry(k);
            Item got = BtreeReader.get(blocks, root, k);
            if (model.containsKey(k)) {
                assertThat(got.value()).isEqualTo(model.get(k));
            } else {
                assertThat(got).isNull();
            }
            if (from != null) {
                BtreeCursor range = BtreeReader.cursor(blocks, root, k, from.getKey());
                assertThat(range.next().key()).isEqualTo(from.getKey());
                assertThat(range.next()).isNull();
            }
        }
    }

    @Test
    void growsToThreeLevelsAndShrinksToNothing() {
        long seed = Seeds.seed();
        Seeds.run(seed, "btree sessions", () -> {
            Random r = new Random(seed);
            MemoryBlockDevice dev = new MemoryBlockDevice("mem", 1L << 30);
            MetaBlocks blocks = new MetaBlocks(dev, 42, new BlockCache(512));
            CountingAllocator alloc = new CountingAllocator();
            TreeMap<Key, byte[]> model = new TreeMap<>();
            BtreeRoot root = BtreeRoot.EMPTY;
            long seq = 1;
            int maxHeight = 0;
            // grow: big values make many leaves quickly
            for (int session = 0; session < 9; session++) {
                BtreeWriter w = new BtreeWriter(blocks, root, seq++, alloc);
                for (int i = 0; i < 5000; i++) {
                    Key k = new Key(16, r.nextInt(200_000), 4);
                    byte[] v = new byte[2000 + r.nextInt(1000)];
                    r.nextBytes(v);
                    w.put(k, seq, v);
                    model.put(k, v);
                }
                for (int i = 0; i < 300; i++) {
                    Key k = new Key(16, r.nextInt(200_000), 4);
                    assertThat(w.delete(k)).isEqualTo(model.remove(k) != null);
                }
                BtreeWriter.Result res = w.finish();
                blocks.write(res.blocks());
                alloc.sessionDone();
                root = res.root();
                maxHeight = Math.max(maxHeight, root.height());
                check(blocks, root, model, alloc, r);
            }
            assertThat(maxHeight).isGreaterThanOrEqualTo(3);
            // shrink: delete everything in random order over several sessions
            while (!model.isEmpty()) {
                BtreeWriter w = new BtreeWriter(blocks, root, seq++, alloc);
                int n = Math.min(model.size(), 7000);
                for (int i = 0; i < n; i++) {
                    Key k = model.ceilingKey(new Key(16, r.nextInt(200_000), 4));
                    if (k == null) {
                        k = model.firstKey();
                    }
                    assertThat(w.delete(k)).isTrue();
                    model.remove(k);
                }
                BtreeWriter.Result res = w.finish();
                blocks.write(res.blocks());
                alloc.sessionDone();
                root = res.root();
                check(blocks, root, model, alloc, r);
            }
            assertThat(root.isEmpty()).isTrue();
            assertThat(alloc.live).isEmpty();
        });
    }

    @Test
    void deletionMarkersKeepTheirSequenceAndHideNothingByThemselves() {
        MemoryBlockDevice dev = new MemoryBlockDevice("mem", 64L << 20);
        MetaBlocks blocks = new MetaBlocks(dev, 7, new BlockCache(64));
        CountingAllocator alloc = new CountingAllocator();
        BtreeWriter w = new BtreeWriter(blocks, BtreeRoot.EMPTY, 5, alloc);
        Key a = new Key(16, 1, 4);
        w.put(a, 9, new byte[] {1});
        w.putDeletion(a, 11);
        BtreeWriter.Result res = w.finish();
        blocks.write(res.blocks());
        Item got = BtreeReader.get(blocks, res.root(), a);
        assertThat(got.deletion()).isTrue();
        assertThat(got.seq()).isEqualTo(11);
    }
}
