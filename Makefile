# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := commonops.settings

.PHONY: run test test-shifted install install-test lint lock messages bench bench-desk backup loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

var:
	mkdir -p var

## make run: set up, create the SQLite database with demo data on first run, serve on 127.0.0.1
run: install | var
	$(BIN)/python manage.py migrate --no-input
	@if [ ! -f var/.demo-loaded ] || [ -n "$$DATABASE_URL" ]; then \
		$(BIN)/python manage.py seed_demo && touch var/.demo-loaded; fi
	@$(BIN)/python manage.py collectstatic --no-input -v0
	@$(BIN)/python manage.py demo_logins
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: set up and run the whole suite (browser tests run when Chromium is present; under CI=true they must)
test: install-test | var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make test-shifted: the suite outside the browser tests again with the clock moved about seven
## months ahead and five months back (Debian's faketime), so a test that only passes on the day
## it was written fails at once. CI runs it after `make test`. The security probes (marked
## `probe`) assert no dates and run once, in `make test`. The tests are spread over WORKERS
## processes (pytest-xdist; `auto`: one per core).
SHIFTS ?= +213d -152d
WORKERS ?= auto
test-shifted: install-test | var
	@command -v faketime >/dev/null || { echo "faketime is needed: apt-get install faketime"; exit 1; }
	@for shift in $(SHIFTS); do \
		echo "== the suite with the clock moved $$shift"; \
		FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$$shift" \
			$(BIN)/python -m pytest -m "not browser and not probe and not load" -n $(WORKERS) \
			$(PYTEST_ARGS) || exit 1; \
	done

## make lint: ruff checks the code (CI runs it before the tests)
lint: install-test
	$(BIN)/ruff check commonops tests bench conftest.py manage.py loadtest

## make messages: refresh the French and Spanish catalogues after marking new strings
messages: install
	cd commonops && ../$(BIN)/django-admin makemessages -l fr -l es --no-obsolete
	cd commonops && ../$(BIN)/django-admin compilemessages

## make lock: re-resolve the pinned dependencies from pyproject.toml
lock: install
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --no-header -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --no-header -o requirements-test.lock

## make bench: the benchmark harness (see bench/run.py)
bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-desk: the service desk at scale; adds TICKETS bulk tickets to the bench database
## (use PostgreSQL: DATABASE_URL=postgres://… make bench-desk TICKETS=2000000)
TICKETS ?= 200000
bench-desk: install-test | var
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" sh -c '\
		$(BIN)/python manage.py migrate --no-input -v0 && \
		$(BIN)/python manage.py seed_demo > /dev/null && \
		$(BIN)/python manage.py seed_bulk_tickets --count $(TICKETS) --country VN && \
		$(BIN)/python manage.py bench_desk --country VN'

## make backup: the database and the uploaded files to BACKUP_DIR (var/backups); restore with
## manage.py restore_backup (docs/deployment.md, Backups)
backup: install | var
	$(BIN)/python manage.py backup

## make loadtest: 50 users against gunicorn (4 workers) on a PostgreSQL of its own, then the
## same load with PostgreSQL restarted and workers killed (loadtest/run.py; 127.0.0.1 only)
loadtest: install-test
	$(BIN)/python loadtest/run.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3 var/.demo-loaded
