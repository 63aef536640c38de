# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test setup translations js lint check messages clean

run: setup  ## Set up and start the web server, a Celery worker and beat on the embedded defaults
	$(MANAGE) seed_demo
	@echo "Starting the portal at http://127.0.0.1:8000 (web, worker, beat). Stop with Ctrl-C."
	$(BIN)/honcho start

test: $(VENV)/.installed translations js  ## Run the whole test suite
	$(BIN)/pytest

setup: $(VENV)/.installed translations
	$(MANAGE) migrate --noinput

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core (package.json), which the browser tests run on every page they visit. npm ci writes
# node_modules/.package-lock.json, so it runs again only when package-lock.json changes. Without
# npm the browser tests skip locally (on CI they fail: CI has npm).
js: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm is not installed: the browser tests will skip (they need axe-core)."; fi

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --directory locale --statistics

messages:  ## Extract new strings into locale/ (needs GNU gettext)
	$(MANAGE) makemessages --locale zh_Hans --locale zh_Hant --no-obsolete \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'var/*'

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check:
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var staticfiles node_modules
