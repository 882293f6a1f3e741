# chitieu — two commands: `make demo` (set up and serve the demo) and `make test` (set up and run the suite).
# Everything is installed into .venv and var/; re-running is fast (stamps skip finished steps).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
BIN     := $(VENV)/bin
PORT    ?= 8000
# a stamp per dependency set: changing pyproject.toml or package-lock.json re-installs
DEPS_STAMP   := $(VENV)/.deps-$(shell cat pyproject.toml | md5sum | cut -c1-12)
ASSETS_STAMP := src/chitieu/web/static/vendor/.stamp-$(shell cat package-lock.json | md5sum | cut -c1-12)
MO_FILE      := src/chitieu/locale/en/LC_MESSAGES/django.mo
PYTEST_ARGS  ?=

export CHITIEU_HOME := $(CURDIR)

.PHONY: help demo test test-sqlite test-postgres lint format install assets sysdeps messages bench clean

help:
	@echo "make demo   - set up everything (venv, dependencies, SQLite, demo data) and serve on 127.0.0.1:$(PORT)"
	@echo "make test   - set up everything and run the whole suite on SQLite, then on PostgreSQL"
	@echo "make lint   - ruff check and format check, import-linter layer contracts"
	@echo "make bench  - print the benchmark figures (bench/*.py)"

$(PY):
	@py=$$(scripts/find-python) || exit 1; echo "python: $$py"; "$$py" -m venv $(VENV)
	@$(PIP) install -q --upgrade pip

$(DEPS_STAMP): $(PY) pyproject.toml
	$(PIP) install -q -e '.[dev]'
	@rm -f $(VENV)/.deps-*; touch $@

install: $(DEPS_STAMP)

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@rm -rf src/chitieu/web/static/vendor; mkdir -p src/chitieu/web/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js src/chitieu/web/static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js src/chitieu/web/static/vendor/echarts.min.js
	@touch $@

assets: $(ASSETS_STAMP)

$(MO_FILE): src/chitieu/locale/en/LC_MESSAGES/django.po $(DEPS_STAMP)
	$(PY) -m chitieu.i18n_compile

messages: $(MO_FILE)

sysdeps:
	@scripts/system-deps

demo: install assets messages
	@mkdir -p var
	$(BIN)/chitieu demo
	@echo ""
	@echo "chitieu đang chạy tại / is serving at: http://127.0.0.1:$(PORT)/   (Ctrl+C để dừng / to stop)"
	@$(BIN)/chitieu worker > var/worker.log 2>&1 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(BIN)/chitieu serve --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: install assets messages sysdeps lint
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@url=$$(scripts/pg-url $(PY)); \
	if [ -z "$$url" ]; then \
	  if [ "$${CI:-}" = "true" ]; then echo "PostgreSQL is not reachable (DATABASE_URL or 127.0.0.1:5432/test) and CI=true: failing"; exit 1; fi; \
	  echo "== PostgreSQL not reachable: skipped (set DATABASE_URL) =="; exit 0; \
	fi; \
	echo "== suite on PostgreSQL ($${url%%@*}@…) =="; \
	DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS)

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) node_modules var src/chitieu/web/static/vendor $(MO_FILE)
