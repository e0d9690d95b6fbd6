/**
 * Fencing: making sure a node can no longer write the volume before anyone acts as if it had
 * stopped.
 *
 * <p>Two servers must never commit at once, and a mount declared gone must never write again: its
 * log tree, its grants and its locks are handed on, and a late write of its would land in space
 * that now belongs to someone else. Votes, leases and the servers' check of the elected terms on
 * the device stop a deposed node that still runs normally, but not one that was frozen between a
 * check and a write. Only fencing does. So a new leader fences every predecessor that may still
 * be serving before its own server starts, and a leader fences every mount it declares gone
 * before it reclaims the mount's log tree and locks.
 *
 * <p>{@link org.scoutfs.node.fencing.ProcessFencer} runs the administrator's fence command
 * ({@link org.scoutfs.node.fencing.CommandFencer}) if one is configured, as scoutfs's fence agent
 * does; without one it fences a node on this host by killing its process (the process is
 * recorded, with its start time, in its quorum slot and in its mounted client record), and cannot
 * fence a node on another host. A fence that fails stops what needed it: a leader that cannot
 * fence its predecessor does not serve, and a mount that cannot be fenced is not reclaimed.
 */
package org.scoutfs.node.fencing;
