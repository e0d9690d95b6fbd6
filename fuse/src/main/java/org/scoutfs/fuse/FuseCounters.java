package org.scoutfs.fuse;

/**
 * A snapshot of a session's counters, for monitoring and tests.
 *
 * @param requests requests read from the kernel, including those without reply (forget)
 * @param interrupts INTERRUPT requests received
 * @param failedReplies replies or notifications the kernel refused for a reason other than the
 *     request having been aborted; non-zero means a protocol bug
 * @param unexpectedErrors operations that failed with an exception other than
 *     {@link FuseException} (answered with EIO); non-zero means a filesystem bug
 */
public record FuseCounters(long requests, long interrupts, long failedReplies, long unexpectedErrors) {
}
