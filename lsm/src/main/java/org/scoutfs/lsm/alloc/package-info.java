/**
 * Free space.
 *
 * <p>The server keeps free metadata and data extents ({@link org.scoutfs.lsm.alloc.FreeSpace}) in
 * memory, mirrored as items of its own tree. Blocks freed by a commit are recorded free by it but
 * handed out only once it is durable: the invariant that makes commits atomic.
 *
 * <p>Nodes allocate from extents granted to them ({@link org.scoutfs.lsm.alloc.NodeAllocator})
 * without asking anyone, and report with each commit what they still hold and what they freed.
 * Grants are recorded in the node's log tree record, so a node that dies loses nothing: its unused
 * grants return to free space when it is reclaimed.
 */
package org.scoutfs.lsm.alloc;
