# Two commands do all set-up: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench screenshots mutate clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/python -m annotator.core.system_check
	$(BIN)/annotator

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: install
	QT_QPA_PLATFORM=offscreen $(BIN)/annotator bench

# Mutation testing (not part of `make test`; hours for everything, minutes for one module). MODULES narrows it
# to files or folders, SURVIVORS=1 re-tests only last run's survivors, RESUME=1 finishes an interrupted run.
# See CONTRIBUTING.md.
mutate: install
	QT_QPA_PLATFORM=offscreen nice -n 19 $(BIN)/python tools/mutate.py run $(if $(SURVIVORS),--survivors) $(if $(RESUME),--resume) $(if $(SAMPLE),--sample $(SAMPLE)) $(if $(SEED),--seed $(SEED)) $(MODULES)

screenshots: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info mutants
