# Over-Graph: the two README commands (`make demo`, `make test`) and their helpers.
#
# Runs on this project's machine image (Debian 12, Python 3.11, as root) with nothing else installed:
# every target installs what it needs, and does nothing when it is already there.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Holds the sha256 of the requirements.txt last installed: pip runs again only when it changed
# (content, not mtime, so a fresh checkout or a `touch` does not reinstall).
REQUIREMENTS_STAMP := $(VENV)/.requirements.sha256

PYTEST_ARGS ?=
BENCH_ARGS ?=
PROCFILE ?= Procfile.demo
DEMO_URL ?= http://127.0.0.1:8000

.PHONY: help setup demo test bench lint format gettext venv deps messages migrate static seed report-packages

help:
	@echo "make demo    set up, seed the demo and run web + Celery worker + beat (Ctrl-C stops all)"
	@echo "make test    run the test suite (SQLite; PostgreSQL when DATABASE_URL is set); PYTEST_ARGS=..."
	@echo "make bench   run every bench/*.py and bench/*.sh script; BENCH_ARGS=--quick"
	@echo "make lint    ruff check + ruff format --check"
	@echo "make setup   install what is missing, compile messages, migrate, collect static files"

# --- Prerequisites (each one idempotent) ---------------------------------------------------------

gettext:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		echo ">>> msgfmt is missing: installing GNU gettext from Debian (apt-get install gettext)"; \
		apt-get update && apt-get install -y gettext; \
	fi

# Reports (reports/): WeasyPrint lays PDFs out with Pango/HarfBuzz (libharfbuzz-subset0 is otherwise
# missing), DejaVu fonts and Symbola (emoji in posts); kaleido renders the charts with Debian's
# Chromium (never a downloaded browser); poppler-utils reads PDFs back in the tests. Installed from
# Debian when missing.
REPORT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-symbola chromium poppler-utils
report-packages:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; missing=""; \
	for pkg in $(REPORT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo ">>> Installing from Debian for PDF reports:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing; \
	fi

# Debian's own python3 ships venv without ensurepip (package python3-venv); the image's does not need it.
venv:
	@if [ ! -x $(PY) ]; then \
		if ! $(PYTHON) -c "import ensurepip" >/dev/null 2>&1; then \
			echo ">>> $(PYTHON) cannot create a virtualenv: installing python3-venv from Debian"; \
			apt-get update && apt-get install -y python3-venv; \
		fi; \
		echo ">>> Creating the virtualenv $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv $(VENV); \
	fi

deps: venv
	@want=$$(sha256sum requirements.txt | cut -d' ' -f1); \
	if [ "$$(cat $(REQUIREMENTS_STAMP) 2>/dev/null)" != "$$want" ]; then \
		echo ">>> Installing requirements.txt into $(VENV) (changed since the last install)"; \
		$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt; \
		echo "$$want" > $(REQUIREMENTS_STAMP); \
	fi

# compilemessages refuses to run when no locale folder exists yet (before the first catalogue).
messages: gettext deps
	@if find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name '*.po' -print -quit | grep -q .; then \
		$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules --verbosity 0; \
	else \
		echo ">>> No translation catalogue (*.po) yet: nothing to compile"; \
	fi

migrate: deps
	@$(MANAGE) migrate --noinput
	@$(MANAGE) createcachetable

static: deps
	@$(MANAGE) collectstatic --noinput --verbosity 0

setup: report-packages messages migrate static

# --- The two README commands --------------------------------------------------------------------

# The demo's networks are the local simulator (networks/simulator/, its own line in Procfile.demo):
# every network base URL points at it (overgraph/settings.py), with its dummy app credentials.
DEMO_ENV := SIMULATOR_URL=http://127.0.0.1:8900 X_CLIENT_ID=overgraph-demo X_CLIENT_SECRET=overgraph-demo-secret \
	META_APP_ID=100000000000999 META_APP_SECRET=overgraph-demo-secret

# seed_demo_networks connects the demo's accounts through the simulator's OAuth screens and
# replays a year of syncs through the sync engine (a simulator runs just for it if none is up).
seed: setup
	@$(MANAGE) seed_demo
	@$(DEMO_ENV) $(MANAGE) seed_demo_networks --start-simulator
	@$(DEMO_ENV) $(MANAGE) seed_demo_listening --start-simulator
	@$(DEMO_ENV) $(MANAGE) seed_demo_inbox --start-simulator
	@$(DEMO_ENV) $(MANAGE) seed_demo_campaigns --start-simulator
	@$(MANAGE) seed_demo_spikes
	@$(MANAGE) forecasts_refresh
	@$(MANAGE) seed_demo_reports

# Each process of the Procfile runs under honcho; Ctrl-C stops them all. `exec` hands the terminal's
# signals straight to honcho instead of make. `--env /dev/null`: honcho would otherwise load .env,
# which holds docker compose's production settings (.env.example), not the demo's.
demo: seed
	@echo
	@echo "Over-Graph demo: $(DEMO_URL)/  (log in at $(DEMO_URL)/accounts/login/)"
	@echo "  Django admin:  $(DEMO_URL)/admin/    API docs: $(DEMO_URL)/api/docs/"
	@echo "  Processes:     $$(cut -d: -f1 $(PROCFILE) | grep -v '^#' | tr '\n' ' ')(Ctrl-C stops them all)"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(DEMO_ENV) exec $(BIN)/honcho --env /dev/null -f $(PROCFILE) start

# pytest exit code 5 means "no tests collected" (a -k that matches nothing, an empty folder): not a failure.
test: messages
	@$(BIN)/pytest $(PYTEST_ARGS) || { rc=$$?; [ $$rc -eq 5 ] && echo ">>> pytest collected no tests" || exit $$rc; }

# Every bench/*.py is a standalone script, and so is every bench/*.sh (run after them, with bash).
# Files starting with `_` are helper modules and
# locustfiles are run by a bench script through locust (in its own process), so neither runs here.
bench: deps
	@$(BIN)/pip install --disable-pip-version-check -q -r requirements-bench.txt
	@shopt -s nullglob; ran=0; \
	for script in bench/*.py; do \
		name=$$(basename $$script); \
		case $$name in _*|locustfile*) continue;; esac; \
		echo ">>> $$script $(BENCH_ARGS)"; \
		PYTHONPATH="$(CURDIR)" $(PY) $$script $(BENCH_ARGS); \
		ran=$$((ran + 1)); \
	done; \
	for script in bench/*.sh; do \
		echo ">>> $$script $(BENCH_ARGS)"; \
		bash $$script $(BENCH_ARGS); \
		ran=$$((ran + 1)); \
	done; \
	echo ">>> $$ran benchmark script(s) ran"

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
