#!/usr/bin/env python3
"""Measures how deleting a large fragmented file affects the operations right after it: creates
and unlinks of empty files in one directory before and right after the delete, and how long the
volume takes to show the file's space free again. Run it through benchmarks/delete-stall.sh, on a
volume aged by benchmarks/age-volume.sh (or a fresh one, with --mkfs, to compare).

Steps, on one mount, with /dev/cpu_dma_latency held at 0:
  warm-up   --files creates and unlinks, untimed
  before    --files creates in a new directory (each one timed), then their unlinks, a sync
  big file  a --big-size file preallocated with fallocate(2) like fio's default (or, with
            --holes, left sparse) and written with 4 KiB writes at random offsets for
            --write-seconds, then fsync'd
  delete    unlink of the big file; at once, --files creates in a new directory (each one timed)
            and then their unlinks
  freed     `scoutfs df` is polled until the big file's blocks are free again
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from age import parse_size  # noqa: E402
from scoutfs_mount import CpuLatency, Volume, fallocate, is_mounted  # noqa: E402


def log(msg):
    print("%s %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def creates(d, n):
    """Creates n empty files in the new directory d; returns each create's latency in seconds."""
    os.mkdir(d)
    lat = []
    for i in range(n):
        t0 = time.perf_counter()
        os.close(os.open(os.path.join(d, "f%d" % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        lat.append(time.perf_counter() - t0)
    return lat


def unlinks(d, n):
    lat = []
    for i in range(n):
        t0 = time.perf_counter()
        os.unlink(os.path.join(d, "f%d" % i))
        lat.append(time.perf_counter() - t0)
    os.rmdir(d)
    return lat


def summary(lat):
    s = sorted(lat)
    return {"per_s": len(lat) / sum(lat), "max_ms": s[-1] * 1e3,
            "p99_ms": s[int(len(s) * 0.99) - 1] * 1e3, "median_ms": statistics.median(s) * 1e3}


def timeline(lat, buckets=10):
    """Rates over consecutive slices of the run, so a stall that ends partway shows."""
    per = max(1, len(lat) // buckets)
    return [round(per / sum(lat[i:i + per])) for i in range(0, len(lat) - per + 1, per)]


def random_writes(path, size, seconds, holes, seed):
    rnd = random.Random(seed)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        if holes:
            os.ftruncate(fd, size)
        else:
            fallocate(fd, 0, 0, size)
        block = rnd.randbytes(4096)
        nblocks = size // 4096
        writes = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for _ in range(256):
                os.pwrite(fd, block, rnd.randrange(nblocks) * 4096)
            writes += 256
        os.fsync(fd)
        return writes / seconds
    finally:
        os.close(fd)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scoutfs", required=True, help="path of bin/scoutfs")
    ap.add_argument("--volume", required=True)
    ap.add_argument("--mnt", required=True)
    ap.add_argument("--mkfs", metavar="SIZE", help="make a fresh volume of SIZE first (for comparison)")
    ap.add_argument("--files", type=int, default=2000)
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
            before_c = creates(run + "/before", args.files)
            before_u = unlinks(run + "/before", args.files)
            vol.sync()
            res["before"] = {"create": summary(before_c), "unlink": summary(before_u)}
            log("before:  %6.0f creates/s (longest %.1f ms), %6.0f unlinks/s (longest %.1f ms)"
                % (res["before"]["create"]["per_s"], res["before"]["create"]["max_ms"],
                   res["before"]["unlink"]["per_s"], res["before"]["unlink"]["max_ms"]))

            big = os.path.join(run, "big")
            iops = random_writes(big, big_size, args.write_seconds, args.holes, 7)
            vol.sync()
            # written into holes, a block the random writes missed was never allocated
            allocated = os.stat(big).st_blocks * 512 // 4096
            res["big_file"] = {"bytes": big_size, "blocks": allocated, "write_iops": iops,
                               "preallocated": not args.holes}
            log("big file: %d MiB (%d blocks), %.0f random 4 KiB writes/s for %.0f s, fsync'd"
                % (big_size >> 20, allocated, iops, args.write_seconds))
            free_before = vol.data_blocks_free()

            t_del = time.monotonic()
            os.unlink(big)
            after_c = creates(run + "/after", args.files)
            t_created = time.monotonic()
            after_u = unlinks(run + "/after", args.files)
            res["after"] = {"create": summary(after_c), "unlink": summary(after_u),
                            "create_timeline_per_s": timeline(after_c),
                            "creates_took_s": t_created - t_del}
            log("after:   %6.0f creates/s (longest %.1f ms), %6.0f unlinks/s (longest %.1f ms)"
                % (res["after"]["create"]["per_s"], res["after"]["create"]["max_ms"],
                   res["after"]["unlink"]["per_s"], res["after"]["unlink"]["max_ms"]))
            log("         creates/s over the run, in tenths: %s" % res["after"]["create_timeline_per_s"])

            want = free_before + allocated
            deadline = t_del + args.freed_timeout
            freed = vol.data_blocks_free()
            while freed < want and time.monotonic() < deadline:
                time.sleep(0.5)
                freed = vol.data_blocks_free()
            res["freed_after_s"] = time.monotonic() - t_del if freed >= want else None
            vol.sync()
            res["data_free_blocks"] = {"before_delete": free_before, "expected": want, "at_end": vol.data_blocks_free()}
            log("freed:   %s; data blocks free %d before the delete, %d at the end (expected at least %d)"
                % ("df showed the file's space free %.1f s after the unlink" % res["freed_after_s"]
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
    b = res["before"]["create"]["per_s"]
    a = res["after"]["create"]["per_s"]
    log("creates/s after the delete are %.2f of those before it" % (a / b))


if __name__ == "__main__":
    main()
