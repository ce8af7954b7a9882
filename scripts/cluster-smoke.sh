#!/usr/bin/env bash
# Starts a Spark standalone master and worker(s) on 127.0.0.1 from the project's own Maven jars,
# submits the thin application jar with spark-submit, checks the result, and stops the cluster.
# Usage: scripts/cluster-smoke.sh [ictstat arguments...]   (default: ref, then tables)
# Environment: WORKERS (default 1), WORK (scratch folder, default a new temporary one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -f target/ictstat-0.1.0-app.jar ] && [ -d target/lib ] || mvn -q -B -DskipTests package

work="${WORK:-$(mktemp -d)}"
workers="${WORKERS:-1}"
mkdir -p "$work/spark-home"
# The Worker launches executors with $SPARK_HOME/jars on the classpath and needs the Scala version.
ln -sfn "$root/target/lib" "$work/spark-home/jars"
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
cp="$root/target/lib/*"
port=$((20000 + RANDOM % 20000))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Master and workers log at Spark's default INFO level (the registration line is awaited below).
java -cp "$cp" \
  org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  >"$work/master.log" 2>&1 &
pids+=($!)
for i in $(seq 1 "$workers"); do
  java -cp "$cp" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 --cores 1 --memory 2g \
    --work-dir "$work/worker$i" "spark://127.0.0.1:$port" >"$work/worker$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 60); do
  [ "$(grep -l "Successfully registered with master" "$work"/worker*.log 2>/dev/null | wc -l)" -ge "$workers" ] && break
  sleep 1
done
grep -q "Successfully registered with master" "$work/worker1.log" || { echo "worker did not register; see $work" >&2; exit 1; }
echo "cluster: master spark://127.0.0.1:$port with $workers worker(s); logs in $work"

submit() {
  java -cp "$cp" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.executor.memory=1g \
    --driver-java-options "-Dictstat.home=$root" \
    --class kz.stat.ictstat.cli.Main "$root/target/ictstat-0.1.0-app.jar" "$@" --warehouse "$work/warehouse"
}
if [ $# -gt 0 ]; then
  submit "$@"
else
  submit ref
  submit tables
fi
echo "cluster run OK"
