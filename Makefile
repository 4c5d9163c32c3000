# Two commands set up everything on a fresh machine with Python 3.11 and make:
#   make reports   render the HTML reports into reports/
#   make test      run the whole test suite
# Both create .venv and install the project first when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.DEFAULT_GOAL := help
.PHONY: help install reports test test-fast lint lab data check bench clean

help: ## list the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its test tools

reports: $(STAMP) ## render every report (HTML + figure/table files) into reports/
	$(BIN)/analysis render

test: $(STAMP) lint ## lint, then run the whole test suite
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## the edit loop: every test but the slow ones (notebooks, renders, browser)
	$(BIN)/python -m pytest -m "not slow" -q -x

lint: $(STAMP) ## ruff, and the layers contract (import-linter, pyproject.toml)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/lint-imports

lab: $(STAMP) ## open JupyterLab on notebooks/
	$(BIN)/jupyter lab notebooks/

data: $(STAMP) ## rebuild data/ from data/raw + data/curated (deterministic, offline)
	$(BIN)/analysis data build

check: $(STAMP) ## validate the committed data snapshot
	$(BIN)/analysis data check

bench: $(STAMP) ## run the benchmarks and print their figures
	$(BIN)/python benchmarks/sizeclass.py
	$(BIN)/python benchmarks/render.py

clean: ## remove generated reports (keeps reports/README.md)
	find reports -mindepth 1 ! -name README.md -delete
