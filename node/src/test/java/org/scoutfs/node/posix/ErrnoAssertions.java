package org.scoutfs.node.posix;

import org.scoutfs.node.posix.Libc.Errno;
import org.scoutfs.node.posix.Libc.ErrnoException;

/** Assertions on the exact errno of a libc call, so a test reads {@code assertErrno(ENOTEMPTY, () -> rmdir(dir))}. */
final class ErrnoAssertions {
    private ErrnoAssertions() {
    }

    /** A call that may fail with an errno. */
    @FunctionalInterface
    interface ErrnoCall {
        void run() throws Exception;
    }

    /** Fails unless {@code call} throws an {@link ErrnoException} with exactly {@code expected}. */
    static void assertErrno(Errno expected, ErrnoCall call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            if (!e.is(expected)) {
                throw new AssertionError("expected " + expected + " but " + e.getMessage(), e);
            }
            return;
        } catch (Exception e) {
            throw new AssertionError("expected " + expected + " but the call threw " + e, e);
        }
        throw new AssertionError("expected " + expected + " but the call succeeded");
    }
}
