package org.scoutfs.bench.lsm;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Untimed bulk loading for benchmark setups. Both engines take the items in the same order and in
 * the same groups of {@value #ITEMS_PER_WRITE}: one hold for scoutfs, one unsynced write batch for
 * RocksDB. Committing (scoutfs) and flushing (RocksDB) are the caller's choice, because that is
 * what decides the on-disk shape a benchmark starts from.
 */
final class Loader {
    static final int ITEMS_PER_WRITE = 100;

    private Loader() {
    }

    /** Puts items {@code order[from..to)} into the open transaction(s) of {@code store}. */
    static void put(NodeStore store, int[] order, int from, int to) {
        for (int start = from; start < to; start += ITEMS_PER_WRITE) {
            int end = Math.min(to, start + ITEMS_PER_WRITE);
            try (Txn txn = store.hold()) {
                for (int i = start; i < end; i++) {
                    txn.put(Items.key(order[i]), Items.value(order[i]));
                }
            }
        }
    }

    /** Puts items {@code order[from..to)} into the memtable (and unsynced WAL) of {@code rocks}. */
    static void put(ScratchRocksDb rocks, int[] order, int from, int to) {
        try (WriteBatch batch = new WriteBatch()) {
            for (int start = from; start < to; start += ITEMS_PER_WRITE) {
                int end = Math.min(to, start + ITEMS_PER_WRITE);
                batch.clear();
                for (int i = start; i < end; i++) {
                    batch.put(Items.encodedKey(order[i]), Items.value(order[i]));
                }
                rocks.db().write(rocks.unsynced, batch);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB load failed", e);
        }
    }
}
