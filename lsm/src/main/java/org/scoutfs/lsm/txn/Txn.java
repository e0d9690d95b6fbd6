package org.scoutfs.lsm.txn;

import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;

/**
 * A hold on the node's open transaction. Every change made through one hold lands in the same
 * transaction, so an operation that changes several items (an inode and its directory entries)
 * commits all of them or none. A commit waits for holds to be released before it freezes the
 * transaction, so keep holds short and never wait for a commit while holding one.
 */
public final class Txn implements AutoCloseable {
    private final NodeStore store;
    private final Memtable mem;
    private boolean closed;

    Txn(NodeStore store, Memtable mem) {
        this.store = store;
        this.mem = mem;
    }

    /** The transaction's sequence: the seq of every item it writes, unless a lock demands higher. */
    public long seq() {
        return mem.seq;
    }

    public void put(Key key, byte[] value) {
        put(key, value, 0);
    }

    /**
     * Writes {@code key} with a sequence of at least {@code minSeq}; a cluster lock's write
     * sequence goes here so a later lock holder's items outrank an earlier holder's.
     */
    public void put(Key key, byte[] value, long minSeq) {
        check();
        if (value.length > Format.MAX_VALUE_LEN) {
            throw new IllegalArgumentException("item value of " + value.length + " bytes exceeds " + Format.MAX_VALUE_LEN);
        }
        mem.put(Item.put(key, Math.max(mem.seq, minSeq), value.clone()));
    }

    /** Deletes {@code key}: a marker hides older versions in every tree until a merge drops it. */
    public void delete(Key key) {
        delete(key, 0);
    }

    public void delete(Key key, long minSeq) {
        check();
        mem.put(Item.deletion(key, Math.max(mem.seq, minSeq)));
    }

    /** Reads through this transaction's own changes and everything committed. */
    public byte[] get(Key key) {
        check();
        return store.get(key);
    }

    /** Up to {@code maxBlocks} contiguous data blocks, owned by this transaction until it commits. */
    public Extent allocData(long maxBlocks) {
        check();
        return store.allocator().allocData(mem.ledger, maxBlocks);
    }

    /** Frees data blocks once this transaction is committed. */
    public void freeData(Extent e) {
        check();
        store.allocator().freeData(mem.ledger, e);
    }

    /**
     * Extents freed in this transaction so far, by every holder, counted as its commit will report
     * them to the server. The server checks and records each one in its own commit.
     */
    public int freedExtents() {
        check();
        return store.allocator().freedExtents(mem.ledger);
    }

    /** Changes the volume's inode count with this transaction. */
    public void addInodeCount(long delta) {
        check();
        mem.addInodeCount(delta);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("transaction hold already released");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.release();
        }
    }
}
