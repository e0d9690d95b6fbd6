package org.scoutfs.node.membership;

import org.scoutfs.lsm.server.ProcessIdentity;

/**
 * A node process in the cluster of one volume, as it introduced itself when it joined.
 *
 * @param rid         its mount id
 * @param process     where it runs, for fencing
 * @param address     its cluster address (host:port), empty for a node without one
 * @param clusterHash the digest of its on-disk format and wire messages; nodes with different
 *                    digests cannot share a volume
 */
public record Member(long rid, ProcessIdentity process, String address, long clusterHash) {
}
