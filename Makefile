# Set-up and everyday commands. `make run` and `make test` are the README's two commands.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Django 6.1 needs Python >= 3.12. Look on PATH first, then in pyenv's versions.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: setup run test test-sqlite test-postgres test-replica standby-up standby-down lint format sample clean-db

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: no Python 3.12 or newer found (Django 6.1 needs it)." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.13 ..." >&2; \
	  exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

## Run the site on SQLite with the sample archive loaded.
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py ingest fixtures/sample --source "The Meridian Herald"
	$(PY) manage.py runserver $(PORT)

sample: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py ingest fixtures/sample --source "The Meridian Herald"

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: setup
	$(PY) -m pytest -q

## The replica suite (tests/replica) against a hot standby of the local PostgreSQL on
## $(STANDBY_PORT), made with pg_basebackup -R (scripts/pg_standby.sh) and removed afterwards.
## Needs root or the postgres user, and PostgreSQL on 127.0.0.1:5432.
STANDBY_PORT ?= 5433
REPLICA_DB ?= newsarchive
test-replica: setup
	@# A standby that was already up is used and left up; one made here is removed.
	@if pg_isready -q -h 127.0.0.1 -p $(STANDBY_PORT); then made=0; else made=1; fi; \
	  STANDBY_PORT=$(STANDBY_PORT) scripts/pg_standby.sh up || exit 1; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(REPLICA_DB) \
	  DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$(STANDBY_PORT)/$(REPLICA_DB) \
	  $(PY) -m pytest -q -m replica tests/replica; status=$$?; \
	  if [ $$made = 1 ]; then STANDBY_PORT=$(STANDBY_PORT) scripts/pg_standby.sh down; fi; \
	  exit $$status

## A standby to try things by hand (DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:5433/<db>).
standby-up:
	STANDBY_PORT=$(STANDBY_PORT) scripts/pg_standby.sh up
standby-down:
	STANDBY_PORT=$(STANDBY_PORT) scripts/pg_standby.sh down

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
