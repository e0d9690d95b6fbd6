#!/usr/bin/env python3
"""Ages a scoutfs volume file the way a volume ages in use, with crashes, so that problems that
only show on an old volume (fragmented free space, many log trees, orphans left by a dead node)
can be reproduced in a few minutes. Run it through benchmarks/age-volume.sh.

Phases, on one mount of a fresh volume (mkfs unless --reuse):
  fsx     one process, one file: random writes, reads checked against an in-memory model,
          truncates, hole punches and preallocations (fallocate modes 0 and KEEP_SIZE)
  stress  --procs processes, each in its own directory: creates, writes at random offsets,
          appends, punches, preallocations, truncates, renames, links, unlinks (some while
          the file is still open, which leaves orphans), mkdir/rmdir, fsyncs. Meanwhile the node
          is killed with kill -9 --crashes times, at random moments, and the volume remounted;
          the workers carry on with what the crash left.
  churn   --churn bytes of files written in 1 MiB writes, synced, deleted and synced
It leaves the volume unmounted (or mounted with --keep-mounted) and prints `scoutfs df`.
"""

import argparse
import errno
import multiprocessing as mp
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scoutfs_mount import (FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, CpuLatency, Volume,  # noqa: E402
                           fallocate, is_mounted)

# errors a syscall on a mount whose node was just killed can end with
DEAD_MOUNT = {errno.ENOTCONN, errno.ECONNABORTED, errno.EIO, errno.ENODEV, errno.EBADF}
PATTERN = random.Random(1).randbytes(1 << 20)
FSX_FILE_MAX = 16 << 20
STRESS_FILE_MAX = 8 << 20


def log(msg):
    print("%s %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


# ---------------------------------------------------------------- fsx

def fsx(path, ops, seed):
    """Random operations on one file, every read checked against a model of its contents."""
    rnd = random.Random(seed)
    model = bytearray()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for i in range(ops):
            op = rnd.random()
            off = rnd.randrange(FSX_FILE_MAX)
            n = rnd.randrange(1, 128 << 10)
            if off + n > FSX_FILE_MAX:
                n = FSX_FILE_MAX - off
            if op < 0.40:
                data = PATTERN[off % 4096:off % 4096 + n]
                os.pwrite(fd, data, off)
                if off > len(model):
                    model.extend(bytes(off - len(model)))
                model[off:off + n] = data
            elif op < 0.70:
                got = os.pread(fd, n, off)
                want = bytes(model[off:off + n])
                if got != want:
                    raise AssertionError("fsx op %d: read of %d bytes at %d differs from the model" % (i, n, off))
            elif op < 0.78:
                size = rnd.randrange(FSX_FILE_MAX)
                os.ftruncate(fd, size)
                if size < len(model):
                    del model[size:]
                else:
                    model.extend(bytes(size - len(model)))
            elif op < 0.90:
                fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, n)
                end = min(off + n, len(model))
                if off < end:
                    model[off:end] = bytes(end - off)
            elif op < 0.96:
                keep = rnd.random() < 0.5
                fallocate(fd, FALLOC_FL_KEEP_SIZE if keep else 0, off, n)
                if not keep and off + n > len(model):
                    model.extend(bytes(off + n - len(model)))
            else:
                os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- stress

class DeadMount(Exception):
    pass


