# The two commands of the README:  make run  and  make test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test lint check deploy-check system-run system-test clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

# axe-core for tests/test_accessibility_axe.py, pinned in package-lock.json; npm ci installs
# exactly the lock file's versions and fails if package.json disagrees with it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

## make run: install, then (scripts/run-embedded.sh) migrate, load the demo centre and serve it
## in production settings: gunicorn (WEB_WORKERS, 2) beside the job workers.
run: system-run $(VENV)/.installed
	@scripts/run-embedded.sh $(HOST) $(PORT)

## make dev: the same with dev settings: runserver, DEBUG on.
dev: system-run $(VENV)/.installed
	@scripts/run-embedded.sh --dev $(HOST) $(PORT)

## make test: lint, Django checks (production's deploy checks too), migrations up to date, the suite.
test: system-test $(VENV)/.installed node_modules/.installed lint check deploy-check
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

## Production settings with HTTPS on pass Django's deployment checklist, on a migrated throwaway
## database (the search backend's check reads its tables).
deploy-check: $(VENV)/.installed
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	export DJANGO_SETTINGS_MODULE=config.settings.production VAR_DIR="$$dir" HTTPS=1 \
	  ALLOWED_HOSTS=zwfw.example.gov.cn \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" && \
	$(PY) manage.py migrate --no-input -v 0 && \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache node_modules

## make stack-up / stack-down: the scale-out topology on this machine (scripts/stack.sh: nginx,
## two gunicorn, workers with one scheduler, on PostgreSQL, Redis and osmem-server).
.PHONY: stack-up stack-down
stack-up: $(VENV)/.installed
	PY=$(PY) scripts/stack.sh up

stack-down:
	PY=$(PY) scripts/stack.sh down

## make e2e: the end-to-end test alone (also part of make test): the product started like
## production (two gunicorn, the job workers, a loopback SMTP server) and driven in Chromium.
## Screenshots and logs go to E2E_ARTEFACTS (default: pytest's tmp_path); DATABASE_URL set to
## a PostgreSQL server runs it on a database of its own there.
.PHONY: e2e
e2e: system-test $(VENV)/.installed
	$(PY) -m pytest -m e2e -s tests/test_end_to_end.py
