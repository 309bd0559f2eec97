#!/usr/bin/env bash
# Starts the job workers (django-q2 on the ORM broker: the default queue and the search
# queue) and the web server on the embedded default; Ctrl-C stops them all.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python

# One worker process on one machine: it pre-renders the PDFs of newly published guides (the
# whole demo catalogue after a first load_demo, a few minutes), and the web server keeps the
# other core. Set Q_WORKERS to change it.
Q_WORKERS=${Q_WORKERS:-1} $PY manage.py qcluster &
WORKER=$!
# Index updates have a queue and a worker of their own (settings.SEARCH_TASK_QUEUE), so a page
# published while the worker above renders PDFs is found within seconds, not after them.
Q_CLUSTER_NAME=search $PY manage.py qcluster &
SEARCH_WORKER=$!
trap 'kill $WORKER $SEARCH_WORKER 2>/dev/null || true' EXIT INT TERM

cat <<TXT

  政务服务中心 is running on the embedded default (SQLite in var/, local files, django-q2 workers).
    Site:   http://$HOST:$PORT/
    Admin:  http://$HOST:$PORT/admin/
    API:    http://$HOST:$PORT/api/v2/pages/?type=cms.ServiceGuidePage
TXT
$PY manage.py load_demo --logins
echo "  Stop with Ctrl-C."
echo
$PY manage.py runserver --noreload "$HOST:$PORT"