def stress_worker(mnt, wid, ops, seed, gen, progress):
    """One stress process: random operations in mnt/stress/w<wid>; waits out crashes."""
    rnd = random.Random(seed)
    seen_gen = gen.value
    root = None
    open_fds = []

    def reopen():
        nonlocal root, seen_gen
        for fd in open_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        open_fds.clear()
        if root is not None:
            try:
                os.close(root)
            except OSError:
                pass
        while True:
            if gen.value < 0:
                raise SystemExit(0)
            if gen.value != seen_gen or root is None:
                seen_gen = gen.value
                if is_mounted(mnt):
                    try:
                        d = os.path.join(mnt, "stress", "w%d" % wid)
                        os.makedirs(d, exist_ok=True)
                        root = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
                        # operations go through the directory's descriptor, so after a crash they
                        # fail on the dead mount instead of landing in the directory under it
                        return
                    except OSError as e:
                        if e.errno not in DEAD_MOUNT:
                            raise
            time.sleep(0.05)

    def names():
        return [n for n in os.listdir(root) if n.startswith("f")]

    reopen()
    done = 0
    while done < ops:
        if gen.value < 0:
            return
        try:
            one_op(rnd, root, names, open_fds)
            done += 1
            with progress.get_lock():
                progress.value += 1
        except (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError):
            done += 1  # a crash took back what this worker thought was there
        except OSError as e:
            if e.errno == errno.ENOTEMPTY:
                done += 1
            elif e.errno in DEAD_MOUNT:
                reopen()
            else:
                raise


def one_op(rnd, root, names, open_fds):
    op = rnd.random()
    existing = names()
    name = "f%d" % rnd.randrange(400)
    if op < 0.15 or not existing:
        fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o644, dir_fd=root)
        off = rnd.randrange(STRESS_FILE_MAX)
        n = rnd.randrange(1, 256 << 10)
        os.pwrite(fd, PATTERN[:min(n, len(PATTERN))], off)
        os.close(fd)
        return
    target = rnd.choice(existing)
    if op < 0.40:
        fd = os.open(target, os.O_RDWR, dir_fd=root)
        try:
            off = rnd.randrange(STRESS_FILE_MAX)
            n = rnd.randrange(1, 128 << 10)
            os.pwrite(fd, PATTERN[off % 4096:off % 4096 + n], off)
        finally:
            os.close(fd)
    elif op < 0.47:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND, dir_fd=root)
        try:
            if os.fstat(fd).st_size < STRESS_FILE_MAX:
                os.write(fd, PATTERN[:rnd.randrange(1, 64 << 10)])
        finally:
            os.close(fd)
    elif op < 0.60:
        fd = os.open(target, os.O_RDWR, dir_fd=root)
        try:
            size = os.fstat(fd).st_size
            if size:
                off = rnd.randrange(size)
                fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, rnd.randrange(1, 1 << 20))
        finally:
            os.close(fd)
    elif op < 0.65:
        fd = os.open(target, os.O_RDWR, dir_fd=root)
        try:
            fallocate(fd, rnd.choice((0, FALLOC_FL_KEEP_SIZE)), rnd.randrange(STRESS_FILE_MAX - (1 << 20)),
                      rnd.randrange(1, 1 << 20))
        finally:
            os.close(fd)
    elif op < 0.72:
        fd = os.open(target, os.O_RDWR, dir_fd=root)
        try:
            os.ftruncate(fd, rnd.randrange(STRESS_FILE_MAX))
        finally:
            os.close(fd)
    elif op < 0.78:
        os.rename(target, name, src_dir_fd=root, dst_dir_fd=root)
    elif op < 0.80:
        os.link(target, name, src_dir_fd=root, dst_dir_fd=root)
    elif op < 0.90:
        if rnd.random() < 0.3 and len(open_fds) < 8:
            # unlinked while open: an orphan until closed, or until the next mount reaps it
            open_fds.append(os.open(target, os.O_RDONLY, dir_fd=root))
        os.unlink(target, dir_fd=root)
        if open_fds and rnd.random() < 0.3:
            os.close(open_fds.pop(0))
    elif op < 0.94:
        d = "d%d" % rnd.randrange(20)
        if rnd.random() < 0.5:
            os.mkdir(d, dir_fd=root)
            fd = os.open(d + "/x", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=root)
            os.close(fd)
        else:
            os.unlink(d + "/x", dir_fd=root)
            os.rmdir(d, dir_fd=root)
    elif op < 0.97:
        os.stat(target, dir_fd=root)
    else:
        fd = os.open(target, os.O_RDONLY, dir_fd=root)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def stress(vol, procs, ops, crashes, seed):
    rnd = random.Random(seed)
    gen = mp.Value("l", 0)
    progress = mp.Value("l", 0)
    per = ops // procs
    workers = [mp.Process(target=stress_worker, args=(vol.mnt, w, per, seed * 100 + w, gen, progress))
               for w in range(procs)]
    for w in workers:
        w.start()
    # crash points spread over the run, at random places between evenly spaced marks
    marks = sorted(int(per * procs * (i + rnd.random()) / (crashes + 1)) for i in range(crashes))
    try:
        for mark in marks:
            while progress.value < mark and any(w.is_alive() for w in workers):
                time.sleep(0.02)
            if not any(w.is_alive() for w in workers):
                break
            t0 = time.monotonic()
            vol.crash()
            vol.mount()
            with gen.get_lock():
                gen.value += 1
            log("  crash at %d ops: node killed and the volume remounted in %.1f s" % (progress.value,
                                                                                     time.monotonic() - t0))
        for w in workers:
            w.join()
    finally:
        with gen.get_lock():
            gen.value = -1
        for w in workers:
            w.join(10)
            if w.is_alive():
                w.terminate()
    bad = [w.exitcode for w in workers if w.exitcode]
    if bad:
        raise RuntimeError("stress workers failed: exit codes %s" % bad)


