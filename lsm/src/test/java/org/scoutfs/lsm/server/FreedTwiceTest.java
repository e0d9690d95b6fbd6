package org.scoutfs.lsm.server;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.SuperBlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server refuses a node's report of freed blocks any one of which is free already, wherever
 * in the reported extent it lies, and takes the report back whole: the check looks extents up,
 * not each of their blocks, and must still see a free block in the middle or at the end.
 */
class FreedTwiceTest {
    private static final long RID = 7;

    @Test
    void aFreedExtentThatReachesIntoFreeSpaceIsRefused() {
        MemoryBlockDevice device = new MemoryBlockDevice("volume", 64L << 20);
        Mkfs.format(device, null, new Mkfs.Options(1, 0, false));
        SuperBlock sb = Supers.readNewest(device);
        VolumeServer server = VolumeServer.startExclusive(new MetaBlocks(device, sb.fsid(), new BlockCache(64)), sb,
                VolumeServer.Options.defaults(sb));
        LogTreesRecord tree = server.greet(new ServerApi.Greeting(Volume.localClient(RID), false, List.of(), 0)).tree();
        ServerApi.TransOpen open = server.openTransaction(RID, 0);
        Extent granted = tree.dataAvail().getFirst();
        assertThat(granted.len()).isGreaterThan(4);
        long freeBefore = server.usage(RID).freeDataBlocks();

        // the grant's last two blocks, which the node holds, and the two free blocks after them
        Extent reachingPast = new Extent(granted.end() - 2, 4);
        assertThatThrownBy(() -> server.commitLogTree(freeing(tree, open, granted, reachingPast)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
        // a block free in the middle of an extent that starts and ends on held blocks
        Extent around = new Extent(granted.start(), granted.len() + 2);
        assertThatThrownBy(() -> server.commitLogTree(freeing(tree, open, new Extent(granted.start(), 1), around)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
        assertThat(server.usage(RID).freeDataBlocks()).as("refused reports change nothing").isEqualTo(freeBefore);

        // the grant's own blocks may be freed, once
        Extent heldBlocks = new Extent(granted.start() + 1, granted.len() - 2);
        LogTreesRecord next = server.commitLogTree(freeing(tree, open, granted, heldBlocks)).tree();
        ServerApi.TransOpen again = server.openTransaction(RID, 0);
        assertThatThrownBy(() -> server.commitLogTree(freeing(next, again, granted, heldBlocks)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
    }

    /** A commit of an empty log tree that frees {@code freed} and keeps the rest of {@code grant}. */
    private static ServerApi.LogTreeCommit freeing(LogTreesRecord tree, ServerApi.TransOpen open, Extent grant,
                                                   Extent freed) {
        List<Extent> kept = List.of();
        if (freed.start() > grant.start() && freed.end() < grant.end()) {
            kept = List.of(new Extent(grant.start(), freed.start() - grant.start()),
                    new Extent(freed.end(), grant.end() - freed.end()));
        }
        return new ServerApi.LogTreeCommit(RID, tree.nr(), open.transSeq(), tree.itemRoot(), tree.bloom(), 0, 0,
                tree.metaAvail(), kept, List.of(), List.of(freed), 0, false);
    }
}
