#!/usr/bin/env bash
# Cluster and determinism check. Starts a Spark standalone master and WORKERS workers (1 core
# each) on 127.0.0.1 from the project's own Maven jars (target/lib), submits `ictstat run` with the
# thin application jar through SparkSubmit, runs the same command in local mode for each master in
# LOCAL_MASTERS (bin/ictstat), each into its own input folder and warehouse, and compares
# pub.estimates of every local run with the cluster's: same rows, every column equal. Stops the
# cluster on every exit. Exit 0 only when all runs agree (see CHECK).
#
# Usage: scripts/cluster-smoke.sh                   the comparison (default)
#        scripts/cluster-smoke.sh ARGS...            only submit `ictstat ARGS...` to the cluster
# Environment:
#   YEARS (2023-2024), SCALE (0.25: synthetic population multiplier), SEED (20250119),
#   WORKERS (2), LOCAL_MASTERS ("local[1] local[2]"), WORK (scratch folder, default a new
#   temporary one; kept for inspection), KEEP_WORK=0 to delete it after a successful check,
#   CHECK: exact (default: every value identical, bit for bit) or tolerance (every double within a
#   relative difference TOL, default 1e-9; counts, flags and NULLs identical), for runs that are
#   not expected to be bitwise equal, e.g. with calibration on. docs/deploy.md says why.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -f target/ictstat-0.1.0-app.jar ] && [ -f target/ictstat-0.1.0.jar ] && [ -d target/lib ] ||
  mvn -q -B -DskipTests package

work="${WORK:-$(mktemp -d -t ictstat-cluster.XXXXXX)}"
work="$(mkdir -p "$work" && cd "$work" && pwd)"
workers="${WORKERS:-2}"
years="${YEARS:-2023-2024}"
scale="${SCALE:-0.25}"
seed="${SEED:-20250119}"
check="${CHECK:-exact}"
tol="${TOL:-1e-9}"
read -r -a local_masters <<<"${LOCAL_MASTERS:-local[1] local[2]}"
case "$check" in exact | tolerance) ;; *)
  echo "CHECK must be exact or tolerance, not '$check'" >&2
  exit 2
  ;;
esac

