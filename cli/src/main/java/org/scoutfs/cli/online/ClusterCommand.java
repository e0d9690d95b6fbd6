package org.scoutfs.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs cluster}: the volume's quorum, leader and nodes, as the mount's node sees them. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Print the volume's cluster as the node serving PATH sees it: the quorum (votes that elect "
                + "the leader) and the number of quorum slots, the leader (its slot, mount id, address and election "
                + "term), this mount, every quorum slot with its owner (mount id, address, pid, the highest term it "
                + "has seen, the last term it was elected and the last term it stopped serving) and its state "
                + "(leader, member, not in cluster, free), and the mounts that hold no slot."})
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH", description = "A path in the scoutfs mount.")
    Path pathOption;

    @Parameters(index = "0", paramLabel = "PATH", arity = "0..1", description = "A path in the scoutfs mount.")
    Path path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MountedVolume.of(MountedVolume.defaultPath(pathOption != null ? pathOption : path)).ask("cluster", out::println);
        out.flush();
        return 0;
    }
}
