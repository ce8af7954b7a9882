#!/usr/bin/env bash
# Ingest throughput benchmark: writes input files for 2004-2024 at the given scale (volume and file
# formats of the input contract, see BenchmarkInput), then times `ictstat ingest --force` over them.
# Usage: bench/ingest.sh [scale=1] [work dir=bench/work]. Prints the per-file reconciliation and
# the rows/s line of the ingest; results go into docs/benchmarks.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-1}"
work="${2:-bench/work}/scale$scale"
mvn -q -B -DskipTests package test-compile >&2
if [ ! -d "$work/input/2024" ]; then
  java -cp "target/test-classes:target/ictstat-0.1.0.jar:target/lib/*" \
    kz.stat.ictstat.ingest.BenchmarkInput "$work/input" "$scale"
fi
du -sh "$work/input"
start=$(date +%s.%N)
bin/ictstat ingest --input "$work/input" --warehouse "$work/warehouse" --years 2004-2024 --force \
  | tee "$work/ingest.log" | grep -E '^\s+(ingest|2004|2024)'
end=$(date +%s.%N)
echo "wall clock incl. JVM and Spark start: $(echo "$end - $start" | bc) s"
