# The two commands a newcomer needs: `make site` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= site

.PHONY: site test test-fast check serve bench clean

site: $(VENV)/.installed node_modules/.installed
	$(PY) build.py build --out $(OUT)

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest -q

# The edit-test loop: no site builds, no PDF, no browser (see README, "Tests").
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not slow"

check: $(VENV)/.installed
	$(PY) build.py check

serve: $(VENV)/.installed node_modules/.installed
	$(PY) build.py serve --country $(or $(COUNTRY),peru)

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf $(OUT) .pytest_cache

bench: $(VENV)/.installed node_modules/.installed
	$(PY) bench/run.py
