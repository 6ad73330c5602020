# Raati's developer commands. `make run` and `make test` are the README's quick start:
# both build the virtualenv (.venv) first if it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test test-fast check lint format typecheck install clean browser messages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Raati needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,sso]' --group dev
	@# prefect (the server extra) and prefect-client (the default) install the same files; whichever pip put in
	@# last wins. Reinstalling prefect leaves its own version of every shared file, as `prefect` alone would.
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps \
	  "prefect==$$($(BIN)/python -c 'from importlib.metadata import version; print(version("prefect"))')"
	@touch $(STAMP)

install: $(STAMP)

# The main job on the embedded defaults: SQLite, the mail sink and a local Prefect server
# under data/, the demo panel in an empty database. Ctrl-C stops it.
run: $(STAMP)
	$(BIN)/raati serve

demo: $(STAMP)
	$(BIN)/raati demo

# The browser tests' setup: Debian's Chromium (Playwright drives it) and axe-core from the npm registry in build/.
browser: $(STAMP)
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m tests.browser.axe

# Two worker processes (pytest-xdist, one per core); PYTEST_ARGS="-n 0" runs in this process alone.
test: $(STAMP) browser
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# While working: every test not marked slow (no PostgreSQL, browser, Prefect server, subprocess or command-line
# runs; tests/conftest.py says which), in well under half a minute; `make test` still runs them all. Compiled
# modules are kept in build/pycache even where PYTHONDONTWRITEBYTECODE is set: collecting then takes a third.
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/build/pycache $(BIN)/python -m pytest -n auto -q -m "not slow" $(PYTEST_ARGS)

# After changing a text in the code or a template: collect the messages (babel.cfg says where) into build/*.pot
# and bring each language's .po file up to date (new messages empty, changed ones fuzzy; a language listed in
# notifications/i18n.py without a .po file yet gets one). Translate those, then `make test-fast`
# (tests/test_translations.py) says whether anything is still missing. The .po files are compiled when read.
BABEL_KEYWORDS := -k t -k ngettext:1,2 -k pgettext:1c,2
messages: $(STAMP)
	mkdir -p build
	for pair in notifications:mail web:web; do \
	  folder=$${pair%%:*}; domain=$${pair##*:}; \
	  $(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output --width 100 \
	    -o build/$$domain.pot $$folder || exit 1; \
	  for lang in $$($(BIN)/python -c 'from notifications.i18n import LANGUAGES; print(*LANGUAGES)'); do \
	    test -f $$folder/locale/$$lang/LC_MESSAGES/$$domain.po || \
	      $(BIN)/pybabel -q init -i build/$$domain.pot -d $$folder/locale -D $$domain -l $$lang --width 100 || exit 1; \
	  done; \
	  $(BIN)/pybabel -q update -i build/$$domain.pot -d $$folder/locale -D $$domain --width 100 --ignore-obsolete \
	    || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
