package org.scoutfs.node;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.node.bus.LockMessages;
import org.scoutfs.node.bus.RecordCodec;
import org.scoutfs.node.bus.ServerMessages;
import org.scoutfs.node.openmap.OpenMap;
import org.scoutfs.node.quorum.QuorumMessages;
import org.scoutfs.node.recovery.RecoveryMessages;

/**
 * What two nodes must agree on to share a volume: the on-disk format and the shape of every
 * message they exchange, digested into one number. Each node announces it when it joins the
 * cluster; a node that finds another with a different digest refuses to mount.
 */
public final class ClusterHash {
    private ClusterHash() {
    }

    public static long of() {
        List<Class<? extends Record>> types = new ArrayList<>();
        types.addAll(ServerMessages.wireTypes());
        types.addAll(LockMessages.wireTypes());
        types.addAll(QuorumMessages.wireTypes());
        types.addAll(RecoveryMessages.wireTypes());
        types.add(OpenMap.InodesOpen.class);
        types.add(OpenMap.OpenHere.class);
        return FormatHash.build() * 31 + RecordCodec.shapeDigest(types);
    }
}
