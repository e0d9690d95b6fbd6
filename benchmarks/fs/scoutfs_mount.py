"""Helpers shared by the aging and delete-stall scripts: mounting a scoutfs volume, finding and
killing its node process, and the few syscalls Python's os module lacks."""

import ctypes
import ctypes.util
import os
import random
import subprocess
import time

FALLOC_FL_KEEP_SIZE = 0x01
FALLOC_FL_PUNCH_HOLE = 0x02

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
_libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]


def fallocate(fd, mode, offset, length):
    if _libc.fallocate(fd, mode, offset, length) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def sh(*cmd, check=True, capture=False):
    return subprocess.run(cmd, check=check, text=True,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)


def is_mounted(mnt):
    target = " " + os.path.realpath(mnt) + " "
    with open("/proc/mounts") as f:
        return any(target in line and "fuse" in line for line in f)


def node_pid(volume, field="metaDevice"):
    """The pid of the node process whose configuration (a JSON argument) gives `volume` as its
    `field`: the metadata device by default, or say "mountPoint"."""
    wanted = ('"%s":"%s"' % (field, os.path.realpath(volume))).encode()
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"org.scoutfs.node.NodeMain" in args and any(wanted in a for a in args):
            found.append(int(pid))
    if len(found) != 1:
        raise RuntimeError("expected one node process for %s, found %s" % (volume, found))
    return found[0]


def random_writes(path, size, seconds, holes, seed):
    """Makes a fragmented file: `size` bytes preallocated (or a hole, with `holes`), then 4 KiB
    writes at random offsets for `seconds`, then fsync. Returns the writes per second."""
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


class Volume:
    """A scoutfs volume file and where it is mounted; unmount() is safe to call at any time."""

    def __init__(self, scoutfs, volume, mnt, log):
        self.scoutfs = scoutfs
        self.volume = volume
        self.mnt = mnt
        self.log = log

    def mkfs(self, size):
        with open(self.volume, "a"):
            pass
        os.truncate(self.volume, 0)
        os.truncate(self.volume, size)
        sh(self.scoutfs, "mkfs", "-f", self.volume, capture=True)

    def mount(self):
        os.makedirs(self.mnt, exist_ok=True)
        sh(self.scoutfs, "mount", "-o", "log=" + self.log, self.volume, self.mnt)

    def pid(self):
        return node_pid(self.volume)

    def sync(self):
        sh(self.scoutfs, "sync", self.mnt)

    def df(self):
        return sh(self.scoutfs, "df", self.mnt, capture=True).stdout

    def data_blocks_free(self):
        """Free data blocks as `scoutfs df` reports them."""
        for line in self.df().splitlines():
            words = line.split()
            if words and words[0] == "Data":
                return int(words[4])
        raise RuntimeError("no data line in scoutfs df output")

    def crash(self):
        """kill -9 of the node process; returns once the kernel has dropped the dead mount."""
        pid = self.pid()
        os.kill(pid, 9)
        deadline = time.monotonic() + 30
        while is_mounted(self.mnt) or os.path.exists("/proc/%d" % pid):
            if time.monotonic() > deadline:
                raise RuntimeError("mount %s still there after its node was killed" % self.mnt)
            time.sleep(0.05)

    def unmount(self):
        if not is_mounted(self.mnt):
            return
        try:
            pid = self.pid()
        except RuntimeError:
            pid = None
        if sh("umount", self.mnt, check=False).returncode != 0:
            sh("fusermount3", "-u", "-z", self.mnt, check=False)
        # the node writes its last commit and exits after the unmount
        deadline = time.monotonic() + 120
        while pid is not None and os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
            time.sleep(0.1)


class CpuLatency:
    """Holds /dev/cpu_dma_latency at 0 while open, so idle vCPUs poll instead of halting and FUSE
    round trips do not pay a VM wake-up each (docs/benchmarks.md)."""

    def __enter__(self):
        try:
            self.fd = os.open("/dev/cpu_dma_latency", os.O_WRONLY)
            os.write(self.fd, b"\0\0\0\0")
        except OSError:
            self.fd = None
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)
