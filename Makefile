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

.PHONY: bench help html preview publish check new schedule translations codeowners redirects headers rsync_upload s3_upload nginx_conf serve devserver clean test lint format catalogues

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
	@echo "make publish SITEURL=https://...  build for the public address (absolute URLs; SITEURL is required)"
	@echo "make s3_upload S3_BUCKET=name [S3_ENDPOINT=https://...]  upload $(OUTPUTDIR)/ to an S3-compatible bucket"
	@echo "                 (only changed files; S3_OPTS=--dry-run to see what would change)"
	@echo "make rsync_upload SSH_HOST=host [SSH_USER= SSH_PORT= SSH_TARGET_DIR= SSH_OPTS=]  upload $(OUTPUTDIR)/ over SSH"
	@echo "make nginx_conf NGINX_SERVER_NAME=host [NGINX_CONF=$(NGINX_CONF) NGINX_LISTEN=80 NGINX_BROTLI=1]"
	@echo "                 write the nginx server block for $(OUTPUTDIR)/ (deploy/nginx.conf filled in)"
	@echo "make test        run the tests and the linter"
	@echo "make bench       time stock Pelican and Pressroom on synthetic archives (BENCH_SIZES=\"1000 5000\" BENCH_REPEAT=1)"
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
	SITEURL="$(SITEURL)" $(BIN)/python -m pressroom -s $(PUBLISHCONF) -i $(INPUTDIR) -o $(OUTPUTDIR) build

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

# Hosting (README, "Hosting"): upload the site built by `make publish SITEURL=https://...`,
# or write the nginx configuration that serves it. Credentials come from the environment:
# ssh-agent or ~/.ssh for rsync, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for S3.
SSH_HOST ?=
SSH_PORT ?= 22
SSH_USER ?= deploy
SSH_TARGET_DIR ?= /var/www/pressroom
SSH_OPTS ?=
S3_BUCKET ?=
S3_ENDPOINT ?=
S3_OPTS ?=
NGINX_CONF ?= /etc/nginx/conf.d/pressroom.conf
NGINX_ROOT ?= $(abspath $(OUTPUTDIR))
NGINX_LISTEN ?= 80
NGINX_SERVER_NAME ?=
NGINX_DEPLOY ?= $(abspath deploy)
NGINX_BROTLI ?=

$(BIN)/.deploy: requirements-deploy.txt $(BIN)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-deploy.txt
	touch $@

$(BIN)/.test: requirements-deploy.txt

# Checksums (-c), not times: every build writes every file anew. Updated files are put in
# place together at the end, and files the site dropped are deleted after that.
rsync_upload:
	@test -n "$(SSH_HOST)" || { echo "error: no host: make rsync_upload SSH_HOST=www.example.org [SSH_USER=$(SSH_USER) SSH_PORT=$(SSH_PORT) SSH_TARGET_DIR=$(SSH_TARGET_DIR)]" >&2; exit 2; }
	@test -f "$(OUTPUTDIR)/index.html" || { echo "error: $(OUTPUTDIR)/ holds no built site: make publish SITEURL=https://... first" >&2; exit 2; }
	rsync -e "ssh -p $(SSH_PORT) $(SSH_OPTS)" -P -rvzc --delete --delete-after --delay-updates \
		"$(OUTPUTDIR)"/ "$(SSH_USER)@$(SSH_HOST):$(SSH_TARGET_DIR)"

s3_upload: $(BIN)/.deploy
	$(BIN)/python -m pressroom.deploy.s3 --bucket "$(S3_BUCKET)" $(if $(S3_ENDPOINT),--endpoint-url "$(S3_ENDPOINT)") \
		$(S3_OPTS) "$(OUTPUTDIR)"

nginx_conf: $(BIN)/.runtime
	$(BIN)/python -m pressroom.deploy.nginx --root "$(NGINX_ROOT)" --listen "$(NGINX_LISTEN)" \
		--server-name "$(NGINX_SERVER_NAME)" --deploy "$(NGINX_DEPLOY)" $(if $(NGINX_BROTLI),--brotli) --out "$(NGINX_CONF)"

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

# N= sizes of the synthetic archive (default 1000 5000; add 20000 for the growth figure)
BENCH_SIZES ?= 1000 5000
bench: $(BIN)/.runtime
	$(BIN)/python -m benchmarks.bench $(BENCH_SIZES) $(if $(BENCH_REPEAT),--repeat $(BENCH_REPEAT))

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
	rm -rf $(OUTPUTDIR) $(PREVIEWDIR) .pressroom-build-* .pressroom-old-* .pytest_cache .ruff_cache .cache/pressroom
	rm -f .$(notdir $(OUTPUTDIR)).pressroom-lock .$(notdir $(PREVIEWDIR)).pressroom-lock
	find . -name __pycache__ -type d -prune -not -path "./$(VENV)/*" -exec rm -rf {} +
