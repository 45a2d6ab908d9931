# Hubs — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: help run test lint format translations i18n bench bench-quick clean

help:
	@echo "make run    create .venv, install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install test requirements, lint, run the whole suite"
	@echo "make bench  performance figures against their floors (see bench/README.md)"
	@echo "            (PostgreSQL too with HUBS_BENCH_POSTGRES_URL; make bench-quick: CI size)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $@ $(VENV)/.installed

translations: $(VENV)/.installed
	$(BIN)/python tools/i18n.py compile

# make run: development mode, mail printed to the console, links built for this port.
RUN_ENV = HUBS_ENV=$${HUBS_ENV:-development} HUBS_MAIL_BACKEND=$${HUBS_MAIL_BACKEND:-console} \
	HUBS_BASE_URL=$${HUBS_BASE_URL:-http://127.0.0.1:$(PORT)}

run: $(VENV)/.installed translations
	$(RUN_ENV) $(BIN)/flask db upgrade
	$(RUN_ENV) $(BIN)/flask demo load --if-empty
	@echo "Hubs is starting on http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	$(RUN_ENV) $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --with-threads

lint: $(VENV)/.installed-test
	$(BIN)/ruff check hubs tests tools bench
	$(BIN)/ruff format --check hubs tests tools bench
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix hubs tests tools bench
	$(BIN)/ruff format hubs tests tools bench

i18n: $(VENV)/.installed
	$(BIN)/python tools/i18n.py update

test: $(VENV)/.installed-test translations lint
	$(BIN)/pytest -n $${HUBS_TEST_WORKERS:-2} --dist loadgroup $(PYTEST_ARGS)

# make bench: 1M occurrences, about 15 minutes on 2 cores; exits 1 when a target is missed.
bench: $(VENV)/.installed translations
	$(BIN)/python -m bench $(BENCH_ARGS)

# make bench-quick: small data, a few minutes; checks statement counts and scaling (CI).
bench-quick: $(VENV)/.installed translations
	$(BIN)/python -m bench --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
