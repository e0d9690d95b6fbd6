#!/usr/bin/env bash
# Builds the benchmarks module, runs the scoutfs-vs-RocksDB JMH suite and prints, per operation,
# both scores and their ratio (see lsm-report.py). Takes about 6-8 minutes on 2 vCPUs.
#
#   benchmarks/run-lsm.sh                      # the whole suite
#   benchmarks/run-lsm.sh 'CommitBenchmark'    # a subset: any JMH arguments replace the default
#                                              # benchmark pattern (e.g. -p layout=merged, -prof jfr)
#
# Results go to benchmarks/target/jmh-results/<time>/ (results.json, run.log, report.md, machine.txt,
# load.txt). See docs/benchmarks.md for what each benchmark measures and how to read the ratios.
# Stores are created under $SCOUTFS_BENCH_DIR (default benchmarks/target/bench-data), which must be
# on a real disk: the write benchmarks measure fdatasync.
set -euo pipefail

export JAVA_HOME="${SCOUTFS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

# The JDK prints deprecation warnings for Maven's and JMH's use of sun.misc.Unsafe; they are noise here.
drop_jdk_warnings() { grep -v '^WARNING: ' || true; }

bench_module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$bench_module")"

out="$bench_module/target/jmh-results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
export SCOUTFS_BENCH_DIR="${SCOUTFS_BENCH_DIR:-$bench_module/target/bench-data}"
mkdir -p "$SCOUTFS_BENCH_DIR"
fs_type="$(findmnt -n -o FSTYPE --target "$SCOUTFS_BENCH_DIR" 2>/dev/null || stat -f -c %T "$SCOUTFS_BENCH_DIR")"
if [[ "$fs_type" == tmpfs || "$fs_type" == ramfs ]]; then
    echo "SCOUTFS_BENCH_DIR=$SCOUTFS_BENCH_DIR is on $fs_type; fdatasync would cost nothing there." >&2
    echo "Point it at a directory on a real disk." >&2
    exit 1
fi

echo "== building (mvn -q -pl benchmarks -am package -DskipTests)"
(cd "$repo_root" && mvn -q -pl benchmarks -am package -DskipTests) 2>&1 | drop_jdk_warnings

{
    echo "== machine"
    echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}'), kernel $(uname -r)"
    echo "stores: $SCOUTFS_BENCH_DIR ($fs_type on $(df --output=source "$SCOUTFS_BENCH_DIR" | tail -1))"
    java -version 2>&1 | head -1
    echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"
if awk '{exit !($1 > 1.0)}' /proc/loadavg; then
    echo "warning: the machine is busy (load $(cut -d' ' -f1 /proc/loadavg)); other work on these cores skews every number" >&2
fi

if [[ $# -eq 0 ]]; then
    set -- 'org\.scoutfs\.bench\.lsm\..*Benchmark'
fi
# Other work on the machine shows up in the results; keep a record of it during the run: the load
# average, and how busy all CPUs were (the benchmark itself keeps one to two of them busy, so
# well under 100 % means other work left room), and the time the hypervisor gave our vCPUs to
# someone else (steal).
cpu_counters() { awk '/^cpu / {idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total - idle, $9, total}' /proc/stat; }
(
    echo "time     load(1m 5m 15m)  CPU busy, steal over the last 15 s"
    read -r busy0 steal0 total0 < <(cpu_counters)
    while sleep 15; do
        read -r busy1 steal1 total1 < <(cpu_counters)
        span=$(( total1 - total0 > 0 ? total1 - total0 : 1 ))
        echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)  busy $(( 100 * (busy1 - busy0) / span ))%, steal $(( 100 * (steal1 - steal0) / span ))%"
        busy0=$busy1 steal0=$steal1 total0=$total1
    done
) > "$out/load.txt" &
load_sampler=$!
trap 'kill "$load_sampler" 2>/dev/null || true' EXIT

classpath="$bench_module/target/classes:$(cat "$bench_module/target/benchmark.classpath")"
echo "== running JMH: $*"
(cd "$bench_module" && java --enable-native-access=ALL-UNNAMED -cp "$classpath" org.openjdk.jmh.Main \
    "$@" -rf json -rff "$out/results.json") 2>&1 | drop_jdk_warnings | tee "$out/run.log"

echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

echo "== scoutfs vs RocksDB"
python3 "$bench_module/lsm-report.py" "$out/results.json" "$out/report.md"
echo "(results in $out)"
