"""Cluster benchmarks: several scoutfs mounts of one volume file, each its own node process on
127.0.0.1, measured in one run against the same volume mounted by one node alone.

  creates       empty files created for a fixed time in a directory of each mount's own, from 1, 2
                and 3 mounts at once (aggregate rate), and from 3 mounts into one shared directory
  visibility    a file created on one mount, then stat on another: the time from the create's
                return to the other mount's first successful stat (no settling time is allowed)
  lock          two mounts take turns appending to one file: each append moves the file's write
                lock from one node to the other (revoke, commit, grant)
  failover      kill -9 of the leader, then a create and fsync on another mount retried until it
                succeeds: the time from the kill to the first request the new leader served

Every phase writes one JSON line to the results file; cluster.sh prints the table.
"""

import argparse
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scoutfs_mount import is_mounted, node_pid, sh  # noqa: E402

BASE_PORT = 7811


def addr(i):
    return "127.0.0.1:%d" % (BASE_PORT + i)


class Cluster:
    def __init__(self, scoutfs, work, nodes, quorum, size):
        self.scoutfs = scoutfs
        self.work = work
        self.nodes = nodes
        self.quorum = quorum
        self.volume = os.path.join(work, "volume-q%d" % quorum)
        self.size = size
        self.mounted = set()

    def mnt(self, i):
        return os.path.join(self.work, "q%d-mnt%d" % (self.quorum, i))

    def log(self, i):
        return os.path.join(self.work, "q%d-node%d.log" % (self.quorum, i))

    def mkfs(self):
        with open(self.volume, "w"):
            pass
        os.truncate(self.volume, self.size)
        sh(self.scoutfs, "mkfs", "-f", "-Q", str(self.quorum), self.volume, capture=True)

    def options(self, i):
        if self.nodes == 1:
            return "log=" + self.log(i)
        opts = ["server_addr=" + addr(i), "log=" + self.log(i)]
        opts += ["peer=" + addr(j) for j in range(self.nodes) if j != i]
        return ",".join(opts)

    def mount(self, nodes):
        """Mounts `nodes` at once (a quorum has to start together) and waits for all of them."""
        procs = []
        for i in nodes:
            os.makedirs(self.mnt(i), exist_ok=True)
            procs.append((i, subprocess.Popen([self.scoutfs, "mount", "-o", self.options(i), self.volume,
                                               self.mnt(i)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                              text=True)))
        for i, p in procs:
            out, _ = p.communicate(timeout=180)
            if p.returncode != 0:
                raise RuntimeError("mount of node %d failed: %s" % (i, out))
            self.mounted.add(i)

    def leader(self):
        """The node whose address the leader's heartbeat names (`scoutfs cluster` on any mount)."""
        deadline = time.time() + 60
        while True:
            out = sh(self.scoutfs, "cluster", self.mnt(min(self.mounted)), capture=True).stdout
            for line in out.splitlines():
                # leader slot 1 mount 5c2a... address 127.0.0.1:7812 term 3 server up heard 40 ms ago
                words = line.split()
                if words[:2] == ["leader", "slot"] and "address" in words and "up" in words:
                    port = int(words[words.index("address") + 1].rsplit(":", 1)[1])
                    return port - BASE_PORT
            if time.time() > deadline:
                raise RuntimeError("no leader serving: " + out)
            time.sleep(0.2)

    def pid(self, i):
        return node_pid(self.mnt(i), field="mountPoint")

    def kill(self, i):
        os.kill(self.pid(i), signal.SIGKILL)
        self.mounted.discard(i)
        deadline = time.time() + 30
        while is_mounted(self.mnt(i)) and time.time() < deadline:
            time.sleep(0.05)
        if is_mounted(self.mnt(i)):
            sh("fusermount3", "-uz", self.mnt(i), check=False)

    def unmount_all(self):
        for i in sorted(self.mounted):
            if is_mounted(self.mnt(i)):
                sh("umount", self.mnt(i), check=False)
        deadline = time.time() + 60
        while time.time() < deadline:
            if not any(self._alive(i) for i in range(self.nodes)):
                break
            time.sleep(0.2)
        for i in range(self.nodes):
            if self._alive(i):
                os.kill(self.pid(i), signal.SIGKILL)
            if is_mounted(self.mnt(i)):
                sh("fusermount3", "-uz", self.mnt(i), check=False)
        self.mounted.clear()

    def _alive(self, i):
        try:
            self.pid(i)
            return True
        except RuntimeError:
            return False


def _create_for(directory, prefix, seconds, start_at, result):
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    end = start_at + seconds
    while time.time() < end:
        fd = os.open(os.path.join(directory, "%s%d" % (prefix, n)), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
        os.close(fd)
        n += 1
    result.put(n)


def creates(dirs, seconds):
    """Creates files in every directory of `dirs` from one process each, all starting at once;
    returns files/s in all. Directories may be one directory seen through several mounts."""
    q = multiprocessing.Queue()
    start_at = time.time() + 0.5
    procs = [multiprocessing.Process(target=_create_for, args=(d, "m%d-" % k, seconds, start_at, q))
             for k, d in enumerate(dirs)]
    for p in procs:
        p.start()
    total = sum(q.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def visibility(a_dir, b_dir, count):
    """Create on A; stat on B until it is there. Returns the latencies in ms and the misses."""
    lat = []
    misses = 0
    for n in range(count):
        name = "v%d" % n
        fd = os.open(os.path.join(a_dir, name), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
        os.close(fd)
        t0 = time.perf_counter()
        first = True
        while True:
            try:
                os.stat(os.path.join(b_dir, name))
                break
            except FileNotFoundError:
                if first:
                    misses += 1
                    first = False
                if time.perf_counter() - t0 > 10:
                    raise RuntimeError("%s not visible on the other mount after 10 s" % name)
        lat.append((time.perf_counter() - t0) * 1000)
    return lat, misses


def lock_ping_pong(a_file, b_file, rounds):
    """Alternate one-byte appends through two mounts; returns ms per append (a lock move each)."""
    open(a_file, "w").close()
    fa = os.open(a_file, os.O_WRONLY | os.O_APPEND)
    deadline = time.time() + 10
    while True:
        try:
            fb = os.open(b_file, os.O_WRONLY | os.O_APPEND)
            break
        except FileNotFoundError:
            if time.time() > deadline:
                raise
    lat = []
    try:
        for r in range(rounds):
            fd = fa if r % 2 == 0 else fb
            t0 = time.perf_counter()
            os.write(fd, b"x")
            lat.append((time.perf_counter() - t0) * 1000)
    finally:
        os.close(fa)
        os.close(fb)
    size = os.stat(a_file).st_size
    if size != rounds:
        raise RuntimeError("appends lost: %d of %d bytes" % (size, rounds))
    return lat


def failover_once(cluster, survivor_dir, n):
    leader = cluster.leader()
    cluster.kill(leader)
    t0 = time.perf_counter()
    attempt = 0
    while True:
        attempt += 1
        try:
            path = os.path.join(survivor_dir, "after-kill-%d-%d" % (n, attempt))
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
            try:
                os.write(fd, b"served")
                os.fsync(fd)
            finally:
                os.close(fd)
            break
        except OSError:
            if time.perf_counter() - t0 > 120:
                raise
            time.sleep(0.01)
    took = (time.perf_counter() - t0) * 1000
    cluster.mount([leader])
    return leader, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scoutfs", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--visibility-count", type=int, default=500)
    ap.add_argument("--lock-rounds", type=int, default=400)
    ap.add_argument("--failovers", type=int, default=5)
    ap.add_argument("--size", type=int, default=8 << 30)
    ap.add_argument("--phases", default="alone,creates,visibility,lock,failover",
                    help="comma-separated subset of: alone, creates, visibility, lock, failover")
    ap.add_argument("--alone-mounts", type=int, default=2, help="mounts of each build for the single-node rounds")
    ap.add_argument("--alone-rounds", type=int, default=3, help="timed rounds per single-node mount")
    ap.add_argument("--reference-scoutfs", help="another build's scoutfs command: its single node's creates/s "
                    "is measured in the same run, for the single-node regression check")
    args = ap.parse_args()
    phases = set(args.phases.split(","))
    os.makedirs(args.work, exist_ok=True)
    out = open(args.results, "a")

    def record(**kv):
        out.write(json.dumps(kv) + "\n")
        out.flush()
        print("  " + json.dumps(kv), flush=True)

    # the reference: the same volume size, one node alone (quorum 1, no cluster address); and the
    # same with another build, when given. Each mount gets an untimed warm-up (its JVM compiles
    # the paths), then timed rounds; mounts of the two builds alternate, so drift hits both alike
    builds = [("this build", args.scoutfs)]
    if args.reference_scoutfs:
        builds.append(("reference build", args.reference_scoutfs))
    if "alone" in phases:
        for mount_round in range(args.alone_mounts):
            for name, command in builds:
                alone = Cluster(command, args.work, 1, 1, args.size)
                alone.mkfs()
                alone.mount([0])
                try:
                    warm = os.path.join(alone.mnt(0), "warm-up")
                    os.makedirs(warm)
                    creates([warm], 3)
                    for rnd in range(args.alone_rounds):
                        d = os.path.join(alone.mnt(0), "alone-%d" % rnd)
                        os.makedirs(d)
                        record(phase="creates", setup="one node alone" if name == "this build"
                               else "one node alone, " + name, build=name, mount=mount_round, round=rnd, mounts=1,
                               per_s=creates([d], args.seconds))
                finally:
                    alone.unmount_all()
    if not phases & {"creates", "visibility", "lock", "failover"}:
        return

    c = Cluster(args.scoutfs, args.work, 3, 2, args.size)
    c.mkfs()
    c.mount([0, 1, 2])
    stop_ticker = threading.Event()
    try:
        for k in (1, 2, 3) if "creates" in phases else ():
            dirs = []
            for i in range(k):
                d = os.path.join(c.mnt(i), "own-%d-of-%d" % (i, k))
                os.makedirs(d)
                dirs.append(d)
            record(phase="creates", setup="3-node cluster, own directories", mounts=k,
                   per_s=creates(dirs, args.seconds))
        if "creates" in phases:
            os.makedirs(os.path.join(c.mnt(0), "shared"))
            record(phase="creates", setup="3-node cluster, one shared directory", mounts=3,
                   per_s=creates([os.path.join(c.mnt(i), "shared") for i in range(3)], args.seconds))

        if "visibility" in phases:
            os.makedirs(os.path.join(c.mnt(0), "vis"))
            lat, misses = visibility(os.path.join(c.mnt(0), "vis"), os.path.join(c.mnt(1), "vis"),
                                     args.visibility_count)
            record(phase="visibility", count=len(lat), p50_ms=percentile(lat, 50), p99_ms=percentile(lat, 99),
                   max_ms=max(lat), first_stat_missed=misses)

        if "lock" in phases:
            lat = lock_ping_pong(os.path.join(c.mnt(0), "pingpong"), os.path.join(c.mnt(1), "pingpong"),
                                 args.lock_rounds)
            record(phase="lock", rounds=len(lat), p50_ms=percentile(lat, 50), p99_ms=percentile(lat, 99),
                   mean_ms=statistics.mean(lat))

        times = []
        for n in range(args.failovers if "failover" in phases else 0):
            leader = c.leader()
            survivor = next(i for i in range(3) if i != leader)
            d = os.path.join(c.mnt(survivor), "failover-%d" % n)
            os.makedirs(d)
            killed, took = failover_once(c, d, n)
            times.append(took)
            record(phase="failover", run=n, killed_node=killed, ms=took)
            time.sleep(2)
        if times:
            record(phase="failover-summary", runs=len(times), median_ms=statistics.median(times),
                   min_ms=min(times), max_ms=max(times))
    finally:
        stop_ticker.set()
        c.unmount_all()


if __name__ == "__main__":
    main()
