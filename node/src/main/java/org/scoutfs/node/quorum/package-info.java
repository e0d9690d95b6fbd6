/**
 * The quorum: which node leads the volume, decided by the nodes that hold quorum slots.
 *
 * <p>A volume made with {@code -Q N} has {@code 2N - 1} quorum slots on the device, one block each.
 * A mounting node claims a slot ({@link org.scoutfs.node.quorum.SlotClaim}) before it joins anyone:
 * the addresses the slots record are how the nodes find each other. Holders of slots elect a leader
 * in terms, Raft-style ({@link org.scoutfs.node.quorum.Election}): a vote is durable in the voter's
 * slot block before it is answered, {@code N} votes win, and the winner records its term as elected
 * in its own block before it acts. So two leaders are never elected in one term, and a restarted
 * member never votes twice.
 *
 * <p>Election is not enough to keep two servers from writing, since a deposed leader may not know
 * yet. Three things together do: the leader's lease (it steps down when a quorum stops answering its
 * heartbeats, before anyone else can win), fencing of every predecessor that never recorded that it
 * stopped (see {@code org.scoutfs.node.fencing}), and the check every server commit makes of the
 * slots on the device ({@link org.scoutfs.node.quorum.DeviceLeadership}): no newer elected term, its
 * own slot still its own and not marked stopped.
 *
 * <p>The messages travel as UDP datagrams on each node's cluster address
 * ({@link org.scoutfs.node.quorum.UdpQuorumLink}), deliberately apart from Hazelcast and the event
 * bus: an election must get through exactly when a member is frozen and the cluster manager's
 * partitions are stuck on it. Hazelcast membership only makes the members look sooner (a killed
 * process is noticed within a second). Every node, slot or not, hears the leader's heartbeats
 * ({@link org.scoutfs.node.quorum.LeaderWatch}), which say where the server is and whether it is up.
 *
 * <p>{@link org.scoutfs.node.quorum.QuorumMember} is the only part with threads: it feeds the pure
 * election with time and messages on one thread and carries out its actions in order. The
 * election itself is tested by a deterministic simulation with crashes, freezes, partitions and
 * message loss.
 */
package org.scoutfs.node.quorum;
