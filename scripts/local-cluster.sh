#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1: one master and two workers (1 core, 2 GiB each by default),
# from the same Maven-fetched Spark jars scripts/run-job.sh uses, so a job runs with its executors in
# other JVMs than its driver, as on Glue or any cluster.
#
#   scripts/local-cluster.sh start [--workers N] [--port P]   (defaults: 2 workers, master port 7077)
#   scripts/local-cluster.sh stop | status
#
# Then:  SPARK_MASTER=spark://127.0.0.1:7077 scripts/run-job.sh pipeline --lake-root s3a://lake/x
# (client deploy mode: the driver runs where run-job.sh runs; executors get the jobs jar from it). A lake
# on the local disk works only because all workers share this machine's disk: use s3a:// to prove a job
# does not depend on it. Logs and work folders: .cache/local-cluster/. Exit codes: 0 done, 1 a process
# failed to start, 2 a wrong argument.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

STATE="$REPO_ROOT/.cache/local-cluster"
WORKERS=2
PORT=7077
WORKER_CORES="${LOCAL_CLUSTER_WORKER_CORES:-1}"
WORKER_MEMORY="${LOCAL_CLUSTER_WORKER_MEMORY:-2g}"

[ $# -ge 1 ] || die "usage: scripts/local-cluster.sh start [--workers N] [--port P] | stop | status"
COMMAND="$1"
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) WORKERS="${2:?--workers needs a value}"; shift 2 ;;
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    *) die "Cannot use argument '$1': local-cluster.sh takes start [--workers N] [--port P], stop or status" ;;
  esac
done
[[ "$WORKERS" =~ ^[1-9]$ ]] || die "Cannot use --workers '$WORKERS': expected 1 to 9"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] \
  || die "Cannot use --port '$PORT': expected a number from 1024 to 65535"

alive() { # prints the pid in file $1 when that process is alive and is one of ours
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "org.apache.spark.deploy" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

# Starts a Spark daemon class in the background: name, class, arguments.
daemon() {
  local name="$1" class="$2"
  shift 2
  # SPARK_SCALA_VERSION: the worker builds its executors' command with Spark's launcher, which needs it
  # outside a Spark distribution; SPARK_HOME: where that command finds jars/.
  SPARK_HOME="$SPARK_HOME" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    nohup java -Xmx512m -cp "$SPARK_HOME/jars/*" "$class" "$@" > "$STATE/$name.log" 2>&1 &
  echo $! > "$STATE/$name.pid"
}

wait_for() { # name, text in its log
  for _ in $(seq 1 120); do
    grep -q "$2" "$STATE/$1.log" 2>/dev/null && return 0
    [ -n "$(alive "$STATE/$1.pid")" ] || break
    sleep 0.5
  done
  tail -n 20 "$STATE/$1.log" >&2
  stop >/dev/null
  echo "ERROR: Cannot start the local cluster: $1 did not come up (its log is above: $STATE/$1.log)" >&2
  exit 1
}

start() {
  if [ -n "$(alive "$STATE/master.pid")" ]; then
    echo "local cluster already running: $(cat "$STATE/url"); stop it first to change it"
    return
  fi
  ensure_spark
  mkdir -p "$STATE"
  local url="spark://127.0.0.1:$PORT"
  daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port 0
  wait_for master "Starting Spark master at"
  echo "$url" > "$STATE/url"
  for i in $(seq 1 "$WORKERS"); do
    mkdir -p "$STATE/worker-$i"
    daemon "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port 0 \
      --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --work-dir "$STATE/worker-$i" "$url"
  done
  for i in $(seq 1 "$WORKERS"); do
    wait_for "worker-$i" "Successfully registered with master"
  done
  echo "local cluster running: master $url, $WORKERS worker(s) of $WORKER_CORES core(s) and $WORKER_MEMORY"
  echo "  SPARK_MASTER=$url scripts/run-job.sh <job> --lake-root s3a://..."
}

stop() {
  local stopped=0
  for file in "$STATE"/worker-*.pid "$STATE"/master.pid; do
    [ -f "$file" ] || continue
    local pid
    pid=$(alive "$file")
    if [ -n "$pid" ]; then
      kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
    rm -f "$file"
  done
  echo "local cluster stopped ($stopped process(es))"
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status)
    if [ -n "$(alive "$STATE/master.pid")" ]; then
      workers=0
      for file in "$STATE"/worker-*.pid; do [ -n "$(alive "$file")" ] && workers=$((workers + 1)); done
      echo "local cluster running: master $(cat "$STATE/url"), $workers worker(s) alive"
    else
      echo "local cluster is not running"
      exit 1
    fi ;;
  *) die "Cannot run '$COMMAND': local-cluster.sh takes start, stop or status" ;;
esac
