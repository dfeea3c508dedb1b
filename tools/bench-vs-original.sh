#!/usr/bin/env bash
# Side by side with the original, in one sitting: for each workload, alternate the original's harness and ours
# (original, ours, original, ours; ROUNDS rounds of RUNS timed runs each), then print one table of medians over
# every timed run of each side and their ratio (ours / original). The machine's speed drifts by 10-30 % between
# runs, so only ratios from one sitting mean anything.
#   tools/bench-vs-original.sh [ID|group ...]      e.g. tools/bench-vs-original.sh W1 W2 W4 W6 W7 W8
#   RUNS=11 ROUNDS=2 ORACLE=../shared/oracle/silk-bench tools/bench-vs-original.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-11}"
ROUNDS="${ROUNDS:-2}"
ORACLE="${ORACLE:-../shared/oracle/silk-bench}"
OURS=Silk.Benchmarks/bin/Release/net10.0/Silk.Benchmarks
[[ -x "$ORACLE" ]] || { echo "the original's harness is not at $ORACLE (set ORACLE=...)" >&2; exit 2; }
dotnet build -c Release Silk.Benchmarks -v quiet -nologo >/dev/null
IDS=("$@")
if [[ ${#IDS[@]} -eq 0 ]]; then
  mapfile -t IDS < <("$ORACLE" list | cut -f1)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds x $RUNS runs per side, alternating; $(date -u +%FT%TZ)"
for id in "${IDS[@]}"; do
  for round in $(seq "$ROUNDS"); do
    "$ORACLE" one "$id" --runs "$RUNS" --json | grep '^{' >> "$work/original.jsonl"
    "$OURS" baseline "$id" --runs "$RUNS" --json | grep '^{' >> "$work/ours.jsonl"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" <<'PY'
import json, statistics, sys, os
work = sys.argv[1]
def load(name):
    samples, alloc, order = {}, {}, []
    for line in open(os.path.join(work, name)):
        r = json.loads(line)
        if r["id"] not in samples:
            order.append(r["id"]); samples[r["id"]] = []
        samples[r["id"]] += r["samples_ms"]
        if "allocated_bytes" in r: alloc.setdefault(r["id"], []).append(r["allocated_bytes"])
    return samples, alloc, order
orig, _, order = load("original.jsonl")
ours, alloc, _ = load("ours.jsonl")
print("| workload | original median (ms) | ours median (ms) | ours ÷ original | ours allocated per run |")
print("|---|---:|---:|---:|---:|")
for id in order:
    if id not in ours: continue
    o, u = statistics.median(orig[id]), statistics.median(ours[id])
    a = statistics.median(alloc.get(id, [0]))
    print(f"| {id} | {o:.3f} | {u:.3f} | {u / o:.2f}× | {a / 1e6:.2f} MB |")
PY
