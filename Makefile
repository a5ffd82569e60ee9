# Two commands on a fresh machine:  make run  (the explorer on the bundled ledger)  and  make test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# make run: the explorer on an embedded SQLite store, made from the bundled ledger on first run.
# make run LEDGER=path/to/ledger.xlsx: the explorer on that file instead (read-only).
STORE  ?= .cojian/store.sqlite

.PHONY: run test lint bench system-deps clean help

help:
	@echo "make run    - set up .venv and open the explorer on a store made from the bundled ledger (port $(PORT))"
	@echo "make test   - set up .venv with the dev extra, Chromium and CJK fonts, and run the whole suite"
	@echo "make bench  - time graph building and the measures against plain networkx"
	@echo "make lint   - ruff"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
ifdef LEDGER
	$(BIN)/cojian app $(LEDGER) --port $(PORT)
else
	@mkdir -p $(dir $(STORE))
	$(BIN)/cojian app --db sqlite:///$(abspath $(STORE)) --init-from data --port $(PORT)
endif

system-deps:
	@bash scripts/system-deps.sh

# the single sign-on test's OpenID Connect provider (Node.js, test only)
tests/oidc/node_modules/.installed: tests/oidc/package-lock.json | system-deps
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the single sign-on test will be skipped (apt-get install npm)" >&2; fi

test: $(VENV)/.dev-installed system-deps tests/oidc/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis tests/oidc/node_modules
