# The two commands a newcomer needs, each working on a fresh machine:
#   make run    install what is missing, then run the bot (the terminal demo without a token)
#   make test   install what is missing, then lint and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Re-install whenever pyproject.toml changes.
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run demo test lint bench soak check-content migrate clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# `python -m bot` exits with 3 (EXIT_NO_TOKEN in bot/__main__.py) when TELEGRAM_BOT_TOKEN is set
# neither in the environment nor in .env: then the terminal demo runs instead.
run: $(STAMP)
	@$(PY) -m bot || { status=$$?; [ $$status -eq 3 ] || exit $$status; \
		echo "Starting the terminal demo instead."; $(PY) -m emulator.demo; }

demo: $(STAMP)
	$(PY) -m emulator.demo

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(STAMP)
	$(PY) bench/update_latency.py
	$(PY) bench/dispatcher.py
	$(PY) bench/streak.py

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
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
