package org.scoutfs.node.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Membership of the nodes of one volume that run in this process and share its local event bus:
 * a node without a cluster address, or several nodes of one volume in one process (tests). A
 * member leaves when it closes.
 */
public final class LocalMembership implements Membership {
    private static final Map<Long, Group> GROUPS = new ConcurrentHashMap<>();

    private static final class Group {
        final List<LocalMembership> members = new CopyOnWriteArrayList<>();
    }

    private final long fsid;
    private final Member self;
    private final Group group;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

    private LocalMembership(long fsid, Member self, Group group) {
        this.fsid = fsid;
        this.self = self;
        this.group = group;
    }

    /** Joins this process's group of nodes of volume {@code fsid}. */
    public static LocalMembership join(long fsid, Member self) {
        Group g = GROUPS.computeIfAbsent(fsid, k -> new Group());
        LocalMembership m = new LocalMembership(fsid, self, g);
        g.members.add(m);
        return m;
    }

    @Override
    public Member self() {
        return self;
    }

    @Override
    public List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (LocalMembership m : group.members) {
            out.add(m.self);
        }
        return out;
    }

    @Override
    public void onLeft(LongConsumer gone) {
        listeners.add(gone);
    }

    @Override
    public void close() {
        if (group.members.remove(this)) {
            for (LocalMembership m : group.members) {
                for (LongConsumer l : m.listeners) {
                    l.accept(self.rid());
                }
            }
            GROUPS.computeIfPresent(fsid, (k, g) -> g.members.isEmpty() ? null : g);
        }
    }
}
