#!/usr/bin/env python3
"""Filesystem benchmarks: scoutfs beside tmpfs, ext4 on a loop device and bindfs (a C FUSE
passthrough) over tmpfs, in one run, reported as ratios against bindfs.

Run it through benchmarks/run-fs.sh, which builds scoutfs and holds /dev/cpu_dma_latency at 0
for the whole run (idle vCPUs of these VMs otherwise halt, and every FUSE round trip pays a
wake-up; see docs/benchmarks.md).

Workloads, the same on every filesystem:
  seq_write    1 GiB in 1 MiB writes with a final fsync (fio, psync), MiB/s
  seq_read     the same file read back after dropping caches, MiB/s
  rand_write   4 KiB random writes into that 1 GiB file for a fixed time, IOPS
  rand_read    4 KiB random reads of it after dropping caches, IOPS
  create       10,000 empty files in one directory (open O_CREAT|O_EXCL, close), then a sync
               of the filesystem, files/s
  stat         stat of each after dropping caches, files/s
  unlink       unlink of each, then a sync, files/s (the sync counts work a filesystem defers,
               such as scoutfs deleting unlinked inodes in the background, against the phase
               that caused it instead of the one after it)
  list         readdir of a 10,000-entry directory, made and synced beforehand, after dropping
               caches, entries/s
And the same operations in the shape of a user's tree: --files files (default 10,000) spread over
--dirs directories (default 100), each phase going through the directories in turn:
  tree_create       creates, then a sync, files/s
  tree_stat_warm    stat of each right after (the kernel's caches hold them), files/s
  tree_stat_cold    stat of each after dropping caches, files/s
  tree_readdir_cold readdir of every directory after dropping caches, entries/s
  tree_unlink       unlink of each, then a sync, files/s
  seq_read_warm     the 1 GiB file read again at once, without dropping caches (a second open;
                    fio told not to drop the file's pages itself), MiB/s
"Cold" means the kernel's caches of the mount under test are dropped. The memory behind bindfs
and behind the scoutfs volume file is tmpfs, which drop_caches cannot empty; so a cold read
measures the FUSE path, not a disk. The log says how much of the file the kernel still held
(fincore) before each cold read, to show the drop took.
Volume states (scoutfs; bindfs runs the same steps on a fresh tmpfs):
  --aged VOLUME        a copy of VOLUME (made by benchmarks/age-volume.sh) instead of a fresh mkfs
  --after-big-delete SIZE
                       before every round, a SIZE file is preallocated, written with 4 KiB writes
                       at random offsets for --big-write-seconds (tens of thousands of extents),
                       fsync'd and unlinked, and the round starts at once, while the deletion runs
Before them, untimed, two rounds of every metadata operation on 10,000 files, so that JIT
compilers and caches settle. Every workload runs --rounds times (default 3) on the same mount;
the report gives the median of the rounds, run.log and results.json every round.
And on scoutfs only: finding the 1,000 files changed since a point in a large tree, with
`scoutfs walk-inodes meta_seq S+1 -1` (end to end, the command's JVM start-up included)
against `find -newer` on the same mount.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scoutfs_mount import random_writes  # noqa: E402

FIO_SIZE = "1G"
RAND_SECONDS = 15
NFILES = 10_000
TREE_FILES = 10_000
TREE_DIRS = 100


def sh(*cmd, check=True, capture=False, env=None):
    return subprocess.run(cmd, check=check, text=True, env=env,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def node_running(mnt):
    """Whether a scoutfs node serving `mnt` still runs (its command line names the mount point)."""
    return subprocess.run(["pgrep", "-f", "NodeMain.*" + mnt], stdout=subprocess.DEVNULL).returncode == 0


def is_mounted(path):
    target = " " + os.path.realpath(path) + " "
    with open("/proc/mounts") as f:
        return any(target in line for line in f)


class Target:
    """A mounted filesystem under test; setup() mounts it, teardown() always unmounts."""

    def __init__(self, name, work):
        self.name = name
        self.work = os.path.join(work, name)
        self.mnt = os.path.join(self.work, "mnt")
        # what setup() makes beside the mount, named here so that teardown() after a failed
        # setup only looks for what is there
        self.backing = os.path.join(self.work, "backing")
        self.image = os.path.join(self.work, "ext4.img")

    def setup(self):
        os.makedirs(self.mnt, exist_ok=True)

    def sync(self):
        """Makes everything durable; sync(2) is what reaches the kernel filesystems."""
        os.sync()

    def backing_file(self, name):
        """The file in the backing store that holds the mount's `name`, if it is one file."""
        return None

    def teardown(self):
        if is_mounted(self.mnt):
            sh("umount", self.mnt, check=False)
        if is_mounted(self.mnt):
            sh("umount", "-l", self.mnt, check=False)


