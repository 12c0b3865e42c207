# The two set-up commands of README.md: `make lite` and `make test`. Both bootstrap .venv
# (with bytecode compiled at install, as pip does: every start of Lite would compile it again).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lite test lint format bootstrap clean deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

bootstrap: $(STAMP)

# `leoflow lite` on WORKSPACE (default: a copy of the starter under .lite-workspace, so the
# tracked starter/ stays clean); headless (plain log lines) when there is no TTY.
WORKSPACE ?= .lite-workspace
lite: $(STAMP)
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/leoflow lite $(WORKSPACE); \
	else $(BIN)/leoflow lite $(WORKSPACE) --no-tui; fi

lint: $(STAMP)
	BIN=$(BIN) scripts/check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian's chromium for the UI tests (no browser download); skipped when not root or no apt-get.
deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "chromium missing and cannot apt-get it: the browser tests will skip"; fi; }

test: $(STAMP) lint deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV)
