#!/usr/bin/env bash
# Builds scoutfs and runs it on an embedded default: a 4 GiB volume file and one node on this
# machine, mounted under build/quickstart/mnt, then the scoutfs quick start (step 4) on it.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. ./scripts/env.sh
[ "$(id -u)" = 0 ] || { echo "quickstart.sh mounts a volume and asks its node for its indices: run it as root" >&2; exit 1; }
for tool in fusermount3 setsid; do
  command -v "$tool" >/dev/null || { echo "quickstart needs $tool: sudo apt-get install -y fuse3 util-linux" >&2; exit 1; }
done

echo "== building (mvn package; ./test.sh runs the tests)"
mvn -B -q -ntp package -DskipTests

work=$PWD/build/quickstart
volume=$work/volume
mnt=$work/mnt
mkdir -p "$mnt"
if grep -q " $mnt " /proc/mounts; then
  echo "== unmounting the previous quick start mount"
  umount "$mnt"
fi
rm -f "$volume"
truncate -s 4G "$volume"

run() {
  echo "\$ $*"
  "$@"
}

echo "== make a volume and mount it"
run bin/scoutfs mkfs -Q 1 "$volume"
run bin/scoutfs mount "$volume" "$mnt"

echo
echo "== quick start: what changed, from the meta_seq index"
S=bin/scoutfs
run $S walk-inodes meta_seq 0 -1 "$mnt"
run touch "$mnt/one"; run sync
run $S walk-inodes meta_seq 0 -1 "$mnt"
run touch "$mnt/two"; run sync
run $S walk-inodes meta_seq 0 -1 "$mnt"
run touch "$mnt/one"; run sync
run $S walk-inodes meta_seq 0 -1 "$mnt"

echo
echo "== the volume"
run $S stat "$mnt/one"
run $S df "$mnt"
echo
echo "The volume stays mounted on $mnt; unmount it with: umount $mnt"
