/**
 * The server role: what the elected leader runs, one term at a time.
 *
 * <p>{@link org.scoutfs.node.server.ServerRole} is told by the quorum when this node starts and
 * stops leading. Starting a term is ordered so that nothing serves before it is safe to: fence the
 * predecessors that may still be serving, load the volume as the last server committed it under a
 * leadership that checks the quorum slots before every commit, start the volume server and the lock
 * server (recovering, if mounts of the last term are recorded), publish them behind the node's
 * server endpoints, then recover the mounts. Stopping a term stops the server first, so a deposed
 * leader refuses every request from that moment; its endpoints stay registered and answer that it
 * no longer serves, which is how mounts learn to look for the next one.
 *
 * <p>The volume server and the lock server themselves are plain classes in {@code lsm} and
 * {@code locking}; this package only owns their lifetime within a term.
 */
package org.scoutfs.node.server;
