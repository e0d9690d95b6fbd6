package org.scoutfs.lsm.testing;

import java.nio.file.Path;
import java.time.Duration;

import org.scoutfs.lsm.Volume;

/**
 * A child process for kill tests: applies {@link Batches} to a volume file one after another,
 * syncing each and printing {@code committed N} once batch N is durable, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dev = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Volume.Options options = Volume.Options.defaults().withCommitInterval(Duration.ofMillis(50))
                .withBackgroundMerge(true).withFinalizeBlocks(4);
        Volume v = Volume.open(dev, null, options);
        for (int batch = 0; ; batch++) {
            Batches.apply(v.store(), seed, batch);
            v.store().sync();
            System.out.println("committed " + batch);
            System.out.flush();
        }
    }
}
