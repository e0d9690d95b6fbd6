package org.scoutfs.node.fs;

import java.util.List;
import java.util.Set;

/**
 * Whether other nodes still use inodes: an inode that lost its last link is deleted only when no
 * node has it open, so a file unlinked on one node stays readable where it is open.
 */
public interface InodeUse {
    /**
     * The ones among {@code inos} that some other node has open. A node that cannot be asked
     * counts as having all of them open: keeping an orphan a while longer is safe, deleting a
     * file someone reads is not.
     */
    Set<Long> openElsewhere(List<Long> inos);

    /** For a node alone on its volume. */
    InodeUse ALONE = inos -> Set.of();
}
