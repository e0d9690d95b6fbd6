package org.scoutfs.node.bus;

/**
 * The leader holds back a quorum member's farewell: without this node's vote the mounts that stay
 * could not elect a server. The node keeps voting and asks again; the message says who it waits for.
 */
public final class FarewellHeldException extends RuntimeException {
    public FarewellHeldException(String message) {
        super(message);
    }
}
