# CX Outcomes Warehouse — the two commands a new user needs:
#   make demo   install, generate the default dataset, build the warehouse, print headline figures
#   make test   lint + dbt build and tests on a small generated dataset + pytest
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export TZ_BUILD_NOTE := the build sets its own session time zone (UTC)

# Demo dataset (override on the command line: make demo DEMO_CUSTOMERS=20000)
DEMO_SEED ?= 42
DEMO_CUSTOMERS ?= 8000
DEMO_DAYS ?= 210
DEMO_START ?= 2025-01-01

# Small dataset for `make test` (its own raw dir and warehouse; never touches the demo warehouse)
TEST_DIR := $(CURDIR)/target/test
TEST_RAW := $(TEST_DIR)/raw
TEST_WAREHOUSE := $(TEST_DIR)/warehouse/cx.duckdb

.PHONY: help install demo generate build summary test lint lint-sql lint-py test-build pytest clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install pinned dependencies

demo: $(STAMP) ## install → generate the default dataset → nightly build → headline summary
	$(BIN)/python -m scripts.generate_data --seed $(DEMO_SEED) --customers $(DEMO_CUSTOMERS) \
		--start-date $(DEMO_START) --days $(DEMO_DAYS) --out data/raw --overwrite
	$(BIN)/python -m scripts.nightly --full-refresh
	$(BIN)/python -m scripts.summary

generate: $(STAMP) ## regenerate the demo dataset only
	$(BIN)/python -m scripts.generate_data --seed $(DEMO_SEED) --customers $(DEMO_CUSTOMERS) \
		--start-date $(DEMO_START) --days $(DEMO_DAYS) --out data/raw --overwrite

build: $(STAMP) ## nightly build of the demo warehouse (incremental)
	$(BIN)/python -m scripts.nightly

summary: $(STAMP) ## print the headline figures of the published warehouse
	$(BIN)/python -m scripts.summary

test: lint test-build pytest ## the full test suite (what CI runs)

lint: lint-py lint-sql ## ruff + sqlfluff

lint-py: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

lint-sql: $(STAMP)
	CX_DBT_TARGET=lint $(BIN)/sqlfluff lint models analyses tests/data_tests

test-build: $(STAMP) ## dbt build + tests on a small generated dataset with bad rows
	rm -rf $(TEST_DIR) && mkdir -p $(dir $(TEST_WAREHOUSE))
	$(BIN)/python -m scripts.generate_data --seed 7 --customers 600 --start-date 2025-01-01 --days 150 \
		--out $(TEST_RAW) --bad-rows --overwrite
	CX_RAW_DIR=$(TEST_RAW) CX_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/dbt build --full-refresh --fail-fast
	CX_RAW_DIR=$(TEST_RAW) CX_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/dbt compile --select "resource_type:analysis" --quiet

pytest: $(STAMP) ## pytest (unit + integration)
	CX_TEST_RAW=$(TEST_RAW) CX_TEST_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/python -m pytest

clean: ## remove generated data, warehouse files and dbt artefacts
	rm -rf target logs data warehouse/*.duckdb warehouse/*.wal warehouse/runs
