#!/usr/bin/env bash
# The scale-out topology of docker-compose.yml, run for real on this machine without containers:
#   nginx (deploy/nginx/, a user-owned instance)  →  two gunicorn processes
#   worker (Q_SCHEDULER=0) + scheduler (the one that runs django-q2's scheduler) + search-worker
#   PostgreSQL 127.0.0.1:5432 (trust auth, user postgres), Redis 127.0.0.1:6379,
#   osmem-server on a free port as the Elasticsearch endpoint
#
#   scripts/stack.sh up       migrate, collectstatic, index, start what is not running, wait, print URLs
#   scripts/stack.sh status   each process and its pid; exit 0 only when all run
#   scripts/stack.sh down     stop every process it started (pid files); the data stays
#   scripts/stack.sh purge    down, then drop the database, empty the Redis database, remove STACK_DIR
#
# Environment: STACK_DIR (run directory: pids, logs, files, the env file; default var/stack),
# STACK_DB (database, created if missing; default zhengwu_stack), STACK_REDIS_DB (Redis database
# number; default 1), PY (default .venv/bin/python), WEB_CONCURRENCY (gunicorn workers per
# process; default 1), Q_WORKERS (default 1).
# `set -a; . $STACK_DIR/env; set +a` gives a shell the stack's settings (manage.py against it).
# tests/test_stack.py drives it; docs/deployment.md explains what it proves.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PY:-.venv/bin/python}
RUN=$(mkdir -p "${STACK_DIR:-var/stack}" && cd "${STACK_DIR:-var/stack}" && pwd)
DB=${STACK_DB:-zhengwu_stack}
REDIS_DB=${STACK_REDIS_DB:-1}
PG=postgres://postgres@127.0.0.1:5432
PROCESSES=(osmem web-1 web-2 worker scheduler search-worker nginx)

free_ports() { # four distinct ports nothing listens on: nginx, osmem, two gunicorns
  "$PY" -c '
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))'
}

# The settings every process of the stack runs with, written once so that a second `up` (and
# a shell that sources the file) sees the same key, ports and database.
write_env() {
  [ -f "$RUN/env" ] && return
  local key nginx_port es_port web_ports
  key=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
  read -r nginx_port es_port web_ports <<<"$(free_ports)"
  # It holds the secret key: readable by its owner only.
  (umask 077 && : >"$RUN/env")
  cat >"$RUN/env" <<ENV
DJANGO_SETTINGS_MODULE=config.settings.production
SECRET_KEY=$key
HTTPS=0
ALLOWED_HOSTS=127.0.0.1,localhost
BASE_URL=http://127.0.0.1:$nginx_port
DATABASE_URL=$PG/$DB
REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
ELASTICSEARCH_URL=http://127.0.0.1:$es_port
VAR_DIR=$RUN/var
SERVE_MEDIA=0
PRIVATE_FILES_SERVE=x-accel-redirect
PRIVATE_FILES_URL=/private-files/
TRUSTED_PROXIES=1
Q_WORKERS=${Q_WORKERS:-1}
WEB_CONCURRENCY=${WEB_CONCURRENCY:-1}
STACK_NGINX_PORT=$nginx_port
STACK_WEB_PORTS="$web_ports"
ENV
}

load_env() {
  set -a
  # shellcheck disable=SC1091
  . "$RUN/env"
  set +a
}

# A pid file's process is ours while it leads its own session (setsid) from this checkout:
# a pid reused by something else after a crash is never signalled.
alive() {
  local file="$RUN/pids/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ] && [ "$(readlink "/proc/$pid/cwd")" = "$ROOT" ]
}

start() {
  local name=$1
  shift
  if alive "$name"; then
    echo "  $name: already running (pid $(cat "$RUN/pids/$name.pid"))"
    return
  fi
  setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/pids/$name.pid"
}

# TERM lets nginx and gunicorn finish their requests and django-q2 its tasks, all at once;
# then whatever is left of each process's session (qcluster's pool, gunicorn's workers) goes.
stop() {
  local name pids=() pid
  for name in "$@"; do
    if alive "$name"; then
      pid=$(cat "$RUN/pids/$name.pid")
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      echo "  $name: stopping (pid $pid)"
    fi
    rm -f "$RUN/pids/$name.pid"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
}

wait_for() { # description, then a command that succeeds when ready
  local what=$1
  shift
  for _ in $(seq 1 300); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "stack: $what did not come up; see $RUN/*.log" >&2
  return 1
}

http_ok() {
  "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1"
}

# Each running django-q2 cluster saves its status in Redis every guard cycle, for 3 seconds.
clusters_reporting() {
  "$PY" -c 'import sys, redis
keys = redis.from_url(sys.argv[1]).keys("django_q:*:cluster:*")
sys.exit(len(keys) < int(sys.argv[2]))' "$REDIS_URL" "$1"
}

ensure_database() {
  "$PY" - "$PG/postgres" "$DB" <<'PY'
import sys

import psycopg
from psycopg import sql

url, name = sys.argv[1:]
with psycopg.connect(url, autocommit=True) as connection:
    exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"  database {name}: created")
PY
}

