package org.scoutfs.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scoutfs.cli.Sizes;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.Mkfs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scoutfs mkfs}: makes a new volume on a block device or a regular file. */
@Command(name = "mkfs", mixinStandardHelpOptions = true,
        description = {"Make a new scoutfs volume on DEV (a block device or a regular file).",
            "With DATA-DEV, file data goes to that device and DEV holds only metadata.",
            "An existing volume or filesystem is not overwritten without -f."})
public final class MkfsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-Q", "--quorum"}, paramLabel = "N", defaultValue = "1",
            description = {"The quorum (1..8): how many quorum members' votes elect the server. Up to 2N-1 mounts "
                    + "take quorum slots and vote, so any N of them are a majority; with fewer than N members up "
                    + "there is no server and mounts wait. -Q 2 with three mounts survives losing any one "
                    + "(default: ${DEFAULT-VALUE}, a volume one node mounts alone)."})
    int quorumCount;

    @Option(names = {"-f", "--force"}, description = "Overwrite an existing volume or filesystem.")
    boolean force;

    @Option(names = {"-m", "--meta-size"}, paramLabel = "SIZE",
            description = "Bytes of DEV kept for metadata when data shares it (default: one eighth, at least 16M). "
                    + "Accepts K, M, G, T suffixes.")
    String metaSize;

    @Parameters(index = "0", paramLabel = "DEV", description = "The device or file to format.")
    Path device;

    @Parameters(index = "1", paramLabel = "DATA-DEV", arity = "0..1",
            description = "A separate device or file for file data.")
    Path dataDevice;

    @Override
    public Integer call() {
        long metaBytes = metaSize == null ? 0 : Sizes.parse(metaSize);
        Mkfs.Options options = new Mkfs.Options(quorumCount, metaBytes, force);
        SuperBlock sb;
        try (FileBlockDevice meta = FileBlockDevice.openExclusive(device, "mkfs")) {
            if (dataDevice != null) {
                try (FileBlockDevice data = FileBlockDevice.openExclusive(dataDevice, "mkfs")) {
                    sb = Mkfs.format(meta, data, options);
                }
            } else {
                sb = Mkfs.format(meta, null, options);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Created scoutfs volume on %s%s%n", device, dataDevice == null ? "" : " with data on " + dataDevice);
        out.printf("  fsid:            %016x%n", sb.fsid());
        out.printf("  uuid:            %016x%016x%n", sb.uuidHi(), sb.uuidLo());
        out.printf("  format:          version %d, hash %s%n", sb.formatVersion(), FormatHash.toHex(sb.formatHash()));
        out.printf("  metadata:        %d blocks of %s (%s)%n", sb.totalMetaBlocks(),
                Sizes.human(Format.META_BLOCK_SIZE), Sizes.human(sb.totalMetaBlocks() << Format.META_BLOCK_SHIFT));
        out.printf("  data:            %d blocks of %s (%s)%n", sb.totalDataBlocks(),
                Sizes.human(Format.DATA_BLOCK_SIZE), Sizes.human(sb.totalDataBlocks() << Format.DATA_BLOCK_SHIFT));
        out.printf("  quorum:          %d of %d quorum slots%n", sb.quorumCount(), sb.quorumSlots());
        return 0;
    }
}
