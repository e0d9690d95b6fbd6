package org.scoutfs.cli.online;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scoutfs.cli.CliException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs stat}: the scoutfs fields of a file that stat(1) does not show. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Print the scoutfs fields of each FILE: meta_seq, data_seq, data_version, online_blocks, "
                + "offline_blocks and crtime.")
public final class StatCommand implements Callable<Integer> {
    private static final List<String> FIELDS = List.of("meta_seq", "data_seq", "data_version", "online_blocks",
            "offline_blocks", "crtime");

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--single-field"}, paramLabel = "FIELD", description = "Print only this field's value.")
    String field;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files in a scoutfs mount.")
    List<Path> files;

    @Override
    public Integer call() {
        if (field != null && !FIELDS.contains(field)) {
            throw new CliException("unknown field '" + field + "', try one of " + String.join(", ", FIELDS));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Path file : files) {
            long ino;
            try {
                ino = (Long) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw new CliException(file + ": no such file or directory");
            } catch (IOException e) {
                throw new CliException("cannot stat " + file + ": " + e.getMessage());
            }
            Map<String, String> f = MountedVolume.of(file).fields("stat " + ino);
            if (field != null) {
                out.println(f.get(field));
            } else {
                for (String name : FIELDS) {
                    out.printf("%-17s %s%n", name, f.get(name));
                }
            }
        }
        out.flush();
        return 0;
    }
}
