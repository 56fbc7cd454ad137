# Two entry points that work on a fresh machine with only Python: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-peers bench-install clean browser messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/stagebureau demo

# Lint first, so CI (which runs `make test`) also checks style, types and the import contracts.
# One pytest-xdist worker per core; a worker steals queued tests when it runs out, so one long
# test does not leave the other core idle at the end. The 25 slowest are listed, to keep watch.
test: lint
	$(BIN)/python -m pytest -q -n auto --dist worksteal --durations=25

# Style, types (mypy, settings in pyproject.toml) and the import contracts (import-linter).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# What the browser tests (tests/web/test_browser.py) need: Debian's Chromium and Playwright,
# which drives that system browser (no browser download). Without them those tests skip.
browser: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)
	$(BIN)/python -m pip install -q -e '.[dev,browser]'

bench: bench-install
	$(BIN)/python -m benchmarks.placement
	$(BIN)/python -m benchmarks.peers

# stagebureau next to deferred acceptance, HiGHS, CBC, CP-SAT and Timefold: the table and
# charts of benchmarks/README.md in one command (about 10 minutes on 2 cores).
bench-peers: bench-install
	$(BIN)/python -m benchmarks.peers

bench-install: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,bench]'

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache

# The pages' words (api/locale): collect the keys the code and templates use into a template,
# add new ones (empty) to every catalog, then check each catalog compiles and count what is
# left to translate. The app reads the .po files; no .mo is kept.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k t -k _ --no-location --omit-header -o api/locale/messages.pot .
	$(BIN)/pybabel update -i api/locale/messages.pot -d api/locale --no-fuzzy-matching --width 100
	for lang in nl en; do $(BIN)/pybabel compile --statistics -l $$lang \
		-i api/locale/$$lang/LC_MESSAGES/messages.po -o /dev/null || exit 1; done
