# What Matters When: `make serve` to read the guide locally, `make test` to check everything.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-fast setup clean screenshots bench bench-network screener-eval screener-speed

serve: setup  ## build the site and serve it on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup  ## write the site to site/ and print what it weighs (SITE_URL=... for another address)
	$(BIN)/mkdocs build --strict --site-dir site
	$(BIN)/python -m decision.publishing.size_report site

test: setup  ## the whole test suite
	$(BIN)/python -m pytest

test-fast: setup  ## engine, data, extension and CLI in under 3 minutes: no browser, no Pyodide, no site build, a tenth of the fuzzing
	WHATMATTERS_FUZZ_SCALE=0.1 $(BIN)/python -m pytest -q -m "not browser and not pyodide and not site"

bench: setup  ## our widgets against PyScript, markdown-exec and a bare Pyodide worker: one table, written to bench/RESULTS.md
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/network.py
	$(BIN)/python bench/screener_eval.py
	$(BIN)/python bench/screener_speed.py

bench-network: setup  ## the first answer at localhost, 20 and 5 Mbit/s served as Pages serves (gzip), offline, against a bare worker: one table
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/network.py

screener-speed: setup  ## the screener on 20,000 characters of prose and of each worst case, in Pyodide and CPython: bench/SCREENER-SPEED.md
	$(BIN)/python bench/screener_speed.py

screener-eval: setup  ## the prompt screener on public sets (held out and development) and our corpus: precision, recall, F1 per set, source and language (WRITE=1 regenerates the AI page's figures)
	$(BIN)/python bench/screener_eval.py $(if $(WRITE),--write)

screenshots: setup  ## PNGs of every widget in every state, light and dark, desktop and phone, in screenshots/
	$(BIN)/python tools/screenshots.py screenshots

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) node_modules site