class Tmpfs(Target):
    def setup(self):
        super().setup()
        sh("mount", "-t", "tmpfs", "-o", "size=6g", "tmpfs", self.mnt)


class Ext4(Target):
    def setup(self):
        super().setup()
        sh("truncate", "-s", "6G", self.image)
        sh("mkfs.ext4", "-q", "-F", self.image)
        sh("mount", "-o", "loop", self.image, self.mnt)

    def teardown(self):
        super().teardown()
        if os.path.exists(self.image):
            os.remove(self.image)


class Bindfs(Target):
    def setup(self):
        super().setup()
        os.makedirs(self.backing, exist_ok=True)
        sh("mount", "-t", "tmpfs", "-o", "size=6g", "tmpfs", self.backing)
        sh("bindfs", self.backing, self.mnt)

    def backing_file(self, name):
        return os.path.join(self.backing, name)

    def teardown(self):
        super().teardown()
        if is_mounted(self.backing):
            sh("umount", self.backing, check=False)


class Scoutfs(Target):
    """A scoutfs volume file on a tmpfs (the same backing store bindfs gets), mounted by one node."""

    def __init__(self, name, work, scoutfs, size, aged=None):
        super().__init__(name, work)
        self.scoutfs = scoutfs
        self.size = size
        self.aged = aged

    def setup(self):
        super().setup()
        os.makedirs(self.backing, exist_ok=True)
        # a limit, not an allocation: the volume file is sparse and only written blocks take memory
        sh("mount", "-t", "tmpfs", "-o", "size=25g", "tmpfs", self.backing)
        self.volume = os.path.join(self.backing, "volume")
        if self.aged:
            # a copy, so that the aged state is the same for every run
            sh("cp", "--sparse=always", self.aged, self.volume)
        else:
            sh("truncate", "-s", self.size, self.volume)
            sh(self.scoutfs, "mkfs", "-Q", "1", "-m", "8G", self.volume, capture=True)
        sh(self.scoutfs, "mount", "-o", "log=" + os.path.join(self.work, "node.log"), self.volume, self.mnt)

    def sync(self):
        # sync(2) does not reach a FUSE filesystem
        sh(self.scoutfs, "sync", self.mnt)

    def teardown(self):
        super().teardown()
        # the node writes its last commit and exits after the unmount; the volume's tmpfs can
        # only go once it has
        deadline = time.monotonic() + 60
        while node_running(self.mnt) and time.monotonic() < deadline:
            time.sleep(0.2)
        if is_mounted(self.backing):
            sh("umount", self.backing, check=False)


def fio(path, rw, bs, runtime=None, end_fsync=False, invalidate=True):
    # fio drops the file's cached pages before a job unless told not to (invalidate=1 by default)
    cmd = ["fio", "--name=b", "--filename=" + path, "--rw=" + rw, "--bs=" + bs, "--size=" + FIO_SIZE,
           "--ioengine=psync", "--output-format=json", "--invalidate=%d" % invalidate]
    if runtime:
        cmd += ["--time_based", "--runtime=%d" % runtime]
    if end_fsync:
        cmd += ["--end_fsync=1"]
    out = json.loads(sh(*cmd, capture=True).stdout)
    job = out["jobs"][0]
    side = job["write"] if "write" in rw else job["read"]
    return side["bw_bytes"] / (1 << 20), side["iops"]


def resident_fraction(path):
    """How much of the file the kernel's page cache holds, from fincore(1); None if unknown."""
    out = sh("fincore", "--bytes", "--noheadings", "--output", "RES,SIZE", path, check=False, capture=True)
    try:
        res, size = (int(x) for x in out.stdout.split())
        return res / size if size else 0.0
    except ValueError:
        return None


def data_workloads(t, log, rand_seconds):
    f = os.path.join(t.mnt, "fiofile")
    r = {}
    r["seq_write"], _ = fio(f, "write", "1M", end_fsync=True)
    drop_caches()
    cached = resident_fraction(f)
    r["seq_read"], _ = fio(f, "read", "1M")
    r["seq_read_warm"], _ = fio(f, "read", "1M", invalidate=False)
    behind = t.backing_file("fiofile")
    log("    before the cold read the kernel held %s of the file%s" % (
        "?" if cached is None else "%.0f%%" % (cached * 100),
        "" if behind is None else ", and %.0f%% of the tmpfs file behind it" % (resident_fraction(behind) * 100)))
    _, r["rand_write"] = fio(f, "randwrite", "4k", runtime=rand_seconds)
    drop_caches()
    _, r["rand_read"] = fio(f, "randread", "4k", runtime=rand_seconds)
    os.remove(f)
    return r


