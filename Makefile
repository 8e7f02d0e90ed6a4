# Trygghet: `make run` serves the app with demo data, `make test` runs every check CI runs.
# Both set up everything first: the virtual environment, the embedded PostgreSQL, translations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make run` serves with gunicorn, not runserver: runserver gives every client a thread of its own
# and every thread a database connection, which ran PostgreSQL out of connections under 50 hosts
# (500 "too many clients"). Here at most RUN_WORKERS × RUN_THREADS connections are open.
RUN_WORKERS ?= 2
RUN_THREADS ?= 4
# Development defaults; production sets its own environment and does not use this file.
export DEBUG ?= true
export DEMO ?= true

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: install lock dist run serve worker test test-any-date lint typecheck format messages migrations-check ci chromium faketime vendor db-start db-stop clean bench bench-backup bench-audit load phone

install: $(VENV)/.installed $(MO_FILES)

# Exactly the versions in the lock, checked against its hashes; then the checkout itself.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Pins every dependency in pyproject.toml, with hashes, at the newest versions it allows:
# requirements.lock (production) and requirements-dev.lock (the checkout: the same pins and the
# dev tools). `make lock UPGRADE=` only follows a change to pyproject.toml, keeping other pins.
UPGRADE ?= --upgrade
LOCK = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal --python-version 3.11 --custom-compile-command 'make lock' $(UPGRADE)
lock: install
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev --constraint requirements.lock -o requirements-dev.lock
	@$(MAKE) --no-print-directory install

# The sdist and, built from it, the wheel in dist/: what a server installs (README, "Running in
# production"); setup.py puts the templates, static sources and compiled translations inside.
dist: install
	$(BIN)/uv build --out-dir dist

%.mo: %.po
	msgfmt --check-format -o $@ $<

# The embedded database is started first and left running (`make db-stop` stops it), so that the
# workers, which --reload restarts when code, a template or a translation changes, all join it.
# The first run makes a VAPID key pair for Web Push in the checkout's .env (git-ignored), so the
# demo's hosts can turn on notifications; later runs keep it (docs/push.md).
run: install db-start
	$(BIN)/python manage.py vapid_keys --append-to .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	@echo
	@echo "Trygghet: http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"
	@echo
	@$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(MAKE) --no-print-directory serve

# The background worker alone (e-mails, reminders, retention; docs/background.md). `make run`
# starts it beside the server and stops it with the server. A background process of make's
# shell ignores Ctrl-C, so the trap above stops it (SIGTERM: it finishes the job in hand).
WORKER = $(BIN)/python manage.py procrastinate worker
worker: install db-start
	$(WORKER)

# The development server alone, as `make run` starts it (tests/core/test_database.py and
# bench/load.py start it this way too).
serve:
	$(BIN)/gunicorn trygghet.wsgi --bind 127.0.0.1:$(PORT) --workers $(RUN_WORKERS) --threads $(RUN_THREADS) --reload --reload-extra-file 'templates/**/*.html' --reload-extra-file 'locale/*/LC_MESSAGES/*.mo' --access-logfile - --no-control-socket

test: install chromium lint typecheck migrations-check
	$(BIN)/pytest

ci: test

# The whole suite with the machine's clock moved (libfaketime): the autumn night's repeated hour,
# the spring night's missing hour and a year end. The embedded server is restarted under each
# date so that PostgreSQL and Django read the same clock; stop `make run` first. Not part of CI.
ANY_DATES ?= 2026-10-25 01:15:00|2027-03-28 01:30:00|2029-12-31 23:45:00
test-any-date: install chromium faketime
	@dates='$(ANY_DATES)'; IFS='|'; for when in $$dates; do \
	  echo "== make test at $$when UTC"; \
	  $(BIN)/python -m trygghet.database stop; \
	  TZ=UTC faketime "$$when" $(BIN)/pytest -p no:cacheprovider || { $(BIN)/python -m trygghet.database stop; exit 1; }; \
	done; \
	$(BIN)/python -m trygghet.database stop

# Benchmarks against PostgreSQL's own speed, on demo data in databases of their own (not part of
# `make test`; see bench/run.py): BENCH_INCIDENTS=1000000 BENCH_REPEAT=5 make bench
bench: install
	$(BIN)/python bench/run.py

# Backup and restore times and sizes on the bench database (see bench/backup.py):
# BENCH_INCIDENTS=1000000 BENCH_PHOTOS=1000 make bench-backup
bench-backup: install
	$(BIN)/python bench/backup.py

# The audit trail's cost: the incident list and the CSV export with the trail on and off, on the
# same demo database (see bench/audit.py): BENCH_INCIDENTS=1000000 make bench-audit
bench-audit: install
	$(BIN)/python bench/audit.py

# 50 hosts posting observations for 60 s against `make serve` and gunicorn with 4 workers, then
# with PostgreSQL stopped for 10 s in the middle (see bench/load.py); about six minutes.
load: install
	$(BIN)/python bench/load.py

# The host's pages on a throttled link (400 ms, 400 kbit/s) in Chromium, against gunicorn with
# production settings, the list map's data, and the taps and seconds an observation takes from
# the start page (see bench/phone.py); a few minutes.
phone: install chromium
	$(BIN)/python bench/phone.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The django-stubs plugin imports the settings, which need a DATABASE_URL; mypy never connects,
# so any well-formed URL does and no database has to be running.
typecheck: install
	DATABASE_URL=postgres:///typecheck $(BIN)/mypy

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

# Update the Swedish and English catalogues from the source; translate, then `make install`.
messages:
	$(BIN)/python manage.py makemessages --locale sv --locale en --no-obsolete --ignore '.venv/*' --ignore 'static/vendor/*' --ignore 'tests/*'
	$(BIN)/python manage.py makemessages --domain djangojs --locale sv --locale en --no-obsolete --ignore '.venv/*' --ignore 'static/vendor/*' --ignore 'tests/*' --ignore 'staticfiles/*'

# Installs Debian package $(1) when the command $(2) is missing and we run as root; otherwise
# says what is needed ($(3)) and runs $(4), if given.
define debian_package
	@command -v $(2) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	  else \
	    echo "$(3): sudo apt-get install $(1)"; $(4) \
	  fi; }
endef

# The browser tests drive Debian's Chromium; without it they fail and say so.
chromium:
	$(call debian_package,chromium,/usr/bin/chromium,Browser tests need /usr/bin/chromium)

faketime:
	$(call debian_package,faketime,faketime,make test-any-date needs faketime,exit 1;)

# Re-vendor the front-end libraries pinned in static/vendor/package.json (needs npm).
vendor:
	static/vendor/update.sh

# The embedded PostgreSQL server (not used when DATABASE_URL is set).
db-start: install
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/python -m trygghet.database start; fi

db-stop:
	$(BIN)/python -m trygghet.database stop

clean: db-stop
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
