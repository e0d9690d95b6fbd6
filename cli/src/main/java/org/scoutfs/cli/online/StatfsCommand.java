package org.scoutfs.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scoutfs.cli.CliException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs statfs}: the volume's identity and its last stable sequence. */
@Command(name = "statfs", mixinStandardHelpOptions = true,
        description = {"Print fsid, rid (this mount), committed_seq (the last stable sequence: every change with "
                + "a lower or equal sequence is on disk), total_meta_blocks and total_data_blocks."})
public final class StatfsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--single-field"}, paramLabel = "FIELD", description = "Print only this field's value.")
    String field;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH", description = "A path in the scoutfs mount.")
    Path pathOption;

    @Parameters(index = "0", paramLabel = "PATH", arity = "0..1", description = "A path in the scoutfs mount.")
    Path path;

    @Override
    public Integer call() {
        Map<String, String> f = MountedVolume.of(MountedVolume.defaultPath(pathOption != null ? pathOption : path))
                .fields("statfs");
        PrintWriter out = spec.commandLine().getOut();
        if (field != null) {
            if (!f.containsKey(field)) {
                throw new CliException("unknown field '" + field + "', try one of " + String.join(", ", f.keySet()));
            }
            out.println(f.get(field));
        } else {
            f.forEach((k, v) -> out.printf("%-18s %s%n", k, v));
        }
        out.flush();
        return 0;
    }
}
