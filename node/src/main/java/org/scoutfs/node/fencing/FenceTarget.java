package org.scoutfs.node.fencing;

import org.scoutfs.lsm.server.ProcessIdentity;

/**
 * A node to fence: a mount that must never write the volume again.
 *
 * @param rid     its mount id
 * @param process its node process
 * @param address its cluster address, empty if it has none
 * @param reason  why: a leader it replaces, a mount that did not come back, a mount that went silent
 */
public record FenceTarget(long rid, ProcessIdentity process, String address, String reason) {
    @Override
    public String toString() {
        return String.format("mount %016x (pid %d on %s%s) because %s", rid, process.pid(), process.host(),
                address.isEmpty() ? "" : ", " + address, reason);
    }
}
