package org.scoutfs.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.node.membership.Member;
import org.scoutfs.node.membership.Membership;
import org.scoutfs.node.quorum.LeaderWatch;
import org.scoutfs.node.quorum.QuorumMember;
import org.scoutfs.node.recovery.ServerSession;

/**
 * The cluster as one node sees it: the quorum, the leader and its term, every quorum slot with
 * its owner, and the mounts without a slot. What {@code scoutfs cluster} prints.
 *
 * @param lines the report, one line each, ready to print
 */
public record ClusterStatus(List<String> lines) {
    static ClusterStatus of(Node node, BlockDevice meta, SuperBlock sb, Membership membership, LeaderWatch watch,
                            QuorumMember member, ServerSession session) {
        List<String> out = new ArrayList<>();
        out.add(String.format("fsid %016x quorum %d slots %d", sb.fsid(), sb.quorumCount(), sb.quorumSlots()));
        LeaderWatch.Seen seen = watch.last();
        if (seen == null) {
            out.add("leader none (no heartbeat heard)");
        } else {
            var hb = seen.heartbeat();
            long ago = (System.nanoTime() - seen.atNanos()) / 1_000_000;
            out.add(String.format("leader slot %d mount %016x address %s term %d server %s heard %d ms ago", hb.slot(),
                    hb.leader(), hb.address().isEmpty() ? "-" : hb.address(), hb.term(), hb.serverUp() ? "up" : "starting",
                    ago));
        }
        out.add(String.format("this mount %016x slot %s connected to term %d", node.rid(),
                member == null ? "none" : Integer.toString(member.slot()), session.term()));
        Map<Long, Member> live = new HashMap<>();
        for (Member m : membership.members()) {
            live.put(m.rid(), m);
        }
        long leaderRid = seen == null ? 0 : seen.heartbeat().leader();
        out.add(String.format("%-4s %-16s %-21s %-8s %-6s %-7s %-7s %s", "slot", "mount", "address", "pid", "term",
                "elected", "stopped", "state"));
        for (QuorumSlot s : QuorumArea.readAll(meta, sb.fsid())) {
            if (s.slot() >= sb.quorumSlots()) {
                break;
            }
            if (s.isFree()) {
                out.add(String.format("%-4d %-16s %-21s %-8s %-6s %-7s %-7s %s", s.slot(), "-", "-", "-", "-", "-", "-",
                        "free"));
                continue;
            }
            String state = s.ownerRid() == leaderRid ? "leader" : live.containsKey(s.ownerRid()) ? "member" : "not in cluster";
            out.add(String.format("%-4d %016x %-21s %-8d %-6d %-7d %-7d %s", s.slot(), s.ownerRid(),
                    s.address().isEmpty() ? "-" : s.address(), s.ownerPid(), s.term(), s.electedTerm(), s.stoppedTerm(),
                    state));
            live.remove(s.ownerRid());
        }
        for (Member m : live.values()) {
            out.add(String.format("-    %016x %-21s %-8d %-6s %-7s %-7s %s", m.rid(),
                    m.address().isEmpty() ? "-" : m.address(), m.process().pid(), "-", "-", "-", "mounted, no vote"));
        }
        return new ClusterStatus(out);
    }
}
