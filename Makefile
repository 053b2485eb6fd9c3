# boardshift — two commands: `make demo` (set up + run the pipeline on raw/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/boardshift run

lint: setup
	$(BIN)/ruff check pipelines tests

test: setup lint
	$(BIN)/python -m pytest

docs: setup
	$(BIN)/python -m pipelines.contract_doc --write

clean:
	rm -rf $(VENV) data exports dbt_project/target dbt_project/logs
