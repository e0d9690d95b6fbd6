#!/usr/bin/env python3
"""Measures how deleting a large fragmented file affects the operations right after it: creates
and unlinks of empty files in one directory before and right after the delete, and how long the
volume takes to show the file's space free again. Run it through benchmarks/delete-stall.sh, on a
volume aged by benchmarks/age-volume.sh (or a fresh one, with --mkfs, to compare).

Steps, on one mount, with /dev/cpu_dma_latency held at 0:
  warm-up   --files creates and unlinks, untimed
  before    rounds of --files creates in a new directory and their unlinks, each one timed,
            for --window seconds, then a sync
  big file  a --big-size file preallocated with fallocate(2) like fio's default (or, with
            --holes, left sparse) and written with 4 KiB writes at random offsets for
            --write-seconds, then fsync'd
  delete    unlink of the big file and at once the same rounds for --window seconds
  freed     from the unlink on, statfs(2) is polled until the big file's blocks are free again;
            `scoutfs df` confirms it at the end
The first round after the delete is the issue's measurement (2,000 creates right after it); the
window, longer than the node's 10 s commit interval, catches stalls that only come with commits.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from age import parse_size  # noqa: E402
from scoutfs_mount import CpuLatency, Volume, is_mounted, random_writes  # noqa: E402


def log(msg):
    print("%s %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


SLOW_S = 0.05
# operations that took longer than SLOW_S: (wall-clock time, what, seconds), to match with the node's log
slow_ops = []


def timed(what, op):
    t0 = time.perf_counter()
    op()
    took = time.perf_counter() - t0
    if took > SLOW_S:
        slow_ops.append((time.strftime("%H:%M:%S", time.localtime()) + ".%03d" % (time.time() * 1000 % 1000),
                         what, took))
    return took


def creates(d, n):
    """Creates n empty files in the new directory d; returns each create's latency in seconds."""
    os.mkdir(d)
    return [timed("create", lambda p=os.path.join(d, "f%d" % i):
                  os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))) for i in range(n)]


def unlinks(d, n):
    lat = [timed("unlink", lambda p=os.path.join(d, "f%d" % i): os.unlink(p)) for i in range(n)]
    os.rmdir(d)
    return lat


def rounds(base, n, seconds):
    """Rounds of n creates and n unlinks until `seconds` have passed; each op timed."""
    out = []
    end = time.monotonic() + seconds
    while not out or time.monotonic() < end:
        d = "%s.%d" % (base, len(out))
        c = creates(d, n)
        out.append((c, unlinks(d, n)))
    return out


def window_summary(rs):
    c = [x for r in rs for x in r[0]]
    u = [x for r in rs for x in r[1]]
    return {"first_round": {"create": summary(rs[0][0]), "unlink": summary(rs[0][1]),
                            "create_timeline_per_s": timeline(rs[0][0])},
            "window": {"seconds": sum(c) + sum(u), "create": summary(c), "unlink": summary(u),
                       "ops_over_100ms": sum(1 for x in c + u if x > 0.1)}}


def report(label, s):
    f, w = s["first_round"], s["window"]
    log("%s first %d creates: %6.0f creates/s (longest %.1f ms), %6.0f unlinks/s (longest %.1f ms)"
        % (label, f["create"]["count"], f["create"]["per_s"], f["create"]["max_ms"],
           f["unlink"]["per_s"], f["unlink"]["max_ms"]))
    log("%s over %.0f s: %6.0f creates/s (longest %.1f ms), %6.0f unlinks/s (longest %.1f ms), %d ops over 100 ms"
        % (" " * len(label), w["seconds"], w["create"]["per_s"], w["create"]["max_ms"], w["unlink"]["per_s"],
           w["unlink"]["max_ms"], w["ops_over_100ms"]))


def summary(lat):
    s = sorted(lat)
    return {"count": len(lat), "per_s": len(lat) / sum(lat), "max_ms": s[-1] * 1e3,
            "p99_ms": s[int(len(s) * 0.99) - 1] * 1e3, "median_ms": statistics.median(s) * 1e3}


