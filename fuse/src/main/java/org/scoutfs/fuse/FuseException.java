package org.scoutfs.fuse;

import java.io.Serial;
import java.util.Objects;

/**
 * The one exception a {@link FuseFileSystem} operation throws to fail a request with an errno.
 *
 * <p>The session turns it into the negative errno reply the kernel expects; the filesystem never
 * builds errno integers itself. Any other exception escaping an operation is a bug in the
 * filesystem: the session logs it and replies {@link Errno#EIO}.
 *
 * <p>Expected failures such as {@link Errno#ENOENT} from a lookup are common and cheap: the
 * exception does not fill in its stack trace unless a cause is given.
 */
public final class FuseException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    /** A failure with no further detail, typical for ENOENT, EEXIST, ENODATA and the like. */
    public FuseException(Errno errno) {
        this(errno, errno.name(), null);
    }

    /** A failure with a message for the log; the kernel only ever sees the errno. */
    public FuseException(Errno errno, String message) {
        this(errno, message, null);
    }

    /** A failure caused by another exception, for example an I/O error from the block layer. */
    public FuseException(Errno errno, String message, Throwable cause) {
        super(message, cause, false, cause != null);
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /** The errno that will be sent to the kernel. */
    public Errno errno() {
        return errno;
    }
}
