package org.scoutfs.node.membership;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Who is in the cluster of this volume right now: the failure detector the election and the
 * leader use to react quickly (a killed process is gone within a second). It is never trusted for
 * safety: a member that looks alive may be frozen, and one that looks gone may only be cut off.
 * Votes, leases and fencing decide; membership only says when to look.
 */
public interface Membership extends AutoCloseable {
    /** This node. */
    Member self();

    /** The members now, this node included. */
    List<Member> members();

    /** Calls {@code gone} with the rid of every member that leaves from now on, on some thread of the membership's. */
    void onLeft(LongConsumer gone);

    @Override
    void close();
}
