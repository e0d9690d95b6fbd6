package org.scoutfs.lsm.server;

/**
 * How a server proves that it may still write the volume. A server is started for one election
 * term and stamps that term into every super block it writes; before each commit writes anything
 * it asks {@link #checkStillLeader()}, which looks at the device for a newer elected term. A server
 * whose leader was deposed, even one that has not noticed (it was frozen, or cut off), therefore
 * refuses to commit instead of writing over its successor.
 *
 * <p>The check narrows the window but cannot close it alone: a process frozen between the check
 * and its write would still write. That window is closed by fencing: a new leader makes sure its
 * predecessor is gone before its own server starts.
 */
public interface Leadership {
    /** The election term this server was started for. */
    long term();

    /**
     * Throws {@link org.scoutfs.lsm.NotServingException} if a leader of a newer term has been
     * elected since this one. Reads the device; called before every commit.
     */
    void checkStillLeader();

    /**
     * For a process that holds the volume to itself (tools, tests, the embedded {@code Volume}):
     * there is no election, so the term is that of the last server, and nobody can depose it.
     */
    static Leadership exclusive(long lastTerm) {
        return new Leadership() {
            @Override
            public long term() {
                return lastTerm;
            }

            @Override
            public void checkStillLeader() {
            }
        };
    }
}
