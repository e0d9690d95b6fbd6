package org.scoutfs.cli.online;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code scoutfs sync}: a durable commit of everything changed through a mount. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Commit everything changed through the mount PATH is on, durably, and return when it is on "
                + "disk. (sync(1) without arguments cannot reach a FUSE filesystem; `sync PATH` fsyncs PATH.)"})
public final class SyncCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", arity = "0..1", description = "A path in the scoutfs mount.")
    Path path;

    @Override
    public Integer call() {
        MountedVolume.of(MountedVolume.defaultPath(path)).lines("sync");
        return 0;
    }
}