# ---------------------------------------------------------------- churn

def churn(vol, total, file_size=128 << 20):
    d = os.path.join(vol.mnt, "churn")
    os.makedirs(d, exist_ok=True)
    chunk = PATTERN
    paths = []
    for i in range(max(1, total // file_size)):
        p = os.path.join(d, "c%d" % i)
        with open(p, "wb", buffering=0) as f:
            for _ in range(file_size // len(chunk)):
                f.write(chunk)
        paths.append(p)
    vol.sync()
    for p in paths:
        os.unlink(p)
    vol.sync()


def parse_size(s):
    units = {"K": 10, "M": 20, "G": 30, "T": 40}
    return int(s[:-1]) << units[s[-1].upper()] if s[-1].upper() in units else int(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scoutfs", required=True, help="path of bin/scoutfs")
    ap.add_argument("--volume", required=True, help="volume file (made with mkfs unless --reuse)")
    ap.add_argument("--mnt", required=True)
    ap.add_argument("--size", default="16G")
    ap.add_argument("--reuse", action="store_true", help="age the volume further instead of making it anew")
    ap.add_argument("--fsx-ops", type=int, default=50_000)
    ap.add_argument("--stress-ops", type=int, default=40_000, help="in all, shared by the processes")
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--crashes", type=int, default=3)
    ap.add_argument("--churn", default="1G")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--keep-mounted", action="store_true")
    args = ap.parse_args()

    vol = Volume(args.scoutfs, os.path.abspath(args.volume), os.path.abspath(args.mnt),
                 os.path.abspath(args.volume) + ".node.log")
    if is_mounted(vol.mnt):
        sys.exit("%s is already mounted" % vol.mnt)
    ok = False
    with CpuLatency():
        try:
            if not args.reuse:
                vol.mkfs(parse_size(args.size))
            vol.mount()
            t0 = time.monotonic()
            log("fsx: %d ops" % args.fsx_ops)
            fsx(os.path.join(vol.mnt, "fsx.file"), args.fsx_ops, args.seed)
            t1 = time.monotonic()
            log("fsx done in %.0f s; stress: %d ops from %d processes, %d crashes"
                % (t1 - t0, args.stress_ops, args.procs, args.crashes))
            stress(vol, args.procs, args.stress_ops, args.crashes, args.seed)
            t2 = time.monotonic()
            log("stress done in %.0f s; churn: %s written and deleted" % (t2 - t1, args.churn))
            churn(vol, parse_size(args.churn))
            log("churn done in %.0f s" % (time.monotonic() - t2))
            print(vol.df(), end="")
            ok = True
        finally:
            if not (ok and args.keep_mounted):
                vol.unmount()
    log("aged %s%s" % (vol.volume, " (still mounted on %s)" % vol.mnt if args.keep_mounted else ""))


if __name__ == "__main__":
    main()