def create_files(d, n):
    os.makedirs(d)
    for i in range(n):
        os.close(os.open(os.path.join(d, "f%d" % i), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))


def metadata_workloads(t):
    # a warm-up round of every measured operation first, for every filesystem alike, so that
    # JIT compilers and caches settle before the clock runs
    warm = os.path.join(t.mnt, "warmup")
    for _ in range(2):
        create_files(warm, NFILES)
        for i in range(NFILES):
            os.stat(os.path.join(warm, "f%d" % i))
        for _ in range(3):
            os.listdir(warm)
        for i in range(NFILES):
            os.unlink(os.path.join(warm, "f%d" % i))
        os.rmdir(warm)
    t.sync()
    d = os.path.join(t.mnt, "meta")
    r = {}
    t0 = time.perf_counter()
    create_files(d, NFILES)
    t.sync()
    t1 = time.perf_counter()
    r["create"] = NFILES / (t1 - t0)
    drop_caches()
    t0 = time.perf_counter()
    for i in range(NFILES):
        os.stat(os.path.join(d, "f%d" % i))
    t1 = time.perf_counter()
    r["stat"] = NFILES / (t1 - t0)
    t0 = time.perf_counter()
    for i in range(NFILES):
        os.unlink(os.path.join(d, "f%d" % i))
    t.sync()
    t1 = time.perf_counter()
    r["unlink"] = NFILES / (t1 - t0)
    os.rmdir(d)
    ld = os.path.join(t.mnt, "list")
    create_files(ld, NFILES)
    t.sync()
    drop_caches()
    t0 = time.perf_counter()
    names = os.listdir(ld)
    t1 = time.perf_counter()
    assert len(names) == NFILES, len(names)
    r["list"] = NFILES / (t1 - t0)
    shutil.rmtree(ld)
    return r


def tree_paths(root, files, dirs):
    """Paths of `files` files spread over `dirs` directories, in the order the phases visit them:
    all of one directory, then the next."""
    per = files // dirs
    return [[os.path.join(root, "d%d" % d, "f%d" % i) for i in range(per)] for d in range(dirs)]


def tree_workloads(t, files, dirs):
    """The user's shape: many small directories instead of one large one."""
    root = os.path.join(t.mnt, "tree-meta")
    paths = tree_paths(root, files, dirs)
    n = sum(len(p) for p in paths)
    r = {}
    os.makedirs(root)
    t0 = time.perf_counter()
    for d, ps in enumerate(paths):
        os.mkdir(os.path.dirname(ps[0]))
        for p in ps:
            os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    t.sync()
    r["tree_create"] = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for ps in paths:
        for p in ps:
            os.stat(p)
    r["tree_stat_warm"] = n / (time.perf_counter() - t0)
    drop_caches()
    t0 = time.perf_counter()
    for ps in paths:
        for p in ps:
            os.stat(p)
    r["tree_stat_cold"] = n / (time.perf_counter() - t0)
    drop_caches()
    t0 = time.perf_counter()
    listed = 0
    for ps in paths:
        listed += len(os.listdir(os.path.dirname(ps[0])))
    r["tree_readdir_cold"] = listed / (time.perf_counter() - t0)
    assert listed == n, (listed, n)
    t0 = time.perf_counter()
    for ps in paths:
        for p in ps:
            os.unlink(p)
    t.sync()
    r["tree_unlink"] = n / (time.perf_counter() - t0)
    for ps in paths:
        os.rmdir(os.path.dirname(ps[0]))
    os.rmdir(root)
    t.sync()
    return r


def big_delete(t, size, seconds, log):
    """Writes a fragmented file of `size` bytes (preallocated, then 4 KiB writes at random offsets
    for `seconds`, as fio would), fsyncs and unlinks it; whatever follows runs during its deletion."""
    path = os.path.join(t.mnt, "big-fragmented")
    writes = int(random_writes(path, size, seconds, holes=False, seed=7) * seconds)
    t.sync()
    os.unlink(path)
    log("    deleted a %d MiB file after %d random 4 KiB writes into it" % (size >> 20, writes))


