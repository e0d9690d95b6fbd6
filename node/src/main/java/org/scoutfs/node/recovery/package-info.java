/**
 * Recovery: how mounts and servers find each other again after the server moved.
 *
 * <p>On a mount, {@link org.scoutfs.node.recovery.ServerSession} is the only way to the server. It
 * finds the current server from the leader's heartbeats, greets it, and when the server is lost
 * (a call without an answer, a newer leader's heartbeat) it reconnects: it greets the new server as
 * a returning mount with its open transaction, takes the roots the new server has, reports its locks
 * to the new lock server and sends its open lock requests again. Calls made meanwhile wait and are
 * repeated; the server's operations are all safe to repeat. So a failover costs the filesystem a
 * pause, not an error.
 *
 * <p>On the leader, a new server first waits for every mount the last one recorded
 * ({@link org.scoutfs.node.recovery.RecoveryCoordinator}): until each has come back or been declared
 * gone it grants no locks and changes no allocations, so a returning mount finds its space and its
 * locks as it left them. Then {@link org.scoutfs.node.recovery.ClientWatch} watches the mounts by
 * their keepalives and the cluster membership. Declaring a mount gone is always fence first, reclaim
 * second ({@link org.scoutfs.node.recovery.MountReclaimer}): its log tree is finalized for merging,
 * the space it was granted returns, its locks go to whoever waits.
 *
 * <p>Leaving is the other way round. A clean unmount ends with a farewell, which the leader lets
 * through {@link org.scoutfs.node.recovery.FarewellGate}: a voting mount stays (its mount gone,
 * its vote still counted) while its leaving would strand the others without a quorum. And when no
 * server can be elected at all, a mount's calls wait {@code server_wait_s} and then fail, except a
 * commit in progress, which waits for as long as it takes; lock requests fail the same way
 * ({@link org.scoutfs.node.bus.ServerLocator#outage()}).
 */
package org.scoutfs.node.recovery;
