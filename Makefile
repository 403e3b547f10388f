# Two commands: `make run` serves the platform, `make test` runs the suite.
# Both set up everything they need (virtual environment, dependencies,
# compiled translations, migrations) on a machine with only Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup messages makemessages lint clean bench soak mutate worker

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Compile the French catalogue with Babel (pure Python): no gettext needed.
locale/fr/LC_MESSAGES/django.mo: locale/fr/LC_MESSAGES/django.po $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -d locale -D django -l fr

messages: locale/fr/LC_MESSAGES/django.mo

setup: $(STAMP) messages
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_content content/
	DEBUG=true $(PY) manage.py seed_demo

# Links the site builds (share buttons, badge ids, e-mails) point where it is
# served: SITE_URL follows HOST and PORT unless given, and the host is allowed.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: export ALLOWED_HOSTS ?= localhost,127.0.0.1,[::1],$(HOST)
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Background work for development (README, "Tâches de fond"): a Celery
# worker with the scheduler (beat) inside it, on the local Redis. Tasks go to
# it from a `make run` started with the same CELERY_BROKER_URL; without one,
# `make run` runs them itself. In production, run beat as a process of its own.
worker: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/2
worker: $(STAMP) messages
	@mkdir -p .cache
	@$(VENV)/bin/python -c "import os, redis; redis.Redis.from_url(os.environ['CELERY_BROKER_URL']).ping()" \
	  || (echo "No broker at $$CELERY_BROKER_URL: start Redis (redis-server) or set CELERY_BROKER_URL"; exit 1)
	DEBUG=true $(VENV)/bin/celery -A learning_platform worker --beat -l INFO --concurrency 2 \
	  --schedule .cache/celerybeat-schedule

test: $(STAMP) messages
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Needs GNU gettext (xgettext); only for developers who change strings.
makemessages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l fr --no-obsolete --ignore '.venv/*' --ignore 'bench/*'

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .mutation mutants

# Mutation testing of the core modules (mutmut; tests/MUTATION.md says how to
# read it): each module of tools/mutate.py's table against its own tests, on
# SQLite, then writes tests/MUTATION.md. One module:
# `make mutate MODULES="quizzes/scoring.py"`; FRESH=1 forgets cached results.
MODULES ?=
mutate: $(STAMP) messages
	env -u DATABASE_URL $(PY) tools/mutate.py $(if $(FRESH),--fresh) $(MODULES)

# Throughput at scale (bench/README.md): PostgreSQL database `bench` (dropped
# and recreated), gunicorn with 2 workers, wrk; writes bench/RESULTS.md.
bench: $(STAMP) messages
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start
	@pg_isready -q -h 127.0.0.1 -p 5432 -t 30
	$(PY) bench/run.py

# Soak (bench/README.md): the same data and server, 10 minutes at 50
# connections on the main pages and quiz submissions; errors and workers'
# memory into bench/RESULTS.md. SOAK_SECONDS, SOAK_CONNECTIONS to change.
soak: $(STAMP) messages
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start
	@pg_isready -q -h 127.0.0.1 -p 5432 -t 30
	$(PY) bench/soak.py
