package org.scoutfs.lsm.txn;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.scoutfs.lsm.alloc.NodeAllocator;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.forest.MergingIterator;
import org.scoutfs.lsm.format.Key;

/**
 * The items one transaction changed, in memory until its commit writes them into the node's log
 * tree. A later change of a key in the same transaction replaces the earlier one.
 */
final class Memtable {
    final long seq;
    final NodeAllocator.Ledger ledger = new NodeAllocator.Ledger();
    private final ConcurrentSkipListMap<Key, Item> items = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong maxItemSeq = new AtomicLong();
    private final AtomicLong inodeCountDelta = new AtomicLong();

    Memtable(long seq) {
        this.seq = seq;
    }

    void put(Item item) {
        Item old = items.put(item.key(), item);
        bytes.addAndGet(cost(item) - (old == null ? 0 : cost(old)));
        maxItemSeq.accumulateAndGet(item.seq(), Math::max);
    }

    private static long cost(Item item) {
        return 64 + item.value().length;
    }

    Item get(Key key) {
        return items.get(key);
    }

    boolean isEmpty() {
        return items.isEmpty() && inodeCountDelta.get() == 0;
    }

    /** Changed nothing at all: no items, no inode count, no blocks allocated or freed. */
    boolean unused() {
        return isEmpty() && ledger.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    int count() {
        return items.size();
    }

    long maxItemSeq() {
        return maxItemSeq.get();
    }

    void addInodeCount(long delta) {
        inodeCountDelta.addAndGet(delta);
    }

    long inodeCountDelta() {
        return inodeCountDelta.get();
    }

    Iterable<Item> all() {
        return items.values();
    }

    /** The changed items with keys in [from, to], as a merge source. */
    MergingIterator.Source source(Key from, Key to) {
        Iterator<Map.Entry<Key, Item>> it = items.subMap(from, true, to, true).entrySet().iterator();
        return new MergingIterator.Source() {
            private Item peeked;

            @Override
            public Item peek() {
                if (peeked == null && it.hasNext()) {
                    peeked = it.next().getValue();
                }
                return peeked;
            }

            @Override
            public Item next() {
                Item n = peek();
                peeked = null;
                return n;
            }
        };
    }
}
