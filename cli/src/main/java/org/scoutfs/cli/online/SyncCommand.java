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
        sync(path);
        return 0;
    }

    /**
     * The plain form {@code sync [PATH]}, run without the general parser (scripts and benchmarks
     * sync after every step, and building picocli's model costs more than the commit). Returns
     * false, having done nothing, for any other form, which then goes through the parser.
     */
    public static boolean runPlainForm(String[] args) {
        if (args.length < 1 || args.length > 2 || !args[0].equals("sync")
                || (args.length == 2 && args[1].startsWith("-"))) {
            return false;
        }
        sync(args.length == 2 ? Path.of(args[1]) : null);
        return true;
    }

    private static void sync(Path path) {
        MountedVolume.of(MountedVolume.defaultPath(path)).lines("sync");
    }
}
