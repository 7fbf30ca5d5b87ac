# The README's commands. Each creates .venv and installs first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
PYTEST_WORKERS ?= 2

.PHONY: run test lint format bench load screenshots install clean

# Each step says what it does: the first install takes about a minute and pip is quiet meanwhile.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@echo "==> Creating the virtual environment in $(VENV)/"
	@$(PYTHON) -m venv $(VENV)
	@echo "==> Upgrading pip"
	@$(BIN)/pip install --quiet --upgrade pip
	@echo "==> Installing Attune and its development tools (a minute or two the first time)"
	@$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "==> Installed"

install: $(STAMP)

run: $(STAMP)
	@echo "==> Migrating the local database (instance/supervision.sqlite)"
	@SUPERVISION_ENV=development $(FLASK) db upgrade
	@echo "==> Loading the demo workspace (only into an empty database)"
	@SUPERVISION_ENV=development $(FLASK) demo load --if-empty
	@echo "==> Serving http://127.0.0.1:5000 (Ctrl+C stops it)"
	@SUPERVISION_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not bench and not scaleout" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The pytest benches, then the scale benchmark of issue 13 (docs/performance.md): seeds a world
# per size (BENCH_SIZE=quick|small|large; default small and large on PostgreSQL, given by
# BENCH_DATABASE_URL or TEST_DATABASE_URL, else small on SQLite), measures it under gunicorn.
bench: $(STAMP)
	$(BIN)/python -m pytest -m bench -p no:xdist -s tests/bench --benchmark-columns=mean,median,rounds $(PYTEST_ARGS)
	$(BIN)/python -m tests.bench.scale bench

# The load test: locust headless, 50 users for 60 s on the large world (seeded if it is not).
load: $(STAMP)
	$(BIN)/python -m tests.bench.scale load

# The README's pictures, taken from a demo server the script starts (needs /usr/bin/chromium).
screenshots: $(STAMP)
	@echo "==> Taking screenshots of the demo into docs/screenshots/"
	@$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) instance/*.sqlite .pytest_cache
