# The portal's commands. `make run` and `make test` are the two a newcomer needs; see README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The stamp is newer than the lock when .venv matches it: `make install` is then a no-op.
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000

# uv, or installed with pip when this machine lacks it (`python3 -m uv` works wherever pip put it; the last
# form is for a Debian system Python, which refuses plain pip installs).
ifndef UV
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(shell { python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv \
	|| python3 -m pip install --quiet --user --break-system-packages uv; } >&2 && echo python3 -m uv)
endif
endif

# Development-only defaults. Production never runs these targets; it sets its own environment.
DEV_SECRET_KEY := dev-only-secret-key-never-used-in-production-0123456789abcdef

.PHONY: help install messages hooks run test preflight check lint fmt bench clean

help: ## Show the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: export SECRET_KEY ?= $(DEV_SECRET_KEY)
install: $(STAMP) $(NODE_STAMP) messages hooks ## Create or update .venv from uv.lock, npm ci, compile translations, install git hooks
	@mkdir -p var/celery var/static var/media
	@# A developer's checkout gets its own random key in .env (git-ignored), so plain `manage.py` commands and
	@# the git hooks work; CI gets none, so the test that a missing SECRET_KEY stops the process runs there.
	@if [ -z "$${CI:-}" ] && [ ! -f .env ]; then \
		printf 'SECRET_KEY=dev-only-%s\n' "$$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')" > .env; \
		echo "==> wrote .env with a development-only SECRET_KEY"; \
	fi

$(STAMP): uv.lock pyproject.toml
	@echo "==> uv sync --frozen (creates or updates $(VENV))"
	$(UV) sync --frozen
	@touch $@

# ECharts for the statistics page's charts and axe-core for the accessibility tests, as package-lock.json pins
# them. Without npm this only warns: the statistics page then shows its tables without charts (and `make test`'s
# preflight names the packages).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		echo "==> npm ci (ECharts for the statistics charts, axe-core for the accessibility tests)"; \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "==> WARNING: npm is missing, so the statistics page has no charts and the accessibility tests cannot run. Install it: sudo apt-get install nodejs npm" >&2; \
	fi

# Only when a catalogue is newer than its .mo (compilemessages refuses to run when there is no catalogue at all).
messages: $(STAMP)
	@stale=$$(find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -path '*/LC_MESSAGES/*.po' -print \
		| while read -r po; do [ "$$po" -nt "$${po%.po}.mo" ] && echo "$$po"; done || true); \
	if [ -z "$$stale" ]; then \
		:; \
	elif ! command -v msgfmt >/dev/null; then \
		echo "==> WARNING: gettext is missing, so pages show English. Install it: sudo apt-get install gettext" >&2; \
	else \
		echo "==> compilemessages"; \
		$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules --ignore=var --verbosity 0; \
	fi

# pre-commit's hooks are local (see .pre-commit-config.yaml): installing them needs no network.
hooks: $(STAMP)
	@if [ -z "$${CI:-}" ] && git rev-parse --git-dir >/dev/null 2>&1 \
		&& [ ! -f "$$(git rev-parse --git-path hooks)/pre-commit" ]; then \
		$(VENV)/bin/pre-commit install; \
	fi

run: export SECRET_KEY ?= $(DEV_SECRET_KEY)
run: export DEBUG ?= true
run: export PORT := $(PORT)
# The Procfile names plain `python` and `celery`: the ones in .venv.
run: export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
run: export VIRTUAL_ENV := $(CURDIR)/$(VENV)
run: install ## Migrate, seed an empty database, serve on 127.0.0.1:$PORT with a Celery worker and beat
	@mkdir -p var/celery var/static var/media
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo "==> http://127.0.0.1:$(PORT)/  (demo accounts: see README.md; Ctrl-C stops web, worker and beat)"
	$(VENV)/bin/honcho start -f Procfile

test: export SECRET_KEY ?= $(DEV_SECRET_KEY)
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
# A fresh test database in CI, so a stale one never hides a migration problem.
PYTEST_CI := $(if $(CI),--create-db)
# In parallel, one process per core (at most 4: each takes a Redis database, see portal/settings.py), a test
# file to one process so its module fixtures are built once. PYTEST_WORKERS=0 runs in this process alone.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile)
test: install ## Lint, then every test against PostgreSQL, Redis and Chromium (PYTEST_ARGS=... to narrow)
	@$(PY) scripts/preflight.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_CI) $(PYTEST_PARALLEL) $(PYTEST_ARGS)

preflight: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
preflight: export REDIS_URL ?= redis://127.0.0.1:6379/0
preflight: $(STAMP) ## Name each system package the tests lack (README: System packages) and the command installing it
	@$(PY) scripts/preflight.py

# Production-like settings: a fresh random key, HTTPS on, manifest static files. W021 (HSTS preload) is
# silenced here only, on purpose: preloading is a one-way commitment each deployment makes itself (README).
check: export SECRET_KEY := $(shell python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
check: export DEBUG := false
check: export HTTPS := true
check: export ALLOWED_HOSTS := portal.example.cn
check: export STATIC_MANIFEST := true
check: export SILENCED_SYSTEM_CHECKS := security.W021
check: install ## ruff, missing migrations, and Django's deployment checks under production settings
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check --deploy --fail-level WARNING

lint: $(STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP) ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: export SECRET_KEY ?= $(DEV_SECRET_KEY)
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
bench: install ## Load each page with wrk under gunicorn on a filled throw-away database (README: make bench)
	$(PY) -m bench

clean: ## Remove .venv and var/ (the development database, queues and uploads)
	rm -rf $(VENV) var
