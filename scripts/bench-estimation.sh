#!/usr/bin/env bash
# Estimation benchmark: this project's one-pass estimator (Spark), the same algorithm in DuckDB SQL,
# and R `survey`, side by side on the same input, all indicators x domains x years 2004-2024.
#
# Usage: scripts/bench-estimation.sh [--scale 1] [--runs 5] [--r-runs N (default = runs)]
#                                    [--r-years 2024] [--years 2004-2024] [--no-report]
#                                    [--replicate K]
# 1. builds a warehouse with `bin/ictstat run` under bench/work/scale<S>/warehouse if absent
#    (several minutes; at scale 10 much longer), then exports the estimation input once
#    (units.parquet/csv, design.parquet/csv, indicators.csv) with EstimationBench prepare;
# 2. runs Spark and DuckDB (one JVM, one warm-up run each, then --runs measured runs) and R
#    (bench/estimation.R, --r-runs runs; --r-years restricts R to some years when the whole range
#    would take too long: R's time is then extrapolated in proportion to the rows, and said so);
# 3. compares the three results (max relative differences of estimates and SEs);
# 4. writes the section "Estimation, scale <S>" of docs/benchmarks.md with medians, ratios and the
#    machine (nproc, memory, Java, R, DuckDB, Spark versions).
# --replicate K: Spark and DuckDB only, on the scale-1 input with every respondent repeated K times
# (same strata and domains, K times the rows; N_h, n_h, r_h × K), for the engines at a larger
# volume without a full cycle at scale K; prints the times.
# Run it on a quiet machine (uptime load average well below nproc); it prints the load first.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 runs=5 rruns="" ryears="" years=2004-2024 report=1 replicate=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --r-runs) rruns="$2"; shift 2 ;;
    --r-years) ryears="$2"; shift 2 ;;
    --years) years="$2"; shift 2 ;;
    --no-report) report=0; shift ;;
    --replicate) replicate="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
rruns="${rruns:-$runs}"
work="bench/work/scale$scale"
mkdir -p "$work"
echo "load: $(uptime)"

mvn -q -B -DskipTests package test-compile >&2
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath >&2
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
jvm=(java -Xmx"${ICTSTAT_DRIVER_MEMORY:-6g}" -XX:+UseParallelGC -Dspark.master="local[*]"
  -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" -cp "$cp"
  kz.stat.ictstat.estimation.EstimationBench)

if [ -n "$replicate" ]; then
  # Spark and DuckDB on the scale-1 input with every respondent repeated (EstimationBench
  # replicate); R and the report are skipped (R would take hours), the times are printed.
  [ -f bench/work/scale1/data/units.parquet ] || {
    echo "run scripts/bench-estimation.sh (scale 1) first: --replicate repeats its input" >&2
    exit 2
  }
  rwork="bench/work/replicated$replicate/data"
  "${jvm[@]}" replicate bench/work/scale1/data "$rwork" "$replicate"
  "${jvm[@]}" run "$rwork" "$runs" "$(nproc)"
  exit 0
fi
if [ ! -d "$work/warehouse/pub/estimates" ]; then
  echo "building the warehouse: bin/ictstat run --years $years --scale $scale" >&2
  start=$(date +%s)
  (cd "$work" && "$OLDPWD/bin/ictstat" run --years "$years" --scale "$scale" \
    --warehouse warehouse) > "$work/run.log"
  echo "warehouse built in $(( $(date +%s) - start )) s (log: $work/run.log)" >&2
fi
if [ ! -f "$work/data/units.parquet" ]; then
  "${jvm[@]}" prepare "$work/warehouse" "$work/data"
fi

"${jvm[@]}" run "$work/data" "$runs" "$(nproc)"
Rscript bench/estimation.R "$work/data" "$rruns" $ryears
"${jvm[@]}" compare "$work/data"

if [ "$report" = 1 ]; then
  units=$(( $(wc -l < "$work/data/units.csv") - 1 ))
  mem=$(free -g | awk '/^Mem:/ {print $2 " GB"}')
  cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  java=$(java -version 2>&1 | head -1 | sed 's/"//g')
  load=$(uptime | sed 's/.*load average: //')
  machine="$(nproc) cores ($cpu), $mem memory, $java; $units respondent rows; load average before the run: $load; $(date -u +%Y-%m-%d)"
  "${jvm[@]}" report "$work/data" docs/benchmarks.md "scale $scale" "$machine"
fi
