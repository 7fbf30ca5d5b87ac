# The README's commands. Each creates .venv and installs first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
PYTEST_WORKERS ?= 2

.PHONY: run test lint format bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	SUPERVISION_ENV=development $(FLASK) db upgrade
	SUPERVISION_ENV=development $(FLASK) demo load --if-empty
	SUPERVISION_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not bench" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m pytest -m bench -p no:xdist -s tests/bench --benchmark-columns=mean,median,rounds $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite .pytest_cache
