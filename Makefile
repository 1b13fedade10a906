# meirim — make help lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install demo serve test check lint messages bench lock clean clean-all

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the packages (and hashes) in the lock files; `make lock` recompiles them.
$(RUNTIME_STAMP): requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements.lock
	touch $@

$(DEV_STAMP): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements-dev.lock
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP) ## Create .venv and install the pinned runtime dependencies

# The demo is a development server: every command of it runs with MEIRIM_DEBUG=1.
demo: export MEIRIM_DEBUG = 1
demo: $(RUNTIME_STAMP) ## Build the SQLite demo (catalogue, municipalities, demo users) and serve it
	@mkdir -p var
	./scripts/pdf-libs.sh
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py demo_setup
	@echo "meirim is running at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	./scripts/demo-serve.sh $(BIN)/python $(HOST):$(PORT)

test: $(DEV_STAMP) ## Run the whole test suite on PostgreSQL (installs PostgreSQL and Chromium if missing)
	DATABASE_URL=$$(./scripts/test-services.sh | tail -n 1) $(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(DEV_STAMP) ## Quality gates: ruff, mypy, import-linter, migrations, translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy index_engine meirim config
	$(BIN)/lint-imports
	@mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.testing
	$(BIN)/python scripts/check_messages.py

check: lint test ## All quality gates and the test suite

messages: $(DEV_STAMP) ## Update the translation catalogues after changing interface strings
	$(BIN)/python scripts/check_messages.py --update

bench: $(DEV_STAMP) ## Run the benchmarks and print figures (engine, import, national results)
	$(BIN)/python bench/engine.py
	DATABASE_URL=$$(./scripts/test-services.sh | tail -n 1) $(BIN)/python bench/import_observations.py
	$(BIN)/python bench/national.py $(BENCH_ARGS)
	$(BIN)/python bench/opendata.py
	$(BIN)/python bench/suggestions.py

lock: ## Recompile requirements.lock and requirements-dev.lock (pinned, with hashes) from requirements*.txt
	$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header requirements.txt -o requirements.lock
	$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header requirements-dev.txt -o requirements-dev.lock

clean: ## Remove the demo database and generated files (keeps uploaded evidence in var/media)
	rm -f var/meirim.sqlite3 var/meirim.sqlite3-journal var/meirim.sqlite3-wal var/meirim.sqlite3-shm
	rm -rf var/static
	@if [ -d var/media ]; then echo "Kept var/media (uploaded evidence files). 'make clean-all' deletes it too."; fi

clean-all: clean ## Also delete var/media: every uploaded evidence file
	@echo "Deleting var/media: all uploaded evidence files."
	rm -rf var
