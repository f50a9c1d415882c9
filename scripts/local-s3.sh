#!/usr/bin/env bash
# An S3-compatible server on 127.0.0.1 for a laptop lake and for tests: S3Proxy 2.9.0 (Maven Central,
# jar-with-dependencies) in a JVM of its own, with jclouds' in-memory "transient" store (everything is
# gone when it stops; S3Proxy's filesystem store hangs on directory markers under s3a).
#
#   scripts/local-s3.sh start [--port N] [--bucket NAME]    (defaults: port 9090, bucket lake)
#   scripts/local-s3.sh stop | status
#
# start fetches the jar once into .cache/, makes up credentials for this server (never a real AWS key),
# waits until it answers, creates the bucket, and writes .cache/local-s3/env, to be sourced: it exports
# AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL_S3 for the server, plus
# AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION = when_required (a current AWS CLI
# sends CRC32 checksum headers that S3Proxy 2.9.0 rejects). Exit codes: 0 done, 1 the server failed,
# 2 a wrong argument or a missing tool.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exit_on_help "$@"

S3PROXY_VERSION=2.9.0
JAR_DIR="$REPO_ROOT/.cache/s3proxy-$S3PROXY_VERSION"
JAR="$JAR_DIR/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
STATE="$REPO_ROOT/.cache/local-s3"
PORT="${LOCAL_S3_PORT:-9090}"
BUCKET=lake
REGION=us-east-1
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

[ $# -ge 1 ] || die "usage: scripts/local-s3.sh start [--port N] [--bucket NAME] | stop | status"
COMMAND="$1"
shift
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    --bucket) BUCKET="${2:?--bucket needs a value}"; shift 2 ;;
    *) die "Cannot use argument '$1': local-s3.sh takes start [--port N] [--bucket NAME], stop or status" ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] \
  || die "Cannot use --port '$PORT': expected a number from 1024 to 65535"
[[ "$BUCKET" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] \
  || die "Cannot use --bucket '$BUCKET': S3 bucket names are 3-63 lower-case letters, digits, '.' or '-'"

running_pid() { # the server's pid when it is alive, else nothing
  local pid
  pid=$(cat "$STATE/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q s3proxy "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

# A signed S3 request (SigV4, as the AWS SDK sends it) with curl; prints the HTTP status.
s3_request() {
  local method="$1" path="$2"
  # shellcheck disable=SC1091
  source "$STATE/env"
  curl -s -o "$STATE/last-response.xml" -w '%{http_code}' --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: $EMPTY_SHA256" \
    -X "$method" "http://127.0.0.1:$(cat "$STATE/port")$path"
}

start() {
  if [ -n "$(running_pid)" ]; then
    echo "local S3 already running at http://127.0.0.1:$(cat "$STATE/port") (pid $(running_pid)); source $STATE/env"
    return
  fi
  command -v curl >/dev/null \
    || die "Cannot start local S3: curl is not installed (it checks the server and makes the bucket)"
  curl --help all 2>/dev/null | grep -q -- --aws-sigv4 \
    || die "Cannot start local S3: this curl has no --aws-sigv4 (7.75 or later needed)"
  if [ ! -f "$JAR_DIR/.complete" ]; then
    echo "Fetching S3Proxy $S3PROXY_VERSION with Maven into $JAR_DIR (first run only) ..." >&2
    mkdir -p "$JAR_DIR"
    (cd "$REPO_ROOT" && mvn -q -B dependency:copy \
      -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$JAR_DIR") \
      > "$JAR_DIR/fetch.log" 2>&1 \
      || { cat "$JAR_DIR/fetch.log" >&2; echo "ERROR: Cannot fetch S3Proxy with Maven (output above)" >&2; exit 1; }
    touch "$JAR_DIR/.complete"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "Cannot start local S3 on 127.0.0.1:$PORT: the port is in use (a local S3 of another checkout? stop it there, or choose --port N / LOCAL_S3_PORT)"
  fi
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  local identity secret
  identity="local$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  secret="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
  umask 077
  cat > "$STATE/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$secret
jclouds.provider=transient
jclouds.identity=$identity
jclouds.credential=$secret
EOF
  cat > "$STATE/env" <<EOF
# Credentials of the local S3 server started by scripts/local-s3.sh (made up per start, loopback only).
export AWS_ACCESS_KEY_ID=$identity
export AWS_SECRET_ACCESS_KEY=$secret
export AWS_REGION=$REGION
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$PORT
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required
export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
EOF
  echo "$PORT" > "$STATE/port"
  nohup java -Xmx512m -jar "$JAR" --properties "$STATE/s3proxy.conf" > "$STATE/server.log" 2>&1 &
  echo $! > "$STATE/pid"
  local waited=0
  until [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$PORT/" || true)" = 403 ]; do
    if [ -z "$(running_pid)" ] || [ "$waited" -ge 60 ]; then
      local why="it did not answer within 30 s"
      [ -z "$(running_pid)" ] && why="it exited (is the port taken? --port N or LOCAL_S3_PORT chooses another)"
      tail -n 20 "$STATE/server.log" >&2
      stop >/dev/null
      echo "ERROR: Cannot start local S3 on 127.0.0.1:$PORT: $why; its log is above" >&2
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  local code
  code=$(s3_request PUT "/$BUCKET")
  if [ "$code" != 200 ]; then
    cat "$STATE/last-response.xml" >&2
    echo "ERROR: Cannot create bucket $BUCKET on the local S3: HTTP $code (answer above)" >&2
    exit 1
  fi
  echo "local S3 running at http://127.0.0.1:$PORT (pid $(running_pid)), bucket $BUCKET (in memory: gone when stopped)"
  echo "  for the AWS CLI and the jobs: source $STATE/env"
}

stop() {
  local pid
  pid=$(running_pid)
  if [ -z "$pid" ]; then
    echo "local S3 is not running"
  else
    kill "$pid"
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
    echo "local S3 stopped (pid $pid); its buckets are gone"
  fi
  rm -f "$STATE/pid"
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status)
    if [ -n "$(running_pid)" ]; then
      echo "local S3 running at http://127.0.0.1:$(cat "$STATE/port") (pid $(running_pid)); source $STATE/env"
    else
      echo "local S3 is not running"
      exit 1
    fi ;;
  *) die "Cannot run '$COMMAND': local-s3.sh takes start, stop or status" ;;
esac
