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
 *
 * <p>Two metadata reserves keep a full volume usable: one that only the server's own commits may
 * use, and one that only transactions held for deletion may use, so that removing files, which
 * needs new blocks in a copy-on-write tree, works when nothing else can be written.
 */
package org.scoutfs.lsm.alloc;
