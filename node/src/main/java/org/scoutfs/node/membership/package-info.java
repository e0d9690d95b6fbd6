/**
 * Membership: who is in the cluster of one volume, as a failure detector.
 *
 * <p>Nodes with a cluster address form one Hazelcast cluster per volume, named after its fsid and
 * joined over TCP to the addresses in the quorum slots and the {@code peer} options
 * ({@link org.scoutfs.node.membership.ClusterSetup}); the Vert.x event bus between them rides on
 * it. Each member publishes its mount id, its process and its protocol digest as member attributes
 * ({@link org.scoutfs.node.membership.Member}); a node that finds a member with another digest
 * refuses to mount beside it. Nodes in one process without cluster addresses share a
 * {@link org.scoutfs.node.membership.LocalMembership} instead.
 *
 * <p>Membership is only ever a hint. Hazelcast notices a killed process within a second, so the
 * election and the leader react quickly to it; but a member that looks alive may be frozen, and one
 * that looks gone may only be cut off and still writing. Nothing here decides who leads or whether
 * a mount may be reclaimed: votes, leases and fencing do (see {@code org.scoutfs.node.quorum} and
 * {@code org.scoutfs.node.fencing}). That is also why a Hazelcast split-brain merge cannot hurt the
 * volume: two halves of a split cluster still need a quorum of slot votes to lead.
 */
package org.scoutfs.node.membership;