render_nginx() {
  local vars='${NGINX_RUN_DIR} ${NGINX_USER_LINE} ${NGINX_LISTEN} ${NGINX_UPSTREAM_SERVERS} ${STATIC_ROOT} ${MEDIA_ROOT} ${PRIVATE_ROOT} ${PRIVATE_FILES_URL}'
  local upstream="" port
  for port in $STACK_WEB_PORTS; do upstream+="server 127.0.0.1:$port; "; done
  mkdir -p "$RUN/nginx-tmp"
  # Started as root, nginx would run its workers as nobody, who cannot read a private run dir.
  NGINX_USER_LINE=$([ "$(id -u)" = 0 ] && echo "user root root;" || true) \
    NGINX_RUN_DIR=$RUN NGINX_LISTEN=127.0.0.1:$STACK_NGINX_PORT NGINX_UPSTREAM_SERVERS=$upstream \
    STATIC_ROOT=$VAR_DIR/static MEDIA_ROOT=$VAR_DIR/media PRIVATE_ROOT=$VAR_DIR/private \
    bash -c "envsubst '$vars' <deploy/nginx/nginx.conf.template >'$RUN/nginx.conf' &&
             envsubst '$vars' <deploy/nginx/zhengwu.conf.template >'$RUN/zhengwu.conf'"
  nginx -t -q -e "$RUN/nginx-error.log" -p "$RUN" -c "$RUN/nginx.conf"
}

preconditions() {
  if ! command -v nginx >/dev/null; then
    echo "stack: nginx is missing (scripts/system-packages.sh test installs it)" >&2
    exit 1
  fi
  if ! "$PY" -c 'import gunicorn, osmem_server' 2>/dev/null; then
    echo "stack: $PY lacks gunicorn or osmem-server (pip install -e '.[test]')" >&2
    exit 1
  fi
}

up() {
  preconditions
  mkdir -p "$RUN/pids"
  write_env
  load_env
  local es_port=${ELASTICSEARCH_URL##*:} osmem i=0 port control collect
  osmem=$("$PY" -c 'import osmem_server; print(osmem_server.resolve_binary())')
  echo "stack: starting in $RUN"
  start osmem "$osmem" --addr "127.0.0.1:$es_port" --no-stdin-watch
  wait_for "osmem-server" http_ok "$ELASTICSEARCH_URL/"
  ensure_database
  # Static files need no database: collected while the migrations run (two cores, two jobs).
  "$PY" manage.py collectstatic --no-input -v 0 >"$RUN/collectstatic.log" 2>&1 &
  collect=$!
  "$PY" manage.py migrate --no-input -v 0
  # osmem keeps the index in memory: build it on every up (seconds on a small site).
  "$PY" manage.py rebuild_search_index -v 0
  wait "$collect" || {
    cat "$RUN/collectstatic.log" >&2
    exit 1
  }
  for port in $STACK_WEB_PORTS; do
    i=$((i + 1))
    # Recent gunicorn opens a control socket, by default at one path in $HOME for every process.
    control=()
    "$PY" -m gunicorn --help | grep -q -- --control-socket && control=(--control-socket "$RUN/web-$i.ctl")
    start "web-$i" "$PY" -m gunicorn config.wsgi --bind "127.0.0.1:$port" --timeout 120 \
      --access-logfile "$RUN/web-$i-access.log" "${control[@]}"
  done
  start worker env Q_SCHEDULER=0 "$PY" manage.py qcluster
  start scheduler env Q_SCHEDULER=1 "$PY" manage.py qcluster
  start search-worker env Q_CLUSTER_NAME=search Q_SCHEDULER=0 "$PY" manage.py qcluster
  render_nginx
  start nginx nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" -g "daemon off;"
  for port in $STACK_WEB_PORTS; do wait_for "gunicorn on $port" http_ok "http://127.0.0.1:$port/healthz"; done
  wait_for "nginx" http_ok "http://127.0.0.1:$STACK_NGINX_PORT/healthz"
  wait_for "the three job clusters" clusters_reporting 3
  cat <<TXT
stack: up in ${SECONDS}s
  Site:    http://127.0.0.1:$STACK_NGINX_PORT/
  Admin:   http://127.0.0.1:$STACK_NGINX_PORT/admin/
  Search:  http://127.0.0.1:$STACK_NGINX_PORT/search/?q=
  Web:     $(for p in $STACK_WEB_PORTS; do printf 'http://127.0.0.1:%s/  ' "$p"; done)
  Search engine (osmem): $ELASTICSEARCH_URL   Database: $DATABASE_URL   Redis: $REDIS_URL
  Logs:    $RUN/*.log      Settings: set -a; . $RUN/env; set +a
TXT
}

down() {
  # The front first, so no request reaches a process that is stopping; osmem last.
  stop nginx
  stop web-1 web-2 worker scheduler search-worker
  stop osmem
  echo "stack: down"
}

status() {
  local name all=0
  for name in "${PROCESSES[@]}"; do
    if alive "$name"; then
      echo "  $name: running (pid $(cat "$RUN/pids/$name.pid"))"
    else
      echo "  $name: stopped"
      all=1
    fi
  done
  return $all
}

purge() {
  down
  if [ -f "$RUN/env" ]; then
    load_env
    "$PY" -c 'import sys, redis; redis.from_url(sys.argv[1]).flushdb()' "$REDIS_URL"
    "$PY" - "$PG/postgres" "$DB" <<'PY'
import sys

import psycopg
from psycopg import sql

url, name = sys.argv[1:]
with psycopg.connect(url, autocommit=True) as connection:
    connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
PY
  fi
  rm -rf "$RUN"
  echo "stack: purged"
}

case "${1:-}" in
  up | down | status | purge) "$1" ;;
  *)
    echo "usage: scripts/stack.sh up|down|status|purge" >&2
    exit 2
    ;;
esac
