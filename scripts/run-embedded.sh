#!/usr/bin/env bash
# The embedded default on one machine: sets up the database, then serves the site beside the
# job workers (django-q2 on the ORM broker: the default queue and the search queue), every
# process under the same settings. Ctrl-C (or SIGTERM to this script) stops them all.
#
#   scripts/run-embedded.sh [--dev] [HOST] [PORT]
#
# Default (make run): production settings, gunicorn, DEBUG off, static files from WhiteNoise's
# compressed manifest. --dev (make dev): dev settings, runserver, DEBUG on.
# Environment: WEB_WORKERS (gunicorn workers, 2), Q_WORKERS (default queue's workers, 1),
# VAR_DIR (var/), LOAD_DEMO=0 (skip load_demo: a site of your own; under production settings
# it runs on the first start only anyway),
# ALLOWED_HOSTS, HTTPS, BASE_URL (derived from HOST and PORT unless set), PY.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=production
if [[ ${1:-} == --dev ]]; then
  MODE=dev
  shift
fi
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=${PY:-.venv/bin/python}
WEB_WORKERS=${WEB_WORKERS:-2}

# One VAR_DIR for every command below, as an absolute path: settings read it from here.
VAR_DIR=$(realpath -m "${VAR_DIR:-var}")
export VAR_DIR
mkdir -p "$VAR_DIR"

if [[ $MODE == dev ]]; then
  export DJANGO_SETTINGS_MODULE=config.settings.dev
else
  export DJANGO_SETTINGS_MODULE=config.settings.production
  # Production settings refuse to start without a real key: one is made on the first start
  # and kept beside the database (readable by this user only), so sessions survive restarts.
  KEY_FILE=$VAR_DIR/secret_key
  if [[ ! -s $KEY_FILE ]]; then
    (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$KEY_FILE")
  fi
  SECRET_KEY=$(<"$KEY_FILE")
  export SECRET_KEY
  # gunicorn speaks plain HTTP here: no https redirect, no secure-only cookies. A TLS proxy in
  # front (nginx) is the place for HTTPS=1.
  export HTTPS=${HTTPS:-0}
  HOSTS="$HOST,localhost,127.0.0.1"
  if [[ $HOST == 0.0.0.0 || $HOST == :: ]]; then
    # Reachable on every interface: accept this machine's own addresses too.
    HOSTS="$HOSTS,$(hostname -I 2>/dev/null | xargs | tr ' ' ',')"
  fi
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-$HOSTS}
fi
# An IPv6 address is written in brackets in a URL and a bind address.
if [[ $HOST == *:* ]]; then ADDRESS="[$HOST]"; else ADDRESS=$HOST; fi
if [[ $HOST == 0.0.0.0 || $HOST == :: ]]; then
  # Reachable on every interface: links in the API and mails name the first of them.
  PUBLIC=$(hostname -I 2>/dev/null | awk '{print $1}')
  export BASE_URL=${BASE_URL:-http://${PUBLIC:-127.0.0.1}:$PORT}
else
  export BASE_URL=${BASE_URL:-http://$ADDRESS:$PORT}
fi

"$PY" manage.py migrate --no-input
# The demo centre and its logins, whose passwords are published (README): under production
# settings on the first start only, so that a demo account a centre deleted does not come
# back on the next start (load_demo makes missing ones).
DEMO_LOADED=$VAR_DIR/demo-loaded
if [[ ${LOAD_DEMO:-1} == 1 && ($MODE == dev || ! -e $DEMO_LOADED) ]]; then
  "$PY" manage.py load_demo
  touch "$DEMO_LOADED"
fi
"$PY" manage.py rebuild_search_index
if [[ $MODE == production ]]; then
  # Under the server's own settings: the compressed, hashed copies and the manifest that
  # production's CompressedManifestStaticFilesStorage reads.
  "$PY" manage.py collectstatic --no-input -v 0
fi

PIDS=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  wait || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# One worker process on one machine: it pre-renders the PDFs of newly published guides (the
# whole demo catalogue after a first load_demo, a few minutes), and the web server keeps the
# other core. Set Q_WORKERS to change it.
Q_WORKERS=${Q_WORKERS:-1} "$PY" manage.py qcluster &
PIDS+=($!)
# Index updates have a queue and a worker of their own (settings.SEARCH_TASK_QUEUE), so a page
# published while the worker above renders PDFs is found within seconds, not after them.
Q_CLUSTER_NAME=search "$PY" manage.py qcluster &
PIDS+=($!)

if [[ $MODE == dev ]]; then
  SERVER="runserver with DEBUG on (config.settings.dev): for development only"
else
  SERVER="gunicorn, $WEB_WORKERS workers, DEBUG off (config.settings.production);
            plain HTTP (HTTPS=0): put a TLS proxy in front before it faces the internet"
fi
cat <<TXT

  政务服务中心 is running on the embedded default (SQLite in var/, local files, django-q2 workers).
    Site:   http://$ADDRESS:$PORT/
    Admin:  http://$ADDRESS:$PORT/admin/
    API:    http://$ADDRESS:$PORT/api/v2/pages/?type=cms.ServiceGuidePage
    Server: $SERVER
TXT
if [[ -e $DEMO_LOADED ]]; then
  "$PY" manage.py load_demo --logins
  echo "  演示账号的密码是公开的：站点对外服务前，请在后台修改或删除这些账号。"
fi
echo "  Stop with Ctrl-C."
echo

if [[ $MODE == dev ]]; then
  "$PY" manage.py runserver --noreload "$ADDRESS:$PORT" &
else
  # Sync workers: a guide's PDF rendered on its first request takes seconds, so the timeout
  # is twice gunicorn's default. The access log goes to the terminal, as runserver's did.
  # Recent gunicorn opens a control socket at one path in $HOME for every server of the user:
  # none here, so a second site (a test, a benchmark) cannot take it from this one.
  control=()
  "$PY" -m gunicorn --help | grep -q -- --no-control-socket && control=(--no-control-socket)
  "$PY" -m gunicorn config.wsgi --bind "$ADDRESS:$PORT" --workers "$WEB_WORKERS" \
    --timeout 60 --access-logfile - "${control[@]}" &
fi
PIDS+=($!)

# Whichever process ends first (the server failing to bind its port, say) ends them all.
status=0
wait -n || status=$?
echo "A process of the site stopped (status $status); stopping the others." >&2
exit "$status"
