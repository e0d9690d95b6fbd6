package org.scoutfs.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scoutfs.cli.Sizes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs df}: metadata and data block usage of the volume. */
@Command(name = "df", mixinStandardHelpOptions = true,
        description = "Show the metadata (64 KiB) and data (4 KiB) block usage of the volume PATH is on.")
public final class DfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--human-readable"}, description = "Print sizes in powers of 1024.")
    boolean human;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH", description = "A path in the scoutfs mount.")
    Path pathOption;

    @Parameters(index = "0", paramLabel = "PATH", arity = "0..1", description = "A path in the scoutfs mount.")
    Path path;

    @Override
    public Integer call() {
        Map<String, String> f = MountedVolume.of(MountedVolume.defaultPath(pathOption != null ? pathOption : path))
                .fields("df");
        long metaTotal = Long.parseLong(f.get("total_meta_blocks"));
        long metaFree = Long.parseLong(f.get("free_meta_blocks"));
        long dataTotal = Long.parseLong(f.get("total_data_blocks"));
        long dataFree = Long.parseLong(f.get("free_data_blocks"));
        String[][] cells = {
            {"Type", "Size", "Total", "Used", "Free", "Use%"},
            row("MetaData", "64KB", 65536, metaTotal, metaFree),
            row("Data", "4KB", 4096, dataTotal, dataFree),
        };
        int[] width = new int[6];
        for (String[] r : cells) {
            for (int c = 0; c < 6; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String[] r : cells) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 6; c++) {
                sb.append(String.format("%" + width[c] + "s  ", r[c]));
            }
            out.println(sb);
        }
        out.flush();
        return 0;
    }

    private String[] row(String type, String size, long blockBytes, long total, long free) {
        long used = total - free;
        return new String[] {type, size, amount(total, blockBytes), amount(used, blockBytes), amount(free, blockBytes),
            Long.toString(total == 0 ? 0 : used * 100 / total)};
    }

    private String amount(long blocks, long blockBytes) {
        return human ? Sizes.human(blocks * blockBytes) : Long.toString(blocks);
    }
}
