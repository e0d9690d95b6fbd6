package org.scoutfs.fuse;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a generous deadline, so that tests do not depend on timing. */
final class Eventually {
    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /** Fails with {@code description} unless {@code condition} holds within {@code timeout}. */
    static void assertThat(Duration timeout, BooleanSupplier condition, String description) {
        if (!within(timeout, condition)) {
            throw new AssertionError("not within " + timeout + ": " + description);
        }
    }

    /** Whether {@code condition} held at some poll within {@code timeout}. */
    static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
