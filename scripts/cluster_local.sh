#!/usr/bin/env bash
# A whole imagegate cluster on one machine, for trying docs/cluster/README.md out:
#
#   PostgreSQL   a throwaway server (initdb + pg_ctl) on 127.0.0.1:$PG_PORT      (default 5433)
#   Redis        redis-server on 127.0.0.1:$REDIS_PORT                           (default 6380)
#   Ray          a head node on 127.0.0.1:$RAY_PORT, 2 CPUs, no GPU, no dashboard (default 6379)
#                with imagegate's Serve application (two replicas of the built-in renderer)
#   imagegate    two `imagegate serve` processes, ports $API_PORTS (default 8001 8002), one
#                config file and one data directory
#
#   bash scripts/cluster_local.sh          # start everything (from a checkout set up by scripts/setup.sh)
#   bash scripts/cluster_local.sh status   # what runs
#   bash scripts/cluster_local.sh stop     # stop everything and delete the state directory
#                                          # (stop --keep: stop, keep the data)
#
# Everything lives in $CLUSTER_DIR (default /tmp/imagegate-cluster). Ray runs with
# RAY_AUTH_MODE=disabled, on loopback only: a local demo, not a deployment (the guide says
# what production needs). Ray's own ports listen on every interface whatever the node IP, and
# with auth disabled anyone who reaches them can run code: use a machine whose ports are
# firewalled. Needs: the repository's .venv with `imagegate[cluster]` (Ray), redis-server, and
# PostgreSQL's server binaries (Debian: postgresql). As root, PostgreSQL runs as the `postgres`
# user. Ray keeps its session in $CLUSTER_DIR/ray, and `stop` ends only the processes of that
# session (not `ray stop --force`, which would end every Ray process on the machine).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${IMAGEGATE_VENV:-$ROOT/.venv}"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/imagegate-cluster}"
PG_PORT="${PG_PORT:-5433}"
REDIS_PORT="${REDIS_PORT:-6380}"
RAY_PORT="${RAY_PORT:-6379}"
API_PORTS="${API_PORTS:-8001 8002}"
RAY_CPUS="${RAY_CPUS:-2}"
APP_NAME="imagegate"

export RAY_AUTH_MODE=disabled          # local demo only; production: RAY_AUTH_MODE=token on every node
export RAY_NODE_IP_ADDRESS=127.0.0.1
export RAY_USAGE_STATS_ENABLED=0
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

PG_DIR="$CLUSTER_DIR/pg"
DATA_DIR="$CLUSTER_DIR/data"
LOGS="$CLUSTER_DIR/logs"
RAY_TMP="$CLUSTER_DIR/ray"
CONFIG="$CLUSTER_DIR/imagegate.toml"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'cluster_local: %s\n' "$*" >&2; exit 1; }

pg_bin() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1 || true)"
    [ -n "$found" ] || found="$(command -v "$1" || true)"
    [ -n "$found" ] || die "PostgreSQL's $1 is not installed (Debian: apt-get install postgresql)"
    echo "$found"
}

