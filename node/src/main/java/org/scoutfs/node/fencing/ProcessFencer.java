package org.scoutfs.node.fencing;

import java.time.Duration;
import java.util.Optional;

import org.scoutfs.lsm.server.ProcessIdentity;

/**
 * The default fence: a node whose process is certainly gone is fenced already; otherwise the
 * administrator's fence command, if one is configured, does it (as scoutfs's fence agent does,
 * for every node); without one, a node on this host is fenced by killing its process (SIGKILL
 * works on a frozen, stopped process too, and a process that is gone, or is a zombie, has no
 * write left in flight; its FUSE mount goes with it) and a node on another host cannot be fenced.
 *
 * <p>This process is never killed: nodes that share one process (tests) cannot fence each other.
 */
public final class ProcessFencer implements Fencer {
    private static final System.Logger LOG = System.getLogger(ProcessFencer.class.getName());

    private final Fencer command;
    private final Duration wait;

    /** @param command the configured fence command, or null for none */
    public ProcessFencer(Fencer command, Duration wait) {
        this.command = command;
        this.wait = wait;
    }

    @Override
    public void fence(FenceTarget target) {
        ProcessIdentity p = target.process();
        if (p.isGoneLocally()) {
            LOG.log(System.Logger.Level.INFO, "fenced {0}: its process is gone", target);
            return;
        }
        if (command != null) {
            command.fence(target);
            LOG.log(System.Logger.Level.WARNING, "fenced {0} with the fence command", target);
            return;
        }
        if (!p.isLocal()) {
            throw new FenceFailedException("cannot fence " + target + ": it runs on another host and no fence "
                    + "command is configured (mount option fence_command=PATH)");
        }
        if (p.pid() == ProcessHandle.current().pid()) {
            throw new FenceFailedException("cannot fence " + target + ": it is this process");
        }
        Optional<ProcessHandle> h = ProcessHandle.of(p.pid());
        h.ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!p.isGoneLocally()) {
            if (System.nanoTime() > deadline) {
                throw new FenceFailedException("fencing " + target + ": the process was sent SIGKILL and is still "
                        + "running after " + wait.toMillis() + " ms");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FenceFailedException("interrupted while fencing " + target, e);
            }
        }
        LOG.log(System.Logger.Level.WARNING, "fenced {0}: killed its process", target);
    }
}
