#!/usr/bin/env bash
# Cluster benchmarks (see fs/clusterbench.py): three node processes on one volume file at
# 127.0.0.1:7811..7813 beside the same volume mounted by one node alone, in one run. Reports
# creates/s from 1, 2 and 3 mounts (own directories) and from 3 mounts into one shared directory,
# the cross-node visibility of a create (p50/p99), a lock moving between two nodes, and the time
# from kill -9 of the leader to the first request the new leader serves (median of 5). About five
# minutes. Needs root.
#
#   benchmarks/cluster.sh
#   benchmarks/cluster.sh --seconds 20 --failovers 9
#   benchmarks/cluster.sh --reference-scoutfs /path/to/older/checkout/bin/scoutfs   # single-node regression
#
# Idle vCPUs of these VMs halt and every FUSE round trip then pays a wake-up; the run keeps
# /dev/cpu_dma_latency at 0 so idle vCPUs poll instead (docs/benchmarks.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"
. ./scripts/env.sh
. "$here/bench-env.sh"
[ "$(id -u)" = 0 ] || { echo "cluster.sh mounts filesystems: run it as root" >&2; exit 1; }
for tool in python3 fusermount3; do
  command -v "$tool" >/dev/null || { echo "cluster.sh needs $tool: sudo apt-get install -y python3 fuse3" >&2; exit 1; }
done

if [ "${1:-}" != "--no-build" ]; then
  echo "== building"
  mvn -B -q -ntp package -DskipTests 2>&1 | { grep -v '^WARNING: ' || true; }
else
  shift
fi

out="$here/target/cluster-results/$(date +%Y%m%d-%H%M%S)"
# the volume file lives under $TMPDIR (default /tmp, on this machine the virtio disk; /dev/shm for memory)
work="$(mktemp -d "${TMPDIR:-/tmp}/scoutfs-clusterbench.XXXXXX")"
mkdir -p "$out"
record_machine "$out/machine.txt"

poll_idle_cpus

cleanup() {
  stop_polling_idle_cpus
  for m in $(grep " $work" /proc/mounts | awk '{print $2}' | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  for p in $(pgrep -f "NodeMain.*$work" || true); do kill -9 "$p" 2>/dev/null || true; done
  cp "$work"/*.log "$out"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/fs/clusterbench.py" --scoutfs "$repo/bin/scoutfs" --work "$work" --results "$out/results.jsonl" "$@"
python3 - "$out/results.jsonl" <<'PY' | tee "$out/report.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
creates = [r for r in rows if r["phase"] == "creates"]
import statistics
mine = [r["per_s"] for r in creates if r["setup"] == "one node alone"]
alone = statistics.median(mine) if mine else float("nan")
ref = [r["per_s"] for r in creates if r["setup"] == "one node alone, reference build"]
shown = [r for r in creates if "one node alone" not in r["setup"]]
if mine:
    shown.insert(0, {"setup": "one node alone", "mounts": 1, "per_s": alone})
one = next((r["per_s"] for r in creates if r["setup"].endswith("own directories") and r["mounts"] == 1), float("nan"))
print("| creates | mounts | files/s | vs one node alone | vs 1 mount of the cluster |")
print("|---|---|---|---|---|")
for r in shown:
    print("| %s | %d | %.0f | %.2fx | %.2fx |" % (r["setup"], r["mounts"], r["per_s"], r["per_s"] / alone,
                                               r["per_s"] / one))
print()
if ref:
    print("single node, this build against the reference build (medians of %d rounds each, mounts alternating): "
          "%.0f / %.0f files/s = %.2fx" % (len(ref), alone, statistics.median(ref), alone / statistics.median(ref)))
    print("rounds, this build: %s; reference: %s" % (", ".join("%.0f" % v for v in mine),
                                                     ", ".join("%.0f" % v for v in ref)))
    print()
for r in rows:
    if r["phase"] == "visibility":
        print("visibility of a create on another mount: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d creates; "
              "first stat missed it %d times)" % (r["p50_ms"], r["p99_ms"], r["max_ms"], r["count"], r["first_stat_missed"]))
    if r["phase"] == "lock":
        print("append alternating between two mounts (a lock move each): p50 %.2f ms, p99 %.2f ms, mean %.2f ms"
              % (r["p50_ms"], r["p99_ms"], r["mean_ms"]))
    if r["phase"] == "failover":
        print("failover %d: kill -9 of node %d to the first served create+fsync: %.0f ms" % (r["run"], r["killed_node"], r["ms"]))
    if r["phase"] == "failover-summary":
        print("failover median %.0f ms (min %.0f, max %.0f, %d runs)" % (r["median_ms"], r["min_ms"], r["max_ms"], r["runs"]))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
echo "results: $out/report.md"
