#!/usr/bin/env python3
"""Pairs scoutfs and RocksDB results of a JMH JSON result file and judges the "within 2x" goal.

Every benchmark class in org.scoutfs.bench.lsm has a `scoutfs` and a `rocksdb` method doing the
same work. For each scoutfs result (one per parameter combination) this prints both scores and

    ratio = scoutfs time per operation / RocksDB time per operation

whatever the benchmark mode: for throughput results the time per operation is 1 / throughput, so
the ratio also equals RocksDB throughput / scoutfs throughput. Below 1 scoutfs is faster; the goal
is a ratio of at most 2. JMH's 99.9% error bars give a ratio range; a verdict that depends on
where in that range the truth lies is reported as "within noise" rather than met or missed. The
ratio of the two engines' median iterations is shown as well: one disturbed iteration (a
neighbour's build on these two shared cores) moves a mean a lot and a median little.

Usage: lsm-report.py results.json [report.md]  (prints Markdown; also writes it to report.md)
"""
import json
import sys

GOAL = 2.0

# What each benchmark class measures, in the order the report lists them.
OPERATIONS = [
    ("InsertBenchmark", "item insert, 100-item batches, unsynced (per item)"),
    ("PointLookupBenchmark", "point lookup, 1M items, warm cache"),
    ("RangeScanBenchmark", "range scan, 100 items from a random key"),
    ("CommitBenchmark", "durable commit of 10,000 new items"),
    ("MergeBenchmark", "merge 100k items in 5 runs (mergeNow / compactRange)"),
]

NANOS_PER = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def nanos_per_op(score, unit):
    """Time per operation in ns for a JMH score and unit such as 'us/op' or 'ops/s'."""
    if unit.endswith("/op"):
        return score * NANOS_PER[unit[:-3]]
    if unit.startswith("ops/"):
        return NANOS_PER[unit[4:]] / score
    raise ValueError("unknown JMH unit " + unit)


def time_range(result):
    """(low, high) time per op in ns from the score and its error; error may be NaN."""
    metric = result["primaryMetric"]
    score, error, unit = metric["score"], metric.get("scoreError", float("nan")), metric["scoreUnit"]
    if error != error or error >= score:  # NaN (too few samples) or a bar reaching zero
        return None
    a, b = nanos_per_op(score - error, unit), nanos_per_op(score + error, unit)
    return min(a, b), max(a, b)


def median_nanos_per_op(result):
    """Time per op in ns of the median measurement iteration (fork 0)."""
    metric = result["primaryMetric"]
    iterations = sorted(metric["rawData"][0])
    middle = len(iterations) // 2
    median = iterations[middle] if len(iterations) % 2 else (iterations[middle - 1] + iterations[middle]) / 2
    return nanos_per_op(median, metric["scoreUnit"])


def show_score(result):
    metric = result["primaryMetric"]
    unit = metric["scoreUnit"].replace("ops/s", "items/s")
    error = metric.get("scoreError", float("nan"))
    if error == error:
        return f"{metric['score']:,.1f} ± {error:,.1f} {unit}"
    return f"{metric['score']:,.1f} {unit}"


def verdict(ratio, low, high):
    if high is not None and high <= GOAL:
        return "met"
    if low is not None and low > GOAL:
        return "**missed**"
    if low is None:
        return "met" if ratio <= GOAL else "**missed**"
    return "within noise (" + ("met" if ratio <= GOAL else "missed") + " at the mean)"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        results = json.load(f)
    by_class = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        by_class.setdefault(cls, {}).setdefault(method, []).append(r)

    lines = [
        "| Operation | Variant | scoutfs | RocksDB | Time ratio scoutfs/RocksDB (range) | Ratio of medians | Within 2x? |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    known = [c for c, _ in OPERATIONS]
    ordered = [(c, d) for c, d in OPERATIONS if c in by_class]
    ordered += [(c, c) for c in sorted(by_class) if c not in known]
    for cls, description in ordered:
        methods = by_class[cls]
        rocks = methods.get("rocksdb", [None])[0]
        for ours in methods.get("scoutfs", []):
            variant = ", ".join(f"{k}={v}" for k, v in sorted(ours.get("params", {}).items())) or "-"
            if rocks is None:
                lines.append(f"| {description} | {variant} | {show_score(ours)} | (not run) | - | - | - |")
                continue
            ratio = (nanos_per_op(ours["primaryMetric"]["score"], ours["primaryMetric"]["scoreUnit"])
                     / nanos_per_op(rocks["primaryMetric"]["score"], rocks["primaryMetric"]["scoreUnit"]))
            o, r = time_range(ours), time_range(rocks)
            low = o[0] / r[1] if o and r else None
            high = o[1] / r[0] if o and r else None
            shown = f"{ratio:.2f}" + (f" ({low:.2f}–{high:.2f})" if low is not None else "")
            median_ratio = median_nanos_per_op(ours) / median_nanos_per_op(rocks)
            lines.append(f"| {description} | {variant} | {show_score(ours)} | {show_score(rocks)} "
                         f"| {shown} | {median_ratio:.2f} | {verdict(ratio, low, high)} |")

    text = "\n".join(lines) + (
        "\n\nRatio = scoutfs time per operation / RocksDB time per operation "
        "(for throughput: RocksDB items/s / scoutfs items/s). Lower is better for scoutfs; "
        "below 1 scoutfs is faster. Ranges come from JMH's 99.9% error bars; the verdict uses them, "
        "the ratio of the median iterations is for reading past single disturbed iterations.\n")
    print(text)
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
