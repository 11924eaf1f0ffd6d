# Two commands set everything up: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SCALE ?= demo
export OA_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test venv seed etl serve bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

seed: venv
	mkdir -p $(OA_DATA_DIR)
	$(PY) -m models.demo --scale $(SCALE)

etl: venv
	$(PY) -m etl run --full

serve: venv
	$(PY) -m dashboard

demo: seed etl
	$(PY) -m dashboard accounts
	$(PY) -m dashboard

test: venv
	$(PY) -m pytest -q

bench: venv
	$(PY) bench/etl.py

clean:
	rm -rf $(VENV) var .pytest_cache
