package org.scoutfs.lsm.testing;

/**
 * Seeds for randomized tests: {@code -Dscoutfs.seed=N} replays a run, otherwise each run picks a
 * new seed. Tests put the seed (and the step that failed) in their failure message.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long seed() {
        String fixed = System.getProperty("scoutfs.seed");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime() ^ 0x5DEECE66DL;
    }

    /** Runs {@code body}; a failure is rethrown with the seed and the replay command in its message. */
    public static void run(long seed, String what, ThrowingRunnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            throw new AssertionError(what + " failed with seed " + seed + " (replay with -Dscoutfs.seed=" + seed + "): "
                    + t, t);
        }
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
