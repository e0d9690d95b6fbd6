package org.scoutfs.node.fencing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fences a node by running an administrator's program, as a site's power switch or storage
 * fencing is driven. The program gets the target in its environment ({@code SCOUTFS_FENCE_RID},
 * {@code _HOST}, {@code _PID}, {@code _ADDRESS}, {@code _REASON}) and must exit 0 only once the
 * node can no longer write; anything else, or no answer within the timeout, is a failure.
 */
public final class CommandFencer implements Fencer {
    private final Path program;
    private final Duration timeout;

    public CommandFencer(Path program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
    }

    @Override
    public void fence(FenceTarget target) {
        ProcessBuilder pb = new ProcessBuilder(program.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("SCOUTFS_FENCE_RID", String.format("%016x", target.rid()));
        env.put("SCOUTFS_FENCE_HOST", target.process().host());
        env.put("SCOUTFS_FENCE_PID", Long.toString(target.process().pid()));
        env.put("SCOUTFS_FENCE_ADDRESS", target.address());
        env.put("SCOUTFS_FENCE_REASON", target.reason());
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new FenceFailedException("fence command " + program + " did not finish in " + timeout.toSeconds()
                        + " s for " + target);
            }
            if (p.exitValue() != 0) {
                throw new FenceFailedException("fence command " + program + " failed with status " + p.exitValue()
                        + " for " + target);
            }
        } catch (IOException e) {
            throw new FenceFailedException("cannot run fence command " + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FenceFailedException("interrupted while fencing " + target, e);
        }
    }
}
