# Two commands do everything: `make run` (default scenario to figures) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL ?= models/canada_korea.yaml
SCENARIO ?= reference
OUT ?= results/$(SCENARIO)

.PHONY: setup chromium run test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) chromium

# Headless Chromium for the report-page test (tests/test_report_page.py): Debian's package,
# installed only when missing and when we are root (CI); otherwise the test skips and says why.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else echo "chromium missing and not root: tests/test_report_page.py will skip"; fi

run: $(STAMP)
	$(BIN)/mfa run $(MODEL) -s $(SCENARIO) -o $(OUT) --force
	$(BIN)/mfa report $(OUT)

test: lint
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check mfa tests benchmarks
	$(BIN)/ruff format --check mfa tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) results .pytest_cache