def walk_vs_find(t, scoutfs, files, changed, log):
    """Builds a tree of `files` files, marks a point, changes `changed` of them and finds them."""
    root = os.path.join(t.mnt, "tree")
    per_dir = 1000
    dirs = max(1, files // per_dir)
    t0 = time.perf_counter()
    for d in range(dirs):
        create_files(os.path.join(root, "d%d" % d), per_dir)
    build = time.perf_counter() - t0
    log("    built %d files in %.0f s" % (dirs * per_dir, build))
    sh(scoutfs, "sync", t.mnt)
    marker = os.path.join(t.mnt, "marker")
    open(marker, "w").close()
    # the point is after the marker (and its directory's change) is committed, so that the walk
    # lists exactly the changed files
    sh(scoutfs, "sync", t.mnt)
    time.sleep(1.1)
    point = int(sh(scoutfs, "statfs", "-s", "committed_seq", t.mnt, capture=True).stdout.strip())
    rng = random.Random(1)
    picked = set()
    while len(picked) < changed:
        picked.add((rng.randrange(dirs), rng.randrange(per_dir)))
    for d, f in picked:
        os.utime(os.path.join(root, "d%d" % d, "f%d" % f))
    # an agent runs walk-inodes again and again; the first run of a command after a build also
    # records its ahead-of-time class cache (bin/scoutfs), so that one is not the one measured
    sh(scoutfs, "walk-inodes", "meta_seq", "0", "0", t.mnt, capture=True)
    t0 = time.perf_counter()
    out = sh(scoutfs, "walk-inodes", "meta_seq", str(point + 1), "-1", t.mnt, capture=True).stdout
    walk = time.perf_counter() - t0
    walked = sum(1 for line in out.splitlines() if line and not line.startswith("#"))
    drop_caches()
    t0 = time.perf_counter()
    out = sh("find", t.mnt, "-newer", marker, "-type", "f", capture=True).stdout
    find_cold = time.perf_counter() - t0
    found = len(out.splitlines())
    t0 = time.perf_counter()
    sh("find", t.mnt, "-newer", marker, "-type", "f", capture=True)
    find_warm = time.perf_counter() - t0
    return {"tree_files": dirs * per_dir, "changed": changed, "walk_entries": walked, "find_entries": found,
            "walk_s": walk, "find_cold_s": find_cold, "find_warm_s": find_warm, "build_s": build}


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1].upper() in units else int(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scoutfs", required=True, help="path of bin/scoutfs")
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tree-files", type=int, default=1_000_000)
    ap.add_argument("--only", default="tmpfs,ext4,bindfs,scoutfs")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every workload; the report gives medians")
    ap.add_argument("--files", type=int, default=TREE_FILES, help="files of the tree workloads")
    ap.add_argument("--dirs", type=int, default=TREE_DIRS, help="directories the tree workloads spread them over")
    ap.add_argument("--rand-seconds", type=int, default=RAND_SECONDS, help="seconds of each random I/O workload")
    ap.add_argument("--aged", metavar="VOLUME", help="scoutfs runs on a copy of this aged volume (age-volume.sh)")
    ap.add_argument("--after-big-delete", metavar="SIZE",
                    help="every round starts right after deleting a fragmented file of SIZE (e.g. 512M)")
    ap.add_argument("--big-write-seconds", type=float, default=15,
                    help="seconds of random 4 KiB writes into the big file before it is deleted")
    args = ap.parse_args()
    big_size = parse_size(args.after_big_delete) if args.after_big_delete else None
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, "run.log"), "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    targets = {
        "tmpfs": lambda: Tmpfs("tmpfs", args.work),
        "ext4": lambda: Ext4("ext4", args.work),
        "bindfs": lambda: Bindfs("bindfs", args.work),
        "scoutfs": lambda: Scoutfs("scoutfs", args.work, args.scoutfs, "24G", args.aged),
    }
    results = {}
    failed = []
    for name in args.only.split(","):
        t = targets[name]()
        log("== %s" % name)
        try:
            t.setup()
            rounds = []
            for i in range(args.rounds):
                if big_size:
                    big_delete(t, big_size, args.big_write_seconds, log)
                r = data_workloads(t, log, args.rand_seconds)
                log("  round %d data: %s" % (i + 1, ", ".join("%s %.0f" % kv for kv in r.items())))
                m = metadata_workloads(t)
                log("  round %d metadata: %s" % (i + 1, ", ".join("%s %.0f" % kv for kv in m.items())))
                r.update(m)
                if big_size:
                    big_delete(t, big_size, args.big_write_seconds, log)
                m = tree_workloads(t, args.files, args.dirs)
                log("  round %d tree (%d files in %d directories): %s" % (
                    i + 1, args.files, args.dirs, ", ".join("%s %.0f" % kv for kv in m.items())))
                r.update(m)
                rounds.append(r)
            r = {w: statistics.median(x[w] for x in rounds) for w in rounds[0]}
            r["rounds"] = rounds
            if name == "scoutfs" and args.tree_files > 0:
                w = walk_vs_find(t, args.scoutfs, args.tree_files, 1000, log)
                log("  walk-inodes %.3f s (%d entries) vs find -newer %.2f s cold, %.2f s warm (%d entries)"
                    % (w["walk_s"], w["walk_entries"], w["find_cold_s"], w["find_warm_s"], w["find_entries"]))
                r["walk"] = w
            results[name] = r
        except Exception as e:  # the other filesystems still run, and the run still fails
            log("  %s failed: %r" % (name, e))
            failed.append(name)
        finally:
            t.teardown()
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    if results:
        state = []
        if args.aged:
            state.append("a copy of the aged volume " + args.aged)
        if big_size:
            state.append("every round right after deleting a fragmented %d MiB file" % (big_size >> 20))
        report(results, args.out, log, "; ".join(state))
    if failed:
        log("failed: " + ", ".join(failed))
        return 1
    return 0


