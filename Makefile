# pressbot: `make demo` and `make test` do all set-up on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint format typecheck bench golden clean

# The virtualenv is rebuilt when pyproject.toml changes. If the system Python has
# no venv module (Debian without python3-venv), install it first.
$(STAMP): pyproject.toml
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "installing python3-venv (system package)"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Crawl the bundled offline mirror into the default database
# ($$PRESSBOT_DATABASE_URL, or sqlite:///data/pressbot.db) and print a summary.
demo: $(STAMP)
	$(BIN)/pressbot crawl --mirror --log-level WARNING
	$(BIN)/pressbot summary

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

# Rewrite the golden records after a reviewed extractor change (then read the diff).
golden: $(STAMP)
	$(BIN)/python -m tests.golden --update

bench: $(STAMP)
	$(BIN)/python bench/extraction_eval.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache build *.egg-info
