# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint relevance screenshots bench bench-1m clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The reader alone: no test tools.
$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $(RUN_STAMP) $@

run: $(RUN_STAMP)  ## open the reader on the bundled corpus
	$(VENV)/bin/papers

test: $(TEST_STAMP)  ## the whole suite (what CI runs)
	$(VENV)/bin/pytest -n 4 --dist loadgroup -q

lint: $(TEST_STAMP)  ## ruff, mypy over index/ and tui/, and the import layers
	$(VENV)/bin/ruff check index tui tests scripts
	$(VENV)/bin/ruff format --check index tui tests scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

relevance: $(TEST_STAMP)  ## search quality: known-item and judged queries (a floor runs in make test)
	$(PY) tests/relevance/run.py --misses

screenshots: $(TEST_STAMP)  ## real SVG captures of the reader into screenshots/
	$(PY) scripts/screenshots.py

bench: $(TEST_STAMP)  ## performance figures (not part of `make test`)
	$(PY) tests/bench/run.py

bench-1m: $(TEST_STAMP)  ## 1,000,000 papers: import, search, first paint (~2.5 h, mostly the import; not in `make bench`)
	$(PY) tests/bench/million.py

clean:
	rm -rf $(VENV) build *.egg-info
