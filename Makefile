# coverdiff: `make run` serves the seed comparison, `make test` runs every test.
# Works on a new Debian machine with Python 3.11+, make and root; everything
# else (virtualenv, packages, htmx, a browser) is installed by these targets.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-quick install install-test assets browser servers eval bench serve lint clean bytecode

run: install assets bytecode  ## serve the app (seed comparison on the home page)
	$(BIN)/flask --app webapp run --host $(HOST) --port $(PORT)

serve: install assets bytecode  ## production server: gunicorn, 4 workers, worker timeout above the comparison budget
	$(BIN)/gunicorn -c python:webapp.gunicorn_conf -w 4 -b $(HOST):$(PORT) 'webapp:create_app()'

test: install-test assets browser servers  ## the whole suite, browser tests included
	$(BIN)/ruff check webapp tests scripts $(wildcard bench)
	$(BIN)/pytest $(PYTEST_ARGS)

test-quick: install-test assets  ## everything but the browser tests
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

eval: install-test  ## extraction, alignment and fact-grouping scores against ../shared/data
	$(BIN)/python -m tests.eval

bench: install-test assets browser bytecode  ## speed and memory against difflib, printed
	command -v wrk >/dev/null || scripts/system-deps.sh wrk || echo "no wrk: the bench uses its Python load generator"
	$(BIN)/python -m bench
	$(BIN)/python -m bench.many

# The project is installed editable, so pip compiles none of its modules; with
# PYTHONDONTWRITEBYTECODE set (as on this project's machines) every process would compile them
# again from source: 60-70 ms of each `coverdiff compare` (seeds 0.23 -> 0.16 s, AMD EPYC).
# compileall writes only what is out of date.
bytecode: install
	$(BIN)/python -m compileall -q webapp

lint: install-test
	$(BIN)/ruff check webapp tests scripts $(wildcard bench)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { scripts/system-deps.sh python3-venv && $(PYTHON) -m venv $(VENV); }

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

assets: static/vendor/htmx.min.js
static/vendor/htmx.min.js: static/vendor.lock.json scripts/fetch_vendor.py | $(BIN)/python
	command -v npm >/dev/null || scripts/system-deps.sh npm
	$(BIN)/python scripts/fetch_vendor.py

# The store's tests start a real PostgreSQL server and the rate-limit tests a real redis-server:
# Debian's binaries are installed when missing, so no test is ever skipped for want of them.
servers:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || scripts/system-deps.sh postgresql
	command -v redis-server >/dev/null || scripts/system-deps.sh redis-server

browser: install-test  ## Debian's Chromium, else Playwright's own download
	scripts/ensure-browser.sh $(BIN)

clean:
	rm -rf $(VENV) static/vendor/*.js static/vendor/.*.integrity instance .pytest_cache
