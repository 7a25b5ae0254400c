# ONEbuh portal. `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test faults bench sysdeps services browser lint format messages clean cluster-smoke

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

sysdeps:
	@scripts/ensure_sysdeps.sh

services:
	@scripts/ensure_services.sh
	@scripts/ensure_mail_server.sh

# Debian's Chromium for the end-to-end tests (Playwright never downloads a browser).
browser:
	@scripts/ensure_browser.sh

## make run: the whole portal with demo data (SQLite + file-system broker unless DATABASE_URL/REDIS_URL are set)
run: $(STAMP) sysdeps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/honcho -f Procfile.dev start --port 8000

## make test: lint, import contracts (pyproject.toml), migrations check, compose schema, the whole suite on PostgreSQL + Redis
test: $(STAMP) sysdeps services browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=onebuh.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=onebuh.settings.test $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(VENV)/bin/pytest

## make faults: the fault tests (real Celery workers, beat, gunicorn and a private redis-server
## on ports 16010-16089, killed at chosen points); a few minutes, so not part of make test
faults: $(STAMP) sysdeps services
	$(VENV)/bin/pytest tests/faults -m faults

## make bench: the benchmarks in bench/ on synthetic data (not part of make test)
bench: $(STAMP) sysdeps services
	$(PY) bench/run.py

## make cluster-smoke RAS=host:1545 TEMPLATE=/srv/1c/tmplts/bk.cf: every cluster-driver call once
## against a development 1C server (the other ONEBUH_1C_* settings from the environment; README,
## "1C side"). A scratch infobase is created and dropped. Never part of make test.
cluster-smoke: $(STAMP)
	@test -n "$(TEMPLATE)" || { echo "TEMPLATE=<a .cf on the 1C server> is required"; exit 2; }
	ONEBUH_INFOBASES_DRIVER=cluster $(if $(RAS),ONEBUH_1C_RAS=$(RAS)) \
		$(PY) manage.py infobases_cluster_smoke --template "$(TEMPLATE)"

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## make messages: refresh and compile every app's Russian catalogue
messages: $(STAMP)
	scripts/messages.sh

clean:
	rm -rf $(VENV) var staticfiles
