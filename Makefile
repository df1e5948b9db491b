# The two commands a newcomer needs, each working on a fresh machine:
#   make run    install what is missing, then run the bot (the terminal demo without a token)
#   make test   install what is missing, then lint, format and type checks and the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Every package at the version (and hash) pinned here; `make lock` writes it from pyproject.toml.
LOCK := requirements.lock
# Re-install whenever pyproject.toml or the lock changes.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: run demo test lint typecheck lock bench soak check-content migrate clean

# The lock holds the build backend too, so the project itself is installed without fetching
# anything unpinned (no build isolation).
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Re-resolve every dependency to the newest versions pyproject.toml allows (Python 3.11, Linux),
# with pip-tools in a venv of its own so that it is not part of what the lock pins. The build
# backend is pinned too (--all-build-deps --allow-unsafe); no index or local path is written in.
LOCK_VENV := $(VENV)-lock
PIP_TOOLS := pip-tools==7.6.2
lock:
	@test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet '$(PIP_TOOLS)'
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
		--all-build-deps --no-emit-index-url --no-emit-find-links \
		--extra dev --extra postgres -o $(LOCK) pyproject.toml

# `python -m bot` exits with 3 (EXIT_NO_TOKEN in bot/__main__.py) when TELEGRAM_BOT_TOKEN is set
# neither in the environment nor in .env: then the terminal demo runs instead.
run: $(STAMP)
	@$(PY) -m bot || { status=$$?; [ $$status -eq 3 ] || exit $$status; \
		echo "Starting the terminal demo instead."; $(PY) -m emulator.demo; }

demo: $(STAMP)
	$(PY) -m emulator.demo

# Cheapest first: lint, format and types fail in seconds, before the suite's minutes.
test: lint typecheck
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) bench/update_latency.py
	$(PY) bench/dispatcher.py
	$(PY) bench/streak.py
	$(PY) bench/step_pictures.py

# A longer soak than the one `make test` runs (see README: The soak test); needs PostgreSQL.
SOAK_USERS ?= 1000
SOAK_DAYS ?= 14
SOAK_KILLS ?= 20
SOAK_WALL_S ?= 3600
soak: $(STAMP)
	@test -n "$$TEST_DATABASE_URL" || { echo "make soak needs TEST_DATABASE_URL=postgresql+asyncpg://..."; exit 2; }
	SOAK_USERS=$(SOAK_USERS) SOAK_DAYS=$(SOAK_DAYS) SOAK_KILLS=$(SOAK_KILLS) SOAK_WALL_S=$(SOAK_WALL_S) \
		$(PY) -m pytest tests/soak/test_soak.py -m soak -s -rA

check-content: $(STAMP)
	$(PY) -m bot check-content

migrate: $(STAMP)
	$(PY) -m bot migrate

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
