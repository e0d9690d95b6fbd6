package org.scoutfs.bench.lsm;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * A scoutfs volume holding {@value #ITEMS} committed items, for the read benchmarks.
 *
 * <p>The items go in shuffled, {@value #ITEMS_PER_COMMIT} per commit, as many writers creating
 * files all over the namespace would; the server finalizes the node's log tree each time it
 * reaches its size threshold, which leaves about ten log trees whose key ranges all overlap.
 * {@code layout} then decides what a reader finds:
 * <ul>
 *   <li>{@code merged}: everything merged into the fs root, so a lookup walks one B-tree;</li>
 *   <li>{@code unmerged}: the log trees left as they are, so a lookup may walk several, newest
 *       first, and a scan merges all of them. Bloom blocks cannot help here because every tree
 *       holds items of every lock group — the worst case for reads before a merge.</li>
 * </ul>
 * Setup finally reads every item once so that the measured reads start with warm caches.
 */
@State(Scope.Benchmark)
public class LoadedScoutfs {
    static final int ITEMS = 1_000_000;
    static final int ITEMS_PER_COMMIT = 20_000;
    /** Both engines load the same permutation. */
    static final long LOAD_SEED = 0x5C0F75L;

    @Param({"merged", "unmerged"})
    public String layout;

    private ScratchVolume volume;

    @Setup(Level.Trial)
    public void load() {
        volume = ScratchVolume.create(ScratchVolume.baseOptions());
        NodeStore store = volume.store();
        int[] order = Items.shuffled(ITEMS, LOAD_SEED);
        long started = System.nanoTime();
        for (int from = 0; from < ITEMS; from += ITEMS_PER_COMMIT) {
            Loader.put(store, order, from, Math.min(ITEMS, from + ITEMS_PER_COMMIT));
            store.commit();
        }
        long loaded = System.nanoTime();
        switch (layout) {
            case "merged" -> volume.volume().mergeNow();
            case "unmerged" -> { } // leave the log trees for the reads to search
            default -> throw new IllegalArgumentException("layout must be merged or unmerged: " + layout);
        }
        long shaped = System.nanoTime();
        for (int i = 0; i < ITEMS; i++) {
            if (store.get(Items.key(i)) == null) {
                throw new IllegalStateException("item " + i + " is missing after the load");
            }
        }
        System.out.printf("%nscoutfs %s: loaded %,d items in %.1f s, %s in %.1f s, warmed in %.1f s;"
                        + " reads consult %d log tree(s) and the fs root, %,d blocks (%d MiB) in all%n",
                layout, ITEMS, (loaded - started) / 1e9, layout.equals("merged") ? "merged" : "left unmerged",
                (shaped - loaded) / 1e9, (System.nanoTime() - shaped) / 1e9, volume.logTreeCount(), volume.itemBlocks(),
                volume.itemBlocks() * Format.META_BLOCK_SIZE >> 20);
    }

    NodeStore store() {
        return volume.store();
    }

    @TearDown(Level.Trial)
    public void close() {
        if (volume != null) {
            volume.close();
        }
    }
}
