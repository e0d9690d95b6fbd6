/**
 * The open map: which inodes other nodes have open, asked before an inode without links is
 * deleted (see {@link org.scoutfs.node.openmap.OpenMap}).
 */
package org.scoutfs.node.openmap;
