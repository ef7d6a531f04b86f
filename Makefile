# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint screenshots bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## open the reader on the bundled corpus
	$(VENV)/bin/papers

test: $(STAMP)  ## the whole suite (what CI runs)
	$(VENV)/bin/pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check index tui tests scripts
	$(VENV)/bin/ruff format --check index tui tests scripts
	$(VENV)/bin/mypy

screenshots: $(STAMP)  ## real SVG captures of the reader into screenshots/
	$(PY) scripts/screenshots.py

bench: $(STAMP)  ## performance figures (not part of `make test`)
	$(PY) tests/bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
