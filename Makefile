# meirim — make help lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve test check lint messages bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP) ## Create .venv and install the pinned runtime dependencies

demo: $(RUNTIME_STAMP) ## Build the SQLite demo (catalogue, municipalities, demo users) and serve it
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py demo_setup
	@echo "meirim is running at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	MEIRIM_DEBUG=1 ./scripts/demo-serve.sh $(BIN)/python $(HOST):$(PORT)

test: $(DEV_STAMP) ## Run the whole test suite on PostgreSQL (installs PostgreSQL and Chromium if missing)
	DATABASE_URL=$$(./scripts/test-services.sh | tail -n 1) $(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(DEV_STAMP) ## Quality gates: ruff, mypy, import-linter, migrations, translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy index_engine meirim config
	$(BIN)/lint-imports
	@mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py

check: lint test ## All quality gates and the test suite

messages: $(DEV_STAMP) ## Update the translation catalogues after changing interface strings
	$(BIN)/python scripts/check_messages.py --update

bench: $(DEV_STAMP) ## Run the benchmarks and print figures (engine, import, dashboard)
	$(BIN)/python bench/engine.py
	DATABASE_URL=$$(./scripts/test-services.sh | tail -n 1) $(BIN)/python bench/import_observations.py
	DATABASE_URL=$$(./scripts/test-services.sh | tail -n 1) $(BIN)/python bench/dashboard.py

clean: ## Remove the demo database and generated files
	rm -rf var
