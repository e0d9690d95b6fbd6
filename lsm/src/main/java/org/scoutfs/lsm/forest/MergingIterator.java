package org.scoutfs.lsm.forest;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import org.scoutfs.lsm.btree.Item;

/**
 * Merges sorted item sources into one sorted stream with one item per key: the version with the
 * highest sequence, which may be a deletion marker (callers that want live items skip those).
 */
public final class MergingIterator {
    /** A sorted source of item versions. */
    public interface Source {
        /** The next item without consuming it, or null at the end. */
        Item peek();

        Item next();
    }

    private record Head(Item item, int source) {
    }

    private final List<Source> sources;
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
        int c = a.item.key().compareTo(b.item.key());
        return c != 0 ? c : Integer.compare(a.source, b.source);
    });

    public MergingIterator(List<Source> sources) {
        this.sources = new ArrayList<>(sources);
        for (int i = 0; i < this.sources.size(); i++) {
            Item first = this.sources.get(i).next();
            if (first != null) {
                heads.add(new Head(first, i));
            }
        }
    }

    /** The newest version of the next key, or null at the end. */
    public Item next() {
        Head h = heads.poll();
        if (h == null) {
            return null;
        }
        Item best = h.item;
        refill(h.source);
        while (!heads.isEmpty() && heads.peek().item.key().equals(best.key())) {
            Head same = heads.poll();
            best = Item.newer(best, same.item);
            refill(same.source);
        }
        return best;
    }

    private void refill(int source) {
        Item n = sources.get(source).next();
        if (n != null) {
            heads.add(new Head(n, source));
        }
    }
}
