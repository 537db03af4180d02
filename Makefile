# Sangyo — the two commands of the README, and a few helpers.
#   make demo   set up and run the platform on SQLite with demo data (http://127.0.0.1:8000/)
#   make test   set up and run the whole test suite (PostgreSQL when DATABASE_URL is set)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo serve serve-prod load-test bench test lint format check-migrations clean messages compile-messages

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"

demo: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/sangyo migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/sangyo demo
	@echo ""
	@echo "Sangyo: http://$(HOST):$(PORT)/   (Ctrl-C to stop)"
	@echo "  API:  http://$(HOST):$(PORT)/api/v1/docs"
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/sangyo runserver $(HOST):$(PORT)

serve: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/sangyo runserver $(HOST):$(PORT)

# The production profile (gunicorn + Celery worker + beat on PostgreSQL and Redis); see
# docs/operations.md.
serve-prod: install
	scripts/serve-prod.sh

# Every benchmark in bench/, one table (BENCH_ARGS=--large for the national scale).
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

# 50 users for 5 minutes against the production profile (needs PostgreSQL and Redis).
load-test: install
	$(UV) sync --frozen --group bench --python "$(PYTHON)"
	$(BIN)/python bench/load_test.py $(LOAD_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/sangyo makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/sangyo check

test: lint check-migrations
	$(BIN)/pytest -n 2 --durations=15 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache

# Japanese msgids, English catalogue: refresh after changing UI strings, translate the new
# entries in sangyo/locale/en/LC_MESSAGES/django.po, then compile (the .mo is committed so a
# fresh machine needs no gettext tools).
messages: install
	cd sangyo && DJANGO_SETTINGS_MODULE=config.settings.local ../$(BIN)/django-admin makemessages -l en --no-obsolete --no-location --ignore "tests/*" --pythonpath ..
	cd sangyo && ../$(BIN)/django-admin compilemessages -l en

compile-messages: install
	cd sangyo && ../$(BIN)/django-admin compilemessages -l en