mkdir -p "$work/spark-home"
# The Worker launches executors with $SPARK_HOME/jars on the classpath and needs the Scala version.
ln -sfn "$root/target/lib" "$work/spark-home/jars"
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
cp="$root/target/lib/*"
port=$((20000 + RANDOM % 20000))
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ ${#pids[@]} -eq 0 ] || echo "cluster stopped (master and ${workers} worker(s))"
  pids=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The module openings spark-submit gives the driver JVM (as bin/ictstat does).
opens=(-XX:+IgnoreUnrecognizedVMOptions)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
opens+=(-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Master and workers log at Spark's default INFO level (the registration line is awaited below).
t_cluster=$(now)
java -Xmx512m -cp "$cp" \
  org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  >"$work/master.log" 2>&1 &
pids+=($!)
for i in $(seq 1 "$workers"); do
  java -Xmx512m -cp "$cp" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 --cores 1 --memory 2g \
    --work-dir "$work/worker$i" "spark://127.0.0.1:$port" >"$work/worker$i.log" 2>&1 &
  pids+=($!)
done
registered=0
for _ in $(seq 1 90); do
  registered=$( (grep -l "Successfully registered with master" "$work"/worker*.log 2>/dev/null || true) | wc -l)
  [ "$registered" -ge "$workers" ] && break
  sleep 1
done
[ "$registered" -ge "$workers" ] ||
  { echo "only $registered of $workers worker(s) registered within 90 s; see $work/worker*.log" >&2; exit 1; }
echo "cluster: master spark://127.0.0.1:$port, $registered of $workers worker(s) registered" \
  "($(grep -c "Registering worker" "$work/master.log" || true) in the master's log) in $(secs "$t_cluster") s; logs in $work"

# Client deploy mode: the driver is this JVM, so its options (ictstat.home: where conf/ is) go on
# the java command line (spark-submit's --driver-java-options would be too late).
submit() {
  java "${opens[@]}" -Xmx3g -XX:+UseParallelGC -Djava.awt.headless=true -cp "$cp" \
    -Dictstat.home="$root" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.executor.memory=1g --conf spark.executor.cores=1 \
    --class kz.stat.ictstat.cli.Main "$root/target/ictstat-0.1.0-app.jar" "$@"
}

if [ $# -gt 0 ]; then
  submit "$@" --warehouse "$work/warehouse"
  echo "cluster run OK"
  exit 0
fi

# One run: its own input, output and warehouse folders under $work/<name>.
run_args() {
  local d="$work/$1"
  echo run --years "$years" --scale "$scale" --seed "$seed" --warehouse "$d/warehouse" \
    --set "input.dir=$d/input" --set "output.dir=$d/output"
}
declare -A wall
runs=(cluster)
echo
echo "== cluster run: ictstat $(run_args cluster)"
mkdir -p "$work/cluster"
t=$(now)
(cd "$work/cluster" && submit $(run_args cluster)) >"$work/cluster/run.log" 2>&1 ||
  { tail -30 "$work/cluster/run.log" >&2; echo "cluster run failed; see $work/cluster/run.log" >&2; exit 1; }
wall[cluster]=$(secs "$t")
echo "   done in ${wall[cluster]} s"
# Both workers must have run an executor that finished tasks.
used=0
for i in $(seq 1 "$workers"); do
  tasks=$(cat "$work/worker$i"/app-*/*/stderr 2>/dev/null | grep -c "Finished task" || true)
  executors=$( (ls -d "$work/worker$i"/app-*/* 2>/dev/null || true) | wc -l)
  echo "   worker$i: $executors executor(s), $tasks task(s) finished"
  [ "$tasks" -gt 0 ] && used=$((used + 1))
done
[ "$used" -eq "$workers" ] ||
  { echo "only $used of $workers worker(s) ran tasks; see $work/worker*/" >&2; exit 1; }
cleanup

for m in "${local_masters[@]}"; do
  name="${m//[\[\]]/}"   # local[2] -> local2
  runs+=("$name")
  echo
  echo "== $m run: ictstat $(run_args "$name")"
  mkdir -p "$work/$name"
  t=$(now)
  (cd "$work/$name" && SPARK_MASTER="$m" ICTSTAT_DRIVER_MEMORY=3g "$root/bin/ictstat" \
    $(run_args "$name")) >"$work/$name/run.log" 2>&1 ||
    { tail -30 "$work/$name/run.log" >&2; echo "$m run failed; see $work/$name/run.log" >&2; exit 1; }
  wall[$name]=$(secs "$t")
  echo "   done in ${wall[$name]} s"
done

# The input files the runs generated (same seed, so they should be byte-identical).
echo
echo "== input files (synthetic registers and response files) against the cluster run's"
input_ok=1
(cd "$work/cluster/input" && find . -type f | sort | xargs md5sum) >"$work/cluster/input.md5"
for r in "${runs[@]:1}"; do
  (cd "$work/$r/input" && find . -type f | sort | xargs md5sum) >"$work/$r/input.md5"
  if cmp -s "$work/cluster/input.md5" "$work/$r/input.md5"; then
    echo "   $r: $(wc -l <"$work/$r/input.md5") files, byte-identical"
  else
    echo "   $r: input files differ: diff $work/cluster/input.md5 $work/$r/input.md5"
    input_ok=0
  fi
done

# Compare pub.estimates (and core.weights, to locate a difference) in one SQL query per run pair.
# Per column: rows where the values are not identical (NULL-safe), the largest absolute and
# relative difference, and the rows outside the tolerance (or NULL on one side only).
keys_est="year indicator domain_type domain_code"
vals_est="estimate se rse ci_low ci_high deff n_resp n_nonzero flags"
keys_w="year bin"
vals_w="final_weight"
table_sql() { # table a b keys values: one join, one aggregation, one result row per column
  local t="$1" a="$2" b="$3" on="" agg="" rows="" n=0 k v diff rel bad ill
  for k in $4; do on="$on${on:+ AND }a.$k <=> b.$k"; done
  for v in $5; do
    n=$((n + 1))
    ill="false"
    if [ "$v" = flags ]; then
      diff="CAST(NULL AS DOUBLE)"
      rel="CAST(NULL AS DOUBLE)"
      bad="NOT (a.$v <=> b.$v)"
    else
      # deff = V / V_srs is ill-conditioned where V_srs cancels to about 0 (a count or total whose
      # y is constant in the domain): rounding noise gives a huge value or NULL. Shown apart.
      [ "$v" = deff ] && ill="NOT (a.deff <=> b.deff) AND coalesce(abs(a.deff), 1e300) > 1e6 AND coalesce(abs(b.deff), 1e300) > 1e6"
      diff="CASE WHEN $ill THEN NULL ELSE abs(CAST(a.$v AS DOUBLE) - CAST(b.$v AS DOUBLE)) END"
      rel="$diff / nullif(greatest(abs(CAST(a.$v AS DOUBLE)), abs(CAST(b.$v AS DOUBLE))), 0)"
      bad="NOT ($ill) AND ((a.$v IS NULL) <> (b.$v IS NULL) OR coalesce($rel, 0) > $tol)"
    fi
    agg="$agg, coalesce(sum(CAST(a.ok AND b.ok AND NOT (a.$v <=> b.$v) AS INT)), 0) AS ni$n,"
    agg="$agg max($diff) AS abs$n, max($rel) AS rel$n,"
    agg="$agg coalesce(sum(CAST(a.ok AND b.ok AND ($bad) AS INT)), 0) AS bad$n,"
    agg="$agg coalesce(sum(CAST(a.ok AND b.ok AND ($ill) AS INT)), 0) AS ill$n"
    rows="$rows, '$t', '$v', n_rows, only_b, only_a, ni$n, abs$n, rel$n, bad$n, ill$n"
  done
  echo "SELECT stack($n$rows) AS (tbl, col, rows, only_b, only_a, not_identical, max_abs_diff,"
  echo " max_rel_diff, over_tol, ill_conditioned) FROM (SELECT count(*) AS n_rows,"
  echo " coalesce(sum(CAST(a.ok IS NULL AS INT)), 0) AS only_b,"
  echo " coalesce(sum(CAST(b.ok IS NULL AS INT)), 0) AS only_a$agg"
  echo " FROM (SELECT *, true AS ok FROM delta.\`$a/$t\`) a"
  echo " FULL OUTER JOIN (SELECT *, true AS ok FROM delta.\`$b/$t\`) b ON $on)"
}
echo
echo "== pub.estimates of each run against the cluster run's (check: $check$([ "$check" = tolerance ] && echo ", relative $tol"))"
status=0
for r in "${runs[@]:1}"; do
  a="$work/cluster/warehouse"
  b="$work/$r/warehouse"
  q="$(table_sql pub/estimates "$a" "$b" "$keys_est" "$vals_est") UNION ALL
     $(table_sql core/weights "$a" "$b" "$keys_w" "$vals_w")"
  t=$(now)
  "$root/bin/ictstat" sql --warehouse "$a" --format csv -e "$q" >"$work/compare-$r.csv" 2>"$work/compare-$r.err" ||
    { cat "$work/compare-$r.err" >&2; echo "comparison query failed" >&2; exit 1; }
  echo "-- cluster vs $r (query $(secs "$t") s)"
  column -s, -t <"$work/compare-$r.csv" | sed 's/^/   /'
  verdict=$(awk -F, -v check="$check" 'NR > 1 && $1 == "pub/estimates" {
      rows = $3; if ($4 + $5 > 0) missing = 1; ni += $6 - $10; ot += $9; ill += $10 }
    END {
      bad = missing || (check == "exact" ? ni : ot) > 0
      printf "%s: %d rows, %d values not identical, %d outside the tolerance, %d ill-conditioned deff%s\n",
        bad ? "MISMATCH" : "AGREE", rows, ni, ot, ill, missing ? ", rows missing on one side" : ""
    }' "$work/compare-$r.csv")
  echo "   pub.estimates cluster vs $r: $verdict"
  case "$verdict" in AGREE*) ;; *) status=1 ;; esac
done

echo
echo "== summary"
for r in "${runs[@]}"; do printf '   %-8s run wall time %7s s\n' "$r" "${wall[$r]}"; done
[ "$input_ok" = 1 ] && echo "   input files identical in every run" || echo "   input files DIFFER between runs"
if [ "$status" = 0 ]; then
  echo "   pub.estimates: cluster (${workers} workers) and ${local_masters[*]} agree ($check)"
  [ "${KEEP_WORK:-1}" = 0 ] && rm -rf "$work"
else
  echo "   pub.estimates: runs DISAGREE ($check); details in $work/compare-*.csv"
fi
exit "$status"
