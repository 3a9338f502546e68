# Two commands on a fresh machine: `make up` and `make test`. Both create the venv first.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= .pyk8s

.PHONY: install up test lint bench clean

install: $(STAMP)

# Reinstall only when the project's metadata changed; the package itself is editable.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing pyk8s and its test tools into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' 2>&1 \
		| { grep -v '^WARNING: Location .* is ignored' || true; }
	@touch $(STAMP)

up: install
	$(BIN)/pyk8s up --data-dir $(DATA_DIR)

lint: install
	$(BIN)/ruff check pyk8s tests bench
	$(BIN)/ruff format --check --quiet pyk8s tests bench
	$(BIN)/lint-imports --no-cache

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/storage.py

clean:
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .ruff_cache .hypothesis
