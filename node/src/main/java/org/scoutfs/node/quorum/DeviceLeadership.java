package org.scoutfs.node.quorum;

import org.scoutfs.lsm.NotServingException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.server.Leadership;

/**
 * A leader's proof, read from the quorum slots on the device before every server commit: no
 * other slot has been elected in a newer term, and its own slot still belongs to it and does not
 * record its term as stopped.
 */
public final class DeviceLeadership implements Leadership {
    private final BlockDevice device;
    private final long fsid;
    private final int slot;
    private final long rid;
    private final long term;

    public DeviceLeadership(BlockDevice device, long fsid, int slot, long rid, long term) {
        this.device = device;
        this.fsid = fsid;
        this.slot = slot;
        this.rid = rid;
        this.term = term;
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public void checkStillLeader() {
        for (QuorumSlot s : QuorumArea.readAll(device, fsid)) {
            if (s.slot() == slot) {
                if (s.ownerRid() != rid) {
                    throw new NotServingException("quorum slot " + slot + " now belongs to mount "
                            + Long.toHexString(s.ownerRid()));
                }
                if (Long.compareUnsigned(s.stoppedTerm(), term) >= 0) {
                    throw new NotServingException("quorum slot " + slot + " records term " + term + " as stopped");
                }
            } else if (Long.compareUnsigned(s.electedTerm(), term) > 0) {
                throw new NotServingException("deposed: quorum slot " + s.slot() + " was elected in term "
                        + s.electedTerm() + ", after this leader's term " + term);
            }
        }
    }
}
