# One entry point for people and CI: `make demo`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= examples/demo.duckdb

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(BIN)/pip install -qq -e '.[test,spark]'  # spark: so the Spark engine's tests run too
	touch $@

demo: install
	rm -f $(DEMO_DB)
	$(BIN)/entente run examples/articles --db $(DEMO_DB) --quiet
	$(BIN)/entente events --db $(DEMO_DB) --format table

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/pip install -qq -e '.[dev]'
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache build src/*.egg-info
