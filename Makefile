# Timpora: the two commands of the README, and the targets CI uses.
# `make demo` = set-up + demo data + server; `make test` = set-up + the whole suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PERSONS ?= 3000
PG_URL ?= postgres://postgres@127.0.0.1:5432/timpora_ci

.PHONY: setup demo serve test test-sqlite test-pg lint format messages browser bench-ingest bench-registry clean

# --- set-up (idempotent: each step re-runs only when its inputs change) ---------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# --- demo ------------------------------------------------------------------------------------
demo: setup
	$(BIN)/timpora migrate --noinput -v0
	$(BIN)/timpora areas load
	$(BIN)/timpora demo seed --persons $(PERSONS)
	@echo "Timpora is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it; background jobs log to var/worker.log)"
	@$(BIN)/timpora db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/timpora runserver 127.0.0.1:$(PORT) --noreload

serve: setup
	$(BIN)/timpora runserver 127.0.0.1:$(PORT)

# --- tests -----------------------------------------------------------------------------------
browser:
	@bash scripts/ensure-chromium.sh

test: setup browser lint
	$(BIN)/timpora makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python scripts/pg_reachable.py; then \
		$(MAKE) --no-print-directory test-pg; \
	else echo "PostgreSQL not reachable at 127.0.0.1:5432: PostgreSQL run skipped"; fi

test-sqlite:
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest

test-pg:
	@echo "== test suite on PostgreSQL ($(PG_URL))"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest --create-db

# --- benchmarks (see bench/README.md) -------------------------------------------------------
# PERSONS defaults to 3000 for the demo; the benchmark takes it only when given
# (make bench-registry PERSONS=100000), otherwise a million.
BENCH_PERSONS ?= $(if $(filter command line environment,$(origin PERSONS)),$(PERSONS),1000000)

bench-registry: setup
	$(BIN)/python bench/registry.py --persons $(BENCH_PERSONS)

.PHONY: bench-detect
bench-detect: setup
	$(BIN)/python bench/detect.py --persons $(BENCH_PERSONS)

lint:
	$(BIN)/ruff check timpora bench
	$(BIN)/ruff format --check timpora bench

format:
	$(BIN)/ruff format timpora bench
	$(BIN)/ruff check --fix timpora bench

messages:
	cd timpora && ../$(BIN)/timpora makemessages -l id -l en --no-obsolete --ignore '*/tests/*'
	cd timpora && ../$(BIN)/timpora compilemessages -v0

clean:
	rm -rf $(VENV) node_modules var/static

bench-map: setup
	$(BIN)/python bench/map.py --persons $(if $(filter command line,$(origin PERSONS)),$(PERSONS),1000000)

bench-ingest: setup
	$(BIN)/python bench/ingest.py --rows $(or $(ROWS),1000000)

.PHONY: bench-resolve
bench-resolve: setup
	$(BIN)/python bench/resolve.py --persons $(BENCH_PERSONS)

.PHONY: bench-linkage
bench-linkage: setup
	$(BIN)/python bench/linkage.py $(if $(SIZES),--sizes $(SIZES),)
