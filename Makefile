# Pressroom: `make html` builds the sample site, `make test` runs the tests.
# Both create .venv and install the pinned requirements on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INPUTDIR ?= content
OUTPUTDIR ?= output
SETTINGS ?= pelicanconf.py
PUBLISHCONF ?= publishconf.py
PREVIEWDIR ?= preview
PORT ?= 8000

PRESSROOM = $(BIN)/python -m pressroom -s $(SETTINGS) -i $(INPUTDIR) -o $(OUTPUTDIR)

.PHONY: help html preview publish check new schedule translations codeowners redirects headers serve devserver clean test lint format catalogues

# `make new` options. LANG is also the locale variable of every shell, so only a LANG
# given on the command line counts.
AGENCY ?=
TITLE ?=
DATE ?=
TAGS ?=
TRANSLATION ?=
NEW_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),)

help:
	@echo "make html        build $(INPUTDIR)/ into $(OUTPUTDIR)/ (INPUTDIR=, OUTPUTDIR= to change)"
	@echo "make check       check the content without building"
	@echo "make new AGENCY=so-y-te TITLE=\"...\" [LANG=en] [DATE=\"2026-01-05 09:00\"] [TAGS=\"...\"] [TRANSLATION=1]"
	@echo "                 scaffold a release (a draft) and, with TRANSLATION=1, its translation stub"
	@echo "make schedule    list releases under embargo and when they go out"
	@echo "make translations  list, per agency, releases missing a language"
	@echo "make codeowners  regenerate .github/CODEOWNERS from the agency registry"
	@echo "make redirects   regenerate deploy/redirects (nginx map) from the releases' Aliases"
	@echo "make headers     regenerate deploy/_headers and deploy/security-headers.conf"
	@echo "make serve       serve $(OUTPUTDIR)/ on http://127.0.0.1:$(PORT)/"
	@echo "make devserver   build, serve, and rebuild on every change"
	@echo "make preview     build into preview/ with drafts and embargoed releases shown, marked (never deploy it)"
	@echo "make publish     build with publishconf.py (SITEURL=https://... for absolute URLs)"
	@echo "make test        run the tests and the linter"
	@echo "make clean       remove $(OUTPUTDIR)/ and caches"
	@echo "make catalogues  refresh the UI translation catalogues from the templates"

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test: requirements-test.txt requirements.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

html: $(BIN)/.runtime
	$(PRESSROOM) build

preview: $(BIN)/.runtime
	$(BIN)/python -m pressroom -s previewconf.py -i $(INPUTDIR) -o $(PREVIEWDIR) build

publish: $(BIN)/.runtime
	$(BIN)/python -m pressroom -s $(PUBLISHCONF) -i $(INPUTDIR) -o $(OUTPUTDIR) build

check: $(BIN)/.runtime
	$(PRESSROOM) check

new: $(BIN)/.runtime
	env -u LANG $(PRESSROOM) new --agency "$(AGENCY)" --title "$(TITLE)" --lang "$(NEW_LANG)" --date "$(DATE)" \
		--tags "$(TAGS)" $(if $(TRANSLATION),--translation,)

schedule: $(BIN)/.runtime
	$(PRESSROOM) schedule

translations: $(BIN)/.runtime
	$(PRESSROOM) translations

codeowners: $(BIN)/.runtime
	$(PRESSROOM) codeowners --file .github/CODEOWNERS

redirects: $(BIN)/.runtime
	$(PRESSROOM) redirects --file deploy/redirects

headers: $(BIN)/.runtime
	$(PRESSROOM) headers --dir deploy

serve: $(BIN)/.runtime
	$(PRESSROOM) serve --port $(PORT)

devserver: $(BIN)/.runtime
	$(PRESSROOM) devserver --port $(PORT)

# The browser tests drive axe-core and the Nu HTML Checker, pinned in tests/browser/package.json;
# without npm they are skipped (CI installs npm, Chromium and Java: see .ci/run).
BROWSER_TOOLS := tests/browser/node_modules/.installed
$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility and HTML validity tests will be skipped"; fi

test: $(BIN)/.test $(BROWSER_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(BIN)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

catalogues: $(BIN)/.runtime
	$(BIN)/pybabel extract -F babel.cfg --no-location --omit-header -o theme/translations/messages.pot .
	$(BIN)/pybabel update -i theme/translations/messages.pot -d theme/translations --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(OUTPUTDIR) $(PREVIEWDIR) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path "./$(VENV)/*" -exec rm -rf {} +
