package org.scoutfs.node.posix;

import org.scoutfs.node.NodeConfig;

/** The POSIX contract on a scoutfs mount with the kernel writeback cache on (the writeback_cache mount option). */
class ScoutfsWritebackPosixTest extends ScoutfsPosixTest {
    @Override
    protected NodeConfig configure(NodeConfig config) {
        return config.withWritebackCache(true);
    }
}