def timeline(lat, buckets=10):
    """Rates over consecutive slices of the run, so a stall that ends partway shows."""
    per = max(1, len(lat) // buckets)
    return [round(per / sum(lat[i:i + per])) for i in range(0, len(lat) - per + 1, per)]


def watch_freed(mnt, want, t0, timeout):
    """Polls statfs(2) (the figures `scoutfs df` shows) until `want` data blocks are free; the
    seconds since t0 that took go in the returned dict, or None on timeout."""
    out = {"after_s": None}

    def poll():
        while time.monotonic() < t0 + timeout:
            if os.statvfs(mnt).f_bfree >= want:
                out["after_s"] = time.monotonic() - t0
                return
            time.sleep(0.2)

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    out["thread"] = th
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scoutfs", required=True, help="path of bin/scoutfs")
    ap.add_argument("--volume", required=True)
    ap.add_argument("--mnt", required=True)
    ap.add_argument("--mkfs", metavar="SIZE", help="make a fresh volume of SIZE first (for comparison)")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--window", type=float, default=20, help="seconds of creates and unlinks before and after")
    ap.add_argument("--big-size", default="256M")
    ap.add_argument("--write-seconds", type=float, default=15)
    ap.add_argument("--holes", action="store_true", help="write into a sparse file instead of a preallocated one")
    ap.add_argument("--freed-timeout", type=float, default=300)
    ap.add_argument("--json", help="write the results here too")
    ap.add_argument("--keep-mounted", action="store_true")
    args = ap.parse_args()

    vol = Volume(args.scoutfs, os.path.abspath(args.volume), os.path.abspath(args.mnt),
                 os.path.abspath(args.volume) + ".node.log")
    if is_mounted(vol.mnt):
        sys.exit("%s is already mounted" % vol.mnt)
    big_size = parse_size(args.big_size)
    res = {}
    ok = False
    with CpuLatency():
        try:
            if args.mkfs:
                vol.mkfs(parse_size(args.mkfs))
            vol.mount()
            run = os.path.join(vol.mnt, "stall.%d" % os.getpid())
            os.mkdir(run)
            unlinks(run + "/warm", len(creates(run + "/warm", args.files)))
            vol.sync()
            res["before"] = window_summary(rounds(run + "/before", args.files, args.window))
            vol.sync()
            report("before:", res["before"])

            big = os.path.join(run, "big")
            iops = random_writes(big, big_size, args.write_seconds, args.holes, 7)
            vol.sync()
            # written into holes, a block the random writes missed was never allocated
            allocated = os.stat(big).st_blocks * 512 // 4096
            res["big_file"] = {"bytes": big_size, "blocks": allocated, "write_iops": iops,
                               "preallocated": not args.holes}
            log("big file: %d MiB (%d blocks), %.0f random 4 KiB writes/s for %.0f s, fsync'd"
                % (big_size >> 20, allocated, iops, args.write_seconds))
            free_before = os.statvfs(vol.mnt).f_bfree

            want = free_before + allocated
            slow_ops.clear()
            t_del = time.monotonic()
            os.unlink(big)
            freed = watch_freed(vol.mnt, want, t_del, args.freed_timeout)
            res["after"] = window_summary(rounds(run + "/after", args.files, args.window))
            report("after: ", res["after"])
            log("        creates/s in tenths of the first round: %s"
                % res["after"]["first_round"]["create_timeline_per_s"])
            res["after"]["slow_ops"] = slow_ops[:]
            for at, what, took in sorted(slow_ops, key=lambda s: -s[2])[:5]:
                log("        slow %s at %s: %.1f ms" % (what, at, took * 1e3))

            freed["thread"].join()
            res["freed_after_s"] = freed["after_s"]
            vol.sync()
            res["data_free_blocks"] = {"before_delete": free_before, "expected": want, "at_end": vol.data_blocks_free()}
            log("freed:   %s; data blocks free %d before the delete, %d at the end (expected at least %d)"
                % ("statfs showed the file's space free %.1f s after the unlink" % res["freed_after_s"]
                   if res["freed_after_s"] is not None else "NOT within %.0f s" % args.freed_timeout,
                   free_before, res["data_free_blocks"]["at_end"], want))
            os.rmdir(run)
            ok = True
        finally:
            if not (ok and args.keep_mounted):
                vol.unmount()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=2)
    b = res["before"]["first_round"]["create"]["per_s"]
    a = res["after"]["first_round"]["create"]["per_s"]
    bw = res["before"]["window"]["create"]["per_s"]
    aw = res["after"]["window"]["create"]["per_s"]
    log("creates/s after the delete are %.2f of those before it (first round), %.2f (window)" % (a / b, aw / bw))


if __name__ == "__main__":
    main()
