package org.scoutfs.locking.client;

import java.util.List;

import org.scoutfs.locking.LockRange;

/**
 * The handles of one multi-lock acquisition ({@link LockClient#lockAll}), in range order. Closing
 * it closes every handle, last acquired first.
 */
public final class HeldLocks implements AutoCloseable {
    private final List<LockHandle> handles;

    HeldLocks(List<LockHandle> handles) {
        this.handles = List.copyOf(handles);
    }

    /** The handles in the order they were acquired, which is range order. */
    public List<LockHandle> handles() {
        return handles;
    }

    /** The handle for {@code range}. */
    public LockHandle get(LockRange range) {
        for (LockHandle h : handles) {
            if (h.range().equals(range)) {
                return h;
            }
        }
        throw new IllegalArgumentException("lock " + range + " is not part of this acquisition");
    }

    @Override
    public void close() {
        closeAll(handles);
    }

    static void closeAll(List<LockHandle> handles) {
        for (int i = handles.size() - 1; i >= 0; i--) {
            handles.get(i).close();
        }
    }
}
