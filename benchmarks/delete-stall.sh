#!/usr/bin/env bash
# Creates and unlinks right after deleting a large fragmented file (see fs/delete_stall.py):
# creates/s and unlinks/s before and right after the delete, the longest single create, and how
# long `scoutfs df` takes to show the file's space free. About a minute. Needs root.
#
#   benchmarks/delete-stall.sh                        # on the volume benchmarks/age-volume.sh aged
#   benchmarks/delete-stall.sh --volume /path/vol
#   benchmarks/delete-stall.sh --mkfs 16G             # on a fresh volume, to compare
#   benchmarks/delete-stall.sh --holes                # the big file written into holes instead
#
# The delete changes the volume; to measure the same aged state again, copy the volume file
# first (cp --sparse=always) and measure a copy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
. ./scripts/env.sh
[ "$(id -u)" = 0 ] || { echo "delete-stall.sh mounts filesystems: run it as root" >&2; exit 1; }
command -v python3 >/dev/null || { echo "delete-stall.sh needs python3" >&2; exit 1; }

volume="$here/target/aged/volume"
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --volume) volume=$2; shift 2 ;;
    --no-build) nobuild=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
mnt="$volume.mnt"
mkdir -p "$(dirname "$volume")"
if [ -z "${nobuild:-}" ]; then
  echo "== building"
  mvn -B -q -ntp package -DskipTests 2>&1 | { grep -v '^WARNING: ' || true; }
fi
trap 'grep -q " $mnt " /proc/mounts && { umount "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt"; } || true' EXIT
python3 "$here/fs/delete_stall.py" --scoutfs "$repo/bin/scoutfs" --volume "$volume" --mnt "$mnt" "${args[@]}"
