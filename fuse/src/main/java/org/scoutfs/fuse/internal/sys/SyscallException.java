package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.io.Serial;
import org.scoutfs.fuse.Errno;

/** A libc call failed; carries the call's name and the raw errno it set. */
public final class SyscallException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int errno;

    public SyscallException(String call, int errno) {
        super(call + " failed: " + describe(errno));
        this.errno = errno;
    }

    /** The raw errno number. */
    public int errnoCode() {
        return errno;
    }

    /** The errno as an enum constant ({@link Errno#EIO} if the number is not listed). */
    public Errno errno() {
        return Errno.of(errno);
    }

    /** Whether the call failed with exactly {@code expected}. */
    public boolean is(Errno expected) {
        return errno == expected.code();
    }

    private static String describe(int errno) {
        return Errno.isKnown(errno) ? Errno.of(errno).name() + " (" + errno + ")" : "errno " + errno;
    }
}
