package org.scoutfs.node.fencing;

/** A node could not be fenced: whoever needed it fenced must not go on as if it were. */
public final class FenceFailedException extends RuntimeException {
    public FenceFailedException(String message) {
        super(message);
    }

    public FenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