GOALS = {
    "seq_write": ("MiB/s", 1.0), "seq_read": ("MiB/s", 1.0), "seq_read_warm": ("MiB/s", 1.0),
    "rand_write": ("IOPS", 0.8), "rand_read": ("IOPS", 0.8),
    "create": ("files/s", 0.5), "stat": ("files/s", 0.5), "unlink": ("files/s", 0.5), "list": ("entries/s", 0.5),
    "tree_create": ("files/s", 0.5), "tree_stat_warm": ("files/s", 0.5), "tree_stat_cold": ("files/s", 0.5),
    "tree_readdir_cold": ("entries/s", 0.5), "tree_unlink": ("files/s", 0.5),
}


def report(results, out, log, state):
    names = [n for n in ("tmpfs", "ext4", "bindfs", "scoutfs") if n in results]
    lines = ["| workload | unit | " + " | ".join(names) + " | scoutfs / bindfs | goal |",
             "|---|---|" + "---|" * len(names) + "---|---|"]
    for w, (unit, goal) in GOALS.items():
        row = ["%.0f" % results[n][w] for n in names]
        ratio = ""
        verdict = ""
        if "bindfs" in results and "scoutfs" in results:
            rr = results["scoutfs"][w] / results["bindfs"][w]
            ratio = "%.2f" % rr
            if goal is not None:
                verdict = ("met" if rr >= goal else "missed") + " (>= %.1f)" % goal
        lines.append("| %s | %s | %s | %s | %s |" % (w, unit, " | ".join(row), ratio, verdict))
    rounds = len(results[names[0]].get("rounds", [None]))
    lines.append("")
    lines.append("Medians of %d round%s on each filesystem; the query below is one run." % (rounds, "" if rounds == 1 else "s"))
    if state:
        lines.append("scoutfs volume: " + state + ".")
    if "scoutfs" in results and "walk" in results["scoutfs"]:
        w = results["scoutfs"]["walk"]
        ratio = w["find_cold_s"] / w["walk_s"]
        lines.append("")
        lines.append("| query on %d files, %d changed | seconds | entries |" % (w["tree_files"], w["changed"]))
        lines.append("|---|---|---|")
        lines.append("| scoutfs walk-inodes meta_seq S+1 -1 (CLI start-up included) | %.3f | %d |"
                     % (w["walk_s"], w["walk_entries"]))
        lines.append("| find -newer, cold caches | %.2f | %d |" % (w["find_cold_s"], w["find_entries"]))
        lines.append("| find -newer, warm caches | %.2f | %d |" % (w["find_warm_s"], w["find_entries"]))
        lines.append("")
        lines.append("walk-inodes is %.0fx faster than cold find (%.0fx warm); goal >= 100x: %s"
                     % (ratio, w["find_warm_s"] / w["walk_s"], "met" if ratio >= 100 else "missed"))
    text = "\n".join(lines)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text + "\n")
    log("")
    log(text)


if __name__ == "__main__":
    sys.exit(main())
