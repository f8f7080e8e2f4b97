# pressbot: `make demo` and `make test` do all set-up on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: install browser demo test lint format typecheck bench golden clean lock

# The virtualenv is rebuilt when pyproject.toml or the lock file changes, with every
# dependency at the version the lock file pins (reproducible deployments). If the
# system Python has no venv module (Debian without python3-venv), install it first.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "installing python3-venv (system package)"; \
	  apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Crawl the bundled offline mirror into the default database
# ($$PRESSBOT_DATABASE_URL, or sqlite:///data/pressbot.db) and print a summary.
demo: $(STAMP)
	$(BIN)/pressbot crawl --mirror --log-level WARNING
	$(BIN)/pressbot summary

# The browser tests (tests/test_browse.py) drive Debian's Chromium through its
# chromedriver, and Urdu needs a font with its letters (Noto Nastaliq Urdu): system
# packages, installed when missing, as python3-venv is. Without them (no root) the
# tests are skipped, or fail when CI=true.
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver \
	  -a -f /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf || { \
	  echo "installing chromium, chromium-driver, fonts-noto-core (system packages)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium chromium-driver fonts-noto-core \
	  || echo "could not install them: the browser tests will not run"; }

test: $(STAMP) browser
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

# Regenerate requirements.lock after changing dependencies in pyproject.toml: pip
# resolves '.[dev]' from scratch (--ignore-installed, nothing is installed) and every
# package it would install is pinned, sorted by name. The same index and Python
# (see the file's header) give the same file.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --dry-run --ignore-installed --report $(LOCK).json '.[dev]'
	$(BIN)/python -c 'import json, platform, sys; \
	  r = json.load(open(sys.argv[1])); \
	  pins = sorted((i["metadata"]["name"].lower().replace("_", "-"), i["metadata"]["version"]) \
	    for i in r["install"] if i["metadata"]["name"].lower() != "pressbot"); \
	  head = ["# Every runtime and dev dependency of pressbot, pinned: `make install` uses it as", \
	    "# pip constraints. Regenerate with `make lock` (never by hand).", \
	    f"# Resolved for Python {platform.python_version()} on {sys.platform}."]; \
	  open(sys.argv[2], "w").write("\n".join(head + [f"{n}=={v}" for n, v in pins]) + "\n")' \
	  $(LOCK).json $(LOCK)
	rm -f $(LOCK).json

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache build *.egg-info
