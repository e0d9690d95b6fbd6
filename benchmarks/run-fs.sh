#!/usr/bin/env bash
# Filesystem benchmarks: scoutfs beside tmpfs, ext4 on a loop device and bindfs over tmpfs, in one
# run, with ratios against bindfs (see fs/fsbench.py for the workloads and docs/benchmarks.md for
# results). Needs root, fio, bindfs and e2fsprogs; takes 10-20 minutes (the 1,000,000-file tree
# for the walk-inodes query is most of it).
#
#   benchmarks/run-fs.sh                       # everything
#   benchmarks/run-fs.sh --tree-files 100000   # a smaller tree for the walk-inodes query
#   benchmarks/run-fs.sh --only bindfs,scoutfs
#   benchmarks/run-fs.sh --only bindfs,scoutfs --rounds 1 --tree-files 0 --rand-seconds 5   # quick
#   benchmarks/run-fs.sh --aged benchmarks/target/aged/volume    # scoutfs on a copy of an aged volume
#   benchmarks/run-fs.sh --after-big-delete 512M   # every round right after deleting a fragmented file
#   benchmarks/run-fs.sh --no-build ...            # with what bin/scoutfs runs now
#
# --tree-files 0 leaves out the walk-inodes query and its tree.
#
# Idle vCPUs of these VMs halt and every FUSE round trip then pays a wake-up; the run keeps
# /dev/cpu_dma_latency at 0 so idle vCPUs poll instead, as docs/benchmarks.md explains.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
. ./scripts/env.sh
. "$here/bench-env.sh"
for tool in fio bindfs mkfs.ext4 python3; do
  command -v "$tool" >/dev/null || { echo "run-fs.sh needs $tool: sudo apt-get install -y fio bindfs e2fsprogs python3" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run-fs.sh mounts filesystems: run it as root" >&2; exit 1; }

args=()
for a in "$@"; do
  case $a in
    --no-build) nobuild=1 ;;
    *) args+=("$a") ;;
  esac
done
if [ -z "${nobuild:-}" ]; then
  echo "== building"
  mvn -B -q -ntp package -DskipTests 2>&1 | { grep -v '^WARNING: ' || true; }
fi

out="$here/target/fs-results/$(date +%Y%m%d-%H%M%S)"
work="$(mktemp -d /tmp/scoutfs-fsbench.XXXXXX)"
mkdir -p "$out"
record_machine "$out/machine.txt"

poll_idle_cpus

cleanup() {
  stop_polling_idle_cpus
  for m in $(grep " $work" /proc/mounts | awk '{print $2}' | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/fs/fsbench.py" --scoutfs "$repo/bin/scoutfs" --work "$work" --out "$out" "${args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
echo "results: $out/report.md"
