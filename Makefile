# JointCase: `make run` to use the app, `make test` to check it. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make test` talks to real PostgreSQL and Redis; these are the defaults (override in the environment).
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/jointcase)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
# Production-like variables for `check --deploy` (no real secret: only checked, never served).
DEPLOY_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=deploy-check-only-not-a-real-secret-k9Qz4Lr8Wm2Xp7Vt3Nb6Hs1Jd5Fg0Ca \
	DJANGO_ALLOWED_HOSTS=jointcase.example.gov.uk DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL)
TEST_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY=test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=true \
	SECURE_SSL_REDIRECT=false STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: install run test lint format demo worker beat clean

install: $(VENV)/.installed node_modules/.installed static/build/jointcase.css .env

# A development checkout's own settings, made once and never committed (production sets real variables;
# the Docker image ignores .env): with it, a bare `manage.py ...` runs here with DEBUG on.
.env:
	printf '# Local development only: made by `make` once; edit freely. See .env.example.\nDJANGO_DEBUG=true\n' > $@

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/jointcase.css: static/scss/jointcase.scss node_modules/.installed
	npm run --silent build

# Serve on http://127.0.0.1:$(PORT) with demo data until Ctrl-C (scripts/run.py). No DATABASE_URL: the
# checkout's embedded PostgreSQL, data in JOINTCASE_PGDATA (default .pgdata/); no REDIS_URL: eager Celery.
# Another instance: make run PORT=8001 JOINTCASE_PGDATA=/tmp/other-data
PORT ?= 8000
run: install
	$(PY) scripts/run.py --port $(PORT)

test: install
	$(TEST_ENV) $(PY) scripts/check_services.py
	$(PY) -m ruff check --no-cache .
	$(PY) -m ruff format --no-cache --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(TEST_ENV) $(PY) -m pytest

lint: install
	$(PY) -m ruff check --no-cache .
	$(PY) -m ruff format --no-cache --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

worker: install
	$(PY) -m celery -A config worker --loglevel=info

beat: install
	$(PY) -m celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache
