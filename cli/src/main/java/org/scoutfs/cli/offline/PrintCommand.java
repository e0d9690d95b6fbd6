package org.scoutfs.cli.offline;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scoutfs.cli.CliException;
import org.scoutfs.lsm.block.FileBlockDevice;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs print}: dumps a volume's metadata for debugging, read-only. */
@Command(name = "print", mixinStandardHelpOptions = true,
        description = {"Print the super block, the server tree, the fs root and every log tree of the volume on DEV.",
            "Reads only; damaged structures are reported and skipped, and the exit status is 1 if any were found."})
public final class PrintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-S", "--skip-items"}, description = "Print only summaries, not every item and free extent.")
    boolean skipItems;

    @Parameters(index = "0", paramLabel = "DEV", description = "The metadata device or volume file.")
    Path device;

    @Override
    public Integer call() {
        try (FileBlockDevice dev = FileBlockDevice.open(device, false)) {
            VolumePrinter printer = new VolumePrinter(dev, spec.commandLine().getOut(), !skipItems);
            printer.print();
            spec.commandLine().getOut().flush();
            if (printer.damage() > 0) {
                throw new CliException(device + " has " + printer.damage() + " damaged structure"
                        + (printer.damage() == 1 ? "" : "s") + " (see above)");
            }
        }
        return 0;
    }
}
