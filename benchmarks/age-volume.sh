#!/usr/bin/env bash
# Ages a scoutfs volume file with crashes (see fs/age.py for the workload): fsx on one file,
# stress from several processes while the node is killed with kill -9 and the volume remounted,
# then 1 GiB of files written and deleted. About two to three minutes on 2 vCPUs. Needs root.
#
#   benchmarks/age-volume.sh                          # a 16 GiB volume in benchmarks/target/aged
#   benchmarks/age-volume.sh --volume /path/vol --size 8G --crashes 5
#   benchmarks/age-volume.sh --reuse                  # age the same volume further
#
# Then measure a large delete on it with benchmarks/delete-stall.sh (same --volume).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
. ./scripts/env.sh
[ "$(id -u)" = 0 ] || { echo "age-volume.sh mounts filesystems: run it as root" >&2; exit 1; }
command -v python3 >/dev/null || { echo "age-volume.sh needs python3" >&2; exit 1; }

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
# the script unmounts on every way out it can see; this catches the ones it cannot (a signal)
trap 'grep -q " $mnt " /proc/mounts && { umount "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt"; } || true' EXIT
python3 "$here/fs/age.py" --scoutfs "$repo/bin/scoutfs" --volume "$volume" --mnt "$mnt" "${args[@]}"
