package org.scoutfs.node.bus;

/** No server answered in time: it is down, moving to another node, or overloaded. Retry later. */
public final class ServerUnreachableException extends RuntimeException {
    public ServerUnreachableException(String message) {
        super(message);
    }
}
