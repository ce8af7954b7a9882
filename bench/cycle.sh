#!/usr/bin/env bash
# Full-cycle benchmark: `bin/ictstat run` from nothing (fresh warehouse, input and output folders)
# --runs times, then the median of every stage and of the total, and the driver's peak memory.
#
# Usage: bench/cycle.sh [--scale 1] [--runs 3] [--years 2004-2024] [--driver-memory 6g]
#                       [--no-report]
# Writes bench/work/cycle-scale<S>/run<i>/ (log, run-timings.csv) and, unless --no-report, the
# section "Full cycle, scale <S>" of docs/benchmarks.md (medians, min, max, machine, load).
# Run it on a quiet machine (load average well below the number of cores): it prints the load.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 runs=3 years=2004-2024 mem=6g report=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --years) years="$2"; shift 2 ;;
    --driver-memory) mem="$2"; shift 2 ;;
    --no-report) report=0; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
load_before=$(uptime | sed 's/.*load average: //')
echo "load average: $load_before"
mvn -q -B -DskipTests package >&2
work="bench/work/cycle-scale$scale"
rm -rf "$work" && mkdir -p "$work"
# the launcher's class archive is part of the build: write it with a small cycle (every stage's
# classes) before the timed runs, if this build has none yet
if [ "${ICTSTAT_CDS:-1}" != 0 ] && ! [ target/ictstat.jsa -nt target/ictstat-0.1.0.jar ]; then
  echo "class archive: bin/ictstat run --years 2023-2024 --scale 0.02 (once per build)" >&2
  mkdir -p "$work/archive"
  (cd "$work/archive" && "$OLDPWD/bin/ictstat" run --years 2023-2024 --scale 0.02 > run.log 2>&1) \
    || { echo "the archive run failed: see $work/archive/run.log" >&2; exit 1; }
  rm -rf "$work/archive"
fi
for i in $(seq 1 "$runs"); do
  d="$work/run$i"
  mkdir -p "$d"
  echo "run $i/$runs: bin/ictstat run --years $years --scale $scale (driver heap $mem)" >&2
  (cd "$d" && ICTSTAT_DRIVER_MEMORY="$mem" /usr/bin/time -f "%M" -o peak_kb \
    "$OLDPWD/bin/ictstat" run --years "$years" --scale "$scale" > run.log 2> run.err) \
    || { echo "run $i failed: see $d/run.log and $d/run.err" >&2; exit 1; }
  cp "$d/output/run-timings.csv" "$d/timings.csv"
  # the input and warehouse of a run are large at scale 10: keep only the logs and timings
  rm -rf "$d/input" "$d/truth" "$d/warehouse"
  echo "  total $(awk -F, '$3 == "total" {print $4}' "$d/timings.csv") s" >&2
done

# medians (and min, max) per stage over the runs, in stage order
table=$(awk -F, -v runs="$runs" '
  FNR == 1 { next }
  { if (!($3 in seen)) { seen[$3] = 1; order[++n] = $3 } v[$3, ++c[$3]] = $4 }
  END {
    printf "| stage | median s | min s | max s |\n|---|---:|---:|---:|\n"
    for (i = 1; i <= n; i++) {
      s = order[i]; k = c[s]
      for (a = 1; a <= k; a++) x[a] = v[s, a]
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (x[b] < x[a]) { t = x[a]; x[a] = x[b]; x[b] = t }
      med = (k % 2) ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2
      name = (s == "total") ? "**total**" : s
      printf "| %s | %.1f | %.1f | %.1f |\n", name, med, x[1], x[k]
    }
  }' "$work"/run*/timings.csv)
peak=$(cat "$work"/run*/peak_kb | sort -n | tail -1)
echo "$table"
echo "driver JVM peak resident memory: $(( peak / 1024 )) MiB (heap limit $mem)"

if [ "$report" = 1 ]; then
  cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  memtotal=$(free -g | awk '/^Mem:/ {print $2 " GB"}')
  java=$(java -version 2>&1 | head -1 | sed 's/"//g')
  heading="## Full cycle, scale $scale"
  times="$runs times"; [ "$runs" = 1 ] && times=once
  section=$(cat <<EOF
$heading

\`bench/cycle.sh --scale $scale --runs $runs --years $years --driver-memory $mem\`: \`bin/ictstat run\`
from nothing (synthetic files generated, then every stage) $times, after the build and its
class archive; seconds per stage.
Machine: $(nproc) cores ($cpu), $memtotal memory, $java; load average before: $load_before;
$(date -u +%Y-%m-%d). Driver JVM peak resident memory: $(( peak / 1024 )) MiB (heap limit $mem).

$table
EOF
)
  f=docs/benchmarks.md
  [ -f "$f" ] || printf '# Benchmarks\n' > "$f"
  # replace the section of this scale (up to the next "## " heading or the marker of another
  # generated block) or append it
  awk -v h="$heading" -v body="$section" '
    $0 == h { print body; skip = 1; done = 1; next }
    skip && (/^## / || /^<!-- /) { skip = 0; print "" }
    !skip { print }
    END { if (!done) print "\n" body }' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
  echo "wrote the section \"$heading\" of $f"
fi
