package org.scoutfs.fuse;

import java.time.Duration;
import java.util.Objects;

/**
 * Attributes returned by getattr and setattr, with how long the kernel may cache them.
 *
 * @param attributes the current attributes of the inode
 * @param timeout how long the kernel may answer {@code stat} from its cache; a clustered
 *     filesystem that invalidates through {@link FuseNotifier} can afford long timeouts
 */
public record AttrReply(FileAttributes attributes, Duration timeout) {

    public AttrReply {
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout cannot be negative");
        }
    }
}
