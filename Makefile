# Short verbs for a newcomer and for CI. Everything installs into .venv from the lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run test install lint migrations-check test-browser ci bench messages clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make run: the app with the demo data on SQLite, at http://127.0.0.1:8000 (PORT=... to change)
run: $(STAMP)
	$(BIN)/healthywork demo --host $(HOST) --port $(PORT)

## make test: the whole test suite (browser tests skip themselves when no Chromium is installed)
test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: $(STAMP)
	HEALTHYWORK_DATA_DIR=$$(mktemp -d) SECRET_KEY=check $(BIN)/healthywork makemigrations --check --dry-run

test-browser: $(STAMP)
	$(BIN)/pytest -m browser

messages: $(STAMP)
	cd healthywork && ../$(BIN)/healthywork makemessages -l es --no-obsolete && ../$(BIN)/healthywork compilemessages -l es

bench: $(STAMP)
	$(BIN)/python bench/registry.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) data .pytest_cache
