package org.scoutfs.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scoutfs.cli.CliException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs walk-inodes}: lists the inodes an index holds between two positions. */
@Command(name = "walk-inodes", mixinStandardHelpOptions = true,
        description = {"Print the inodes in the meta_seq or data_seq index between two positions.",
            "A position is MAJOR[.MINOR[.INO]]; -1 means the largest. Entries appear once the transaction "
                    + "that changed the inode is committed, and the walk stops at the last stable sequence, "
                    + "so an agent that processed up to sequence S can continue with S+1."})
public final class WalkInodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INDEX", description = "meta_seq or data_seq")
    String index;

    @Parameters(index = "1", paramLabel = "FIRST", description = "First position, MAJOR[.MINOR[.INO]].")
    String first;

    @Parameters(index = "2", paramLabel = "LAST", description = "Last position, MAJOR[.MINOR[.INO]].")
    String last;

    @Parameters(index = "3", paramLabel = "PATH", arity = "0..1", description = "A path in the scoutfs mount.")
    Path path;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH", description = "A path in the scoutfs mount.")
    Path pathOption;

    /** A parsed position: major, minor and inode. */
    record Position(long major, long minor, long ino) {
    }

    static Position parse(String text, String which) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 1 || parts.length > 3) {
            throw new CliException("invalid " + which + " position '" + text + "', try '1.2.3' or '-1'");
        }
        long[] v = new long[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = parts[i].equals("-1") ? -1L : Long.parseUnsignedLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new CliException("invalid " + which + " position '" + text + "', try '1.2.3' or '-1'");
            }
        }
        if (parts.length == 1 && v[0] == -1L) {
            return new Position(-1L, -1L, -1L);
        }
        return new Position(v[0], v[1], v[2]);
    }

    @Override
    public Integer call() {
        walk(index, first, last, pathOption != null ? pathOption : path, spec.commandLine().getOut());
        return 0;
    }

    /**
     * The plain form {@code walk-inodes INDEX FIRST LAST [PATH]}, run without the general parser:
     * agents run it in a loop, and building picocli's model of every command costs more than the
     * walk itself. Returns false, having done nothing, for any other form (options, help, a wrong
     * number of arguments), which then goes through the parser as usual.
     */
    public static boolean runPlainForm(String[] args, PrintWriter out) {
        if (args.length < 4 || args.length > 5 || !args[0].equals("walk-inodes")) {
            return false;
        }
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("-") && !args[i].equals("-1")) {
                return false;
            }
        }
        walk(args[1], args[2], args[3], args.length == 5 ? Path.of(args[4]) : null, out);
        return true;
    }

    private static void walk(String index, String first, String last, Path path, PrintWriter out) {
        if (!index.equals("meta_seq") && !index.equals("data_seq")) {
            throw new CliException("unknown index '" + index + "', try 'meta_seq' or 'data_seq'");
        }
        Position from = parse(first, "first");
        Position to = parse(last, "last");
        MountedVolume volume = MountedVolume.of(MountedVolume.defaultPath(path));
        long[] count = {0};
        volume.ask("walk-inodes " + index + " " + Long.toUnsignedString(from.major()) + " "
                + Long.toUnsignedString(from.ino()) + " " + Long.toUnsignedString(to.major()) + " "
                + Long.toUnsignedString(to.ino()), line -> {
                    String[] f = line.split(" ");
                    if (count[0] % 25 == 0) {
                        out.printf("%-20s %-20s %-10s %-20s%n", "#", "major", "minor", "ino");
                    }
                    out.printf("%-20d %-20s %-10d %-20s%n", count[0], f[0], 0, f[1]);
                    count[0]++;
                });
        out.flush();
    }
}
