# One entry point for people and CI: `make demo`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= examples/demo.duckdb

.PHONY: install demo serve test lint bench bench-web bench-corpus screenshots clean

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

serve: demo
	$(BIN)/entente serve --db $(DEMO_DB)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/pip install -qq -e '.[dev]'
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python bench/throughput.py

bench-web: install
	$(BIN)/python bench/web.py

bench-corpus: install
	$(BIN)/python bench/corpus.py

# the README's screenshots of `entente serve`, taken by the browser tests (needs chromium and chromium-driver)
screenshots: install
	ENTENTE_SCREENSHOTS=docs/screenshots ENTENTE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/test_web_browser.py -q -k photographed

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache build src/*.egg-info
