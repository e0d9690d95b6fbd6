#!/usr/bin/env bash
# Builds scoutfs and runs it on an embedded default: a 4 GiB volume file shared by three nodes on
# this machine (each its own process, at 127.0.0.1:7711..7713, electing a leader with a quorum of
# two), mounted under build/quickstart/mnt0..mnt2; then the scoutfs quick start (step 4) across
# the mounts. The mounts stay up afterwards.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
. ./scripts/env.sh
[ "$(id -u)" = 0 ] || { echo "quickstart.sh mounts a volume and asks its nodes for their indices: run it as root" >&2; exit 1; }
for tool in fusermount3 setsid; do
  command -v "$tool" >/dev/null || { echo "quickstart needs $tool: sudo apt-get install -y fuse3 util-linux" >&2; exit 1; }
done

echo "== building (mvn package; ./test.sh runs the tests)"
mvn -B -q -ntp package -DskipTests

work=$PWD/build/quickstart
volume=$work/volume
nodes=3
addr() { echo "127.0.0.1:$((7711 + $1))"; }
mnt() { echo "$work/mnt$1"; }

for i in $(seq 0 $((nodes - 1))); do
  mkdir -p "$(mnt "$i")"
  if grep -q " $(mnt "$i") " /proc/mounts; then
    echo "== unmounting the previous quick start's $(mnt "$i")"
    umount "$(mnt "$i")"
  fi
done
# a node whose mount went away exits on its own; give the last ones a moment before mkfs
for _ in $(seq 50); do
  pgrep -f "NodeMain.*$volume" >/dev/null || break
  sleep 0.1
done
rm -f "$volume"
truncate -s 4G "$volume"

run() {
  echo "\$ $*"
  "$@"
}
S=bin/scoutfs

echo "== make a volume for a quorum of 2 (3 quorum slots)"
run $S mkfs -Q 2 "$volume"

echo
echo "== mount it on three nodes at once: the first two to start elect the leader"
pids=()
for i in $(seq 0 $((nodes - 1))); do
  opts="server_addr=$(addr "$i")"
  for j in $(seq 0 $((nodes - 1))); do
    [ "$j" = "$i" ] || opts="$opts,peer=$(addr "$j")"
  done
  echo "\$ $S mount -o $opts $volume $(mnt "$i") &"
  $S mount -o "$opts" "$volume" "$(mnt "$i")" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
  wait "$p" || failed=1
done
[ "$failed" = 0 ] || { echo "a mount failed; the node logs are in /var/log/scoutfs" >&2; exit 1; }
run $S cluster "$(mnt 0)"

echo
echo "== quick start: what changed, from the meta_seq index, on any mount"
M0=$(mnt 0) M1=$(mnt 1) M2=$(mnt 2)
run $S walk-inodes meta_seq 0 -1 "$M0"
run touch "$M0/one"; run $S sync "$M0"
run $S walk-inodes meta_seq 0 -1 "$M1"
run touch "$M1/two"; run $S sync "$M1"
run $S walk-inodes meta_seq 0 -1 "$M2"
run touch "$M2/one"; run $S sync "$M2"
run $S walk-inodes meta_seq 0 -1 "$M0"

echo
echo "== one file, three mounts"
echo "\$ echo 'written on node 0' > $M0/note"
echo 'written on node 0' > "$M0/note"
run cat "$M1/note"
echo "\$ echo 'appended on node 2' >> $M2/note"
echo 'appended on node 2' >> "$M2/note"
run cat "$M0/note"
run ls -li "$M1"

echo
echo "== the volume"
run $S stat "$M0/one"
run $S df "$M2"
echo
echo "The volume stays mounted on $M0, $M1 and $M2; unmount each with umount."
echo "Kill the leader (scoutfs cluster shows it) with kill -9 and the others carry on within seconds."
