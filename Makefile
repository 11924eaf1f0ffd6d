# Two commands set everything up: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SCALE ?= demo
export OA_DATA_DIR ?= $(CURDIR)/var
SECRET_FILE = $(OA_DATA_DIR)/secret_key
# serve and demo answer plain http on 127.0.0.1, where Secure-only cookies would never come
# back (README: OA_COOKIE_SECURE); the key is OA_SECRET_KEY or, if unset, the generated file.
RUN_APP = OA_SECRET_KEY="$${OA_SECRET_KEY:-$$(cat "$(SECRET_FILE)")}" \
	OA_COOKIE_SECURE="$${OA_COOKIE_SECURE:-0}" $(PY) -m dashboard

.PHONY: demo test venv seed etl secret serve bench clean

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

# A random Flask key, generated once (mode 600), unless OA_SECRET_KEY is given.
secret: venv
	@if [ -z "$$OA_SECRET_KEY" ] && [ ! -s "$(SECRET_FILE)" ]; then \
		mkdir -p "$(OA_DATA_DIR)" && umask 077 && \
		$(PY) -c 'import secrets; print(secrets.token_urlsafe(48))' > "$(SECRET_FILE)" && \
		echo "generated $(SECRET_FILE)"; fi

serve: venv secret
	$(RUN_APP)

demo: seed etl secret
	$(PY) -m dashboard accounts
	$(RUN_APP)

test: venv
	$(PY) -m pytest -q

bench: venv
	$(PY) bench/etl.py
	$(PY) bench/overview.py
	$(PY) bench/module_pages.py

clean:
	rm -rf $(VENV) var .pytest_cache
