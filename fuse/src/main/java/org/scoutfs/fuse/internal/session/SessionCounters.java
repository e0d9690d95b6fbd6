package org.scoutfs.fuse.internal.session;

import java.util.concurrent.atomic.LongAdder;
import org.scoutfs.fuse.FuseCounters;

/** The session's live counters; contention-free increments from every thread. */
final class SessionCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder interrupts = new LongAdder();
    final LongAdder failedReplies = new LongAdder();
    final LongAdder unexpectedErrors = new LongAdder();

    FuseCounters snapshot() {
        return new FuseCounters(requests.sum(), interrupts.sum(), failedReplies.sum(), unexpectedErrors.sum());
    }
}
