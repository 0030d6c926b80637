# LaborCoop: two commands. `make demo` sets up and serves the demo (with the job worker); `make test` sets up and runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEMO_SIZE ?= 20000
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test setup lint typecheck migrations-check pytest serve bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==0.13.8"

# The venv is rebuilt only when the lock file changes.
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --extra dev
	touch $@

setup: $(VENV)/.synced

demo: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) demo_setup --laborers $(DEMO_SIZE)
	@# The job worker (imports, comparisons, batch matching, messages) runs beside the server and stops with it.
	$(MANAGE) worker --queue-name '*' --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	@# The layers of docs/architecture.md, as contracts in pyproject.toml [tool.importlinter].
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache

typecheck: setup
	$(VENV)/bin/mypy

migrations-check: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: setup
	bash scripts/ensure-chromium.sh
	$(VENV)/bin/pytest -n 2 --dist loadfile

test: lint typecheck migrations-check pytest

bench: setup
	$(MANAGE) bench_registry --laborers 1000000

clean:
	rm -rf $(VENV) $(TOOLS) var/
