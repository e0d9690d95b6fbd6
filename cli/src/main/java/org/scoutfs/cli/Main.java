package org.scoutfs.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import org.scoutfs.cli.offline.MkfsCommand;
import org.scoutfs.cli.offline.PrintCommand;
import org.scoutfs.cli.online.ClusterCommand;
import org.scoutfs.cli.online.DfCommand;
import org.scoutfs.cli.online.MountCommand;
import org.scoutfs.cli.online.StatCommand;
import org.scoutfs.cli.online.StatfsCommand;
import org.scoutfs.cli.online.SyncCommand;
import org.scoutfs.cli.online.WalkInodesCommand;
import org.scoutfs.lsm.StorageException;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.FormatHash;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code scoutfs} command. Each subcommand is a class of its own; failures are reported once
 * here as {@code scoutfs: <command> failed: <reason>} with exit status 1, and usage errors with
 * status 2.
 */
@Command(name = "scoutfs", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create, inspect and use scoutfs volumes.",
        subcommands = {MkfsCommand.class, PrintCommand.class, MountCommand.class, WalkInodesCommand.class,
            StatCommand.class, DfCommand.class, StatfsCommand.class, ClusterCommand.class, SyncCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given output streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // the commands agents and scripts run in loops skip the parser in their plain forms; an
        // @file argument (expanded by the parser) is never a plain form
        try {
            boolean plain = Arrays.stream(args).noneMatch(a -> a.startsWith("@"));
            if (plain && (WalkInodesCommand.runPlainForm(args, out) || SyncCommand.runPlainForm(args))) {
                return 0;
            }
        } catch (RuntimeException e) {
            return failed(args[0], e, err);
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                failed(commandLine.getCommandName(), ex, commandLine.getErr()));
        return cl.execute(args);
    }

    /** Reports a command that failed, once, and gives its exit status. */
    private static int failed(String command, Exception ex, PrintWriter err) {
        String reason = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        err.println("scoutfs: " + command + " failed: " + reason);
        if (!(ex instanceof StorageException) && !(ex instanceof CliException)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** Prints the build's version and on-disk format. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"scoutfs " + (v == null ? "development build" : v),
                "on-disk format version " + Format.VERSION + ", format hash " + FormatHash.toHex(FormatHash.build())};
        }
    }
}