as_pg() {  # PostgreSQL refuses to run as root
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_http() {  # url seconds
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

start_postgres() {
    local initdb pg_ctl
    initdb="$(pg_bin initdb)"
    pg_ctl="$(pg_bin pg_ctl)"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        say "PostgreSQL: initdb in $PG_DIR"
        mkdir -p "$PG_DIR"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
        as_pg "$initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >"$PG_DIR/initdb.log"
    fi
    if as_pg "$pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        say "PostgreSQL: already running on 127.0.0.1:$PG_PORT"
    else
        say "PostgreSQL: starting on 127.0.0.1:$PG_PORT"
        as_pg "$pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
            -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=100" start >/dev/null
    fi
    local psql
    psql="$(pg_bin psql)"
    if ! as_pg "$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'imagegate'" | grep -q 1; then
        as_pg "$psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE imagegate" >/dev/null
    fi
}

start_redis() {
    command -v redis-server >/dev/null || die "redis-server is not installed (Debian: apt-get install redis-server)"
    if [ -f "$CLUSTER_DIR/redis.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/redis.pid")" 2>/dev/null; then
        say "Redis: already running on 127.0.0.1:$REDIS_PORT"
        return
    fi
    say "Redis: starting on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$CLUSTER_DIR" \
        --daemonize yes --pidfile "$CLUSTER_DIR/redis.pid" --logfile "$LOGS/redis.log"
    local i
    for ((i = 0; i < 50; i++)); do
        "$VENV/bin/python" -c "import redis, sys; redis.Redis(port=$REDIS_PORT).ping()" 2>/dev/null && return 0
        sleep 0.1
    done
    die "Redis did not start: $(tail -5 "$LOGS/redis.log")"
}

start_ray() {
    if "$VENV/bin/ray" status --address "127.0.0.1:$RAY_PORT" >/dev/null 2>&1; then
        say "Ray: head already running at 127.0.0.1:$RAY_PORT"
    else
        say "Ray: starting the head node at 127.0.0.1:$RAY_PORT ($RAY_CPUS CPUs, no dashboard)"
        "$VENV/bin/ray" start --head --node-ip-address=127.0.0.1 --port="$RAY_PORT" --num-cpus="$RAY_CPUS" --num-gpus=0 \
            --include-dashboard=false --disable-usage-stats --temp-dir="$RAY_TMP" >"$LOGS/ray-start.log" 2>&1 \
            || die "ray start failed: $(tail -20 "$LOGS/ray-start.log")"
    fi
    say "Ray Serve: deploying the application '$APP_NAME' (imagegate.cluster.serve_app:build, 2 replicas)"
    # What an operator does with `serve deploy docs/cluster/serve.yaml` or a RayService; the
    # API processes below only connect (deploy = false). CPU replicas here: num_gpus = 0.
    "$VENV/bin/python" - "$RAY_PORT" "$APP_NAME" >"$LOGS/serve-deploy.log" 2>&1 <<'PY' || die "deploying failed: $(tail -20 "$LOGS/serve-deploy.log")"
import sys, time
import ray
from ray import serve
from imagegate.cluster.serve_app import build

port, app = sys.argv[1], sys.argv[2]
ray.init(address=f"127.0.0.1:{port}", log_to_driver=False)
serve.run(build({"num_replicas": 2, "num_cpus": 0.5, "max_models_per_replica": 2, "max_ongoing_requests": 8}),
          name=app, route_prefix=None, blocking=False)
deadline = time.time() + 300
while time.time() < deadline:
    status = serve.status().applications[app].status
    if str(getattr(status, "value", status)) == "RUNNING":
        print("RUNNING")
        break
    time.sleep(0.5)
else:
    sys.exit(f"the application is not running: {serve.status()}")
PY
}

write_config() {
    cat >"$CONFIG" <<EOF
# imagegate's config for every API process of the local cluster (scripts/cluster_local.sh)
database_url = "postgresql://postgres@127.0.0.1:$PG_PORT/imagegate"
redis_url = "redis://127.0.0.1:$REDIS_PORT/0"
hold_lease_seconds = 30            # a stopped process's jobs and holds are taken over after this

[cluster]
address = "127.0.0.1:$RAY_PORT"    # the head's GCS (production: "10.0.0.1:6379", or "auto" on a node)
app_name = "$APP_NAME"
deploy = false                     # deployed above, as an operator would (serve deploy / RayService)

[models."gpt-image-2"]             # the built-in renderer, running in the Serve replicas
engine = "ray"
[models."gpt-image-2".options]
engine = "builtin"
model_id = "builtin"
EOF
}

start_api() {
    local port pidfile
    for port in $API_PORTS; do
        pidfile="$CLUSTER_DIR/api-$port.pid"
        if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            say "imagegate: already serving on 127.0.0.1:$port"
            continue
        fi
        say "imagegate: serving on http://127.0.0.1:$port/v1"
        nohup "$VENV/bin/imagegate" serve --host 127.0.0.1 --port "$port" --data-dir "$DATA_DIR" --config "$CONFIG" \
            >"$LOGS/api-$port.log" 2>&1 &
        echo $! >"$pidfile"
        # one at a time: the first start migrates the database and makes the first admin key
        wait_http "http://127.0.0.1:$port/health" 90 || die "imagegate on port $port did not start: $(tail -20 "$LOGS/api-$port.log")"
    done
}

start() {
    [ -x "$VENV/bin/imagegate" ] || die "no imagegate in $VENV (run scripts/setup.sh first)"
    "$VENV/bin/python" -c "import ray.serve" 2>/dev/null || die "Ray is not installed in $VENV: $VENV/bin/pip install '$ROOT[cluster]'"
    mkdir -p "$CLUSTER_DIR" "$LOGS"
    chmod 755 "$CLUSTER_DIR"
    start_postgres
    start_redis
    start_ray
    write_config
    start_api
    local ports=($API_PORTS)
    cat <<EOF

The cluster runs. State and logs: $CLUSTER_DIR (logs/). Stop it: bash scripts/cluster_local.sh stop

  export OPENAI_API_KEY=\$(cat $DATA_DIR/initial-api-key.txt)
  $VENV/bin/python - <<'PY'
from openai import OpenAI
for port in (${ports[0]}, ${ports[1]:-${ports[0]}}):     # the same key, database and images through either process
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1")
    image = client.images.generate(model="gpt-image-2", prompt="A lighthouse at dusk", size="1024x1024", quality="low")
    print(port, image.data[0].url, image.usage.output_tokens)
PY
EOF
}

status() {
    local port
    for port in $API_PORTS; do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then echo "imagegate :$port  up"; else echo "imagegate :$port  down"; fi
    done
    if [ -f "$CLUSTER_DIR/redis.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/redis.pid")" 2>/dev/null; then echo "redis :$REDIS_PORT  up"; else echo "redis :$REDIS_PORT  down"; fi
    if [ -f "$PG_DIR/data/PG_VERSION" ] && as_pg "$(pg_bin pg_ctl)" -D "$PG_DIR/data" status >/dev/null 2>&1; then echo "postgres :$PG_PORT  up"; else echo "postgres :$PG_PORT  down"; fi
    if "$VENV/bin/ray" status --address "127.0.0.1:$RAY_PORT" >/dev/null 2>&1; then echo "ray :$RAY_PORT  up"; else echo "ray :$RAY_PORT  down"; fi
}

descendants() {  # pid...: the pids and all their children, recursively
    local pid
    for pid in "$@"; do
        echo "$pid"
        descendants $(pgrep -P "$pid" || true)
    done
}

ray_pids() {  # this cluster's Ray processes: those whose command line names its temp dir, and their children
    [ -d "$RAY_TMP" ] || return 0
    # (Ray's client server names only the head's address: its GCS port is this cluster's alone)
    descendants $(pgrep -f -- "$RAY_TMP/|ray\.util\.client\.server --address=[^ ]*:$RAY_PORT( |$)" || true) | sort -un
}

stop() {
    local port pidfile pid i
    for port in $API_PORTS; do
        pidfile="$CLUSTER_DIR/api-$port.pid"
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        if kill -0 "$pid" 2>/dev/null; then
            say "imagegate :$port: stopping (pid $pid)"
            kill "$pid"
            for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        fi
        rm -f "$pidfile"
    done
    local pids
    pids="$(ray_pids)"
    if [ -n "$pids" ]; then
        say "Ray: stopping this cluster's processes ($(echo $pids | wc -w))"
        kill $pids 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            pids="$(for pid in $pids; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done || true)"
            [ -z "$pids" ] && break
            sleep 0.1
        done
        if [ -n "$pids" ]; then kill -9 $pids 2>/dev/null || true; fi
    fi
    if [ -f "$CLUSTER_DIR/redis.pid" ]; then
        pid="$(cat "$CLUSTER_DIR/redis.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            say "Redis: stopping (pid $pid)"
            kill "$pid"
            for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$CLUSTER_DIR/redis.pid"
    fi
    if [ -f "$PG_DIR/data/PG_VERSION" ]; then
        say "PostgreSQL: stopping"
        as_pg "$(pg_bin pg_ctl)" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${1:-}" != "--keep" ]; then
        say "removing $CLUSTER_DIR"
        rm -rf "$CLUSTER_DIR"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    status) status ;;
    *) die "usage: $0 [start|status|stop [--keep]]" ;;
esac
