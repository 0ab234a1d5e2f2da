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
# SOURCE=amazon_connect: the same centre's contacts as Amazon Connect contact records (SPEC §8.2), the CRM etc. in
# the landing zone; the build then reads both (CX_SOURCES=landing_zone,amazon_connect).
# SOURCE=zendesk: its email, web and messaging contacts as Zendesk tickets (SPEC §8.4), voice and chat in the landing
# zone (CX_SOURCES=landing_zone,zendesk). SOURCE=mixed: voice and chat as Connect records, email, web and messaging as
# Zendesk tickets, the CRM etc. in the landing zone (CX_SOURCES=landing_zone,amazon_connect,zendesk).
# SOURCE=salesforce: email and web as Salesforce cases, messaging as messaging sessions, voice as voice calls and the
# CRM as Salesforce contacts / accounts (SPEC §8.5), chat, orders etc. in the landing zone
# (CX_SOURCES=landing_zone,salesforce). SOURCE=all3: voice and chat as Connect records (voice also as Service Cloud
# Voice calls), email and web as Zendesk tickets, messaging and the CRM in Salesforce
# (CX_SOURCES=landing_zone,amazon_connect,zendesk,salesforce).
SOURCE ?= landing_zone
ifeq ($(SOURCE),landing_zone)
DEMO_FORMAT_ARGS :=
DEMO_SOURCES := landing_zone
else ifeq ($(SOURCE),amazon_connect)
DEMO_FORMAT_ARGS := --format amazon_connect
DEMO_SOURCES := landing_zone,amazon_connect
else ifeq ($(SOURCE),zendesk)
DEMO_FORMAT_ARGS := --format zendesk
DEMO_SOURCES := landing_zone,zendesk
else ifeq ($(SOURCE),mixed)
DEMO_FORMAT_ARGS := --format amazon_connect+zendesk
DEMO_SOURCES := landing_zone,amazon_connect,zendesk
else ifeq ($(SOURCE),salesforce)
DEMO_FORMAT_ARGS := --format salesforce
DEMO_SOURCES := landing_zone,salesforce
else ifeq ($(SOURCE),all3)
DEMO_FORMAT_ARGS := --format amazon_connect+salesforce+zendesk
DEMO_SOURCES := landing_zone,amazon_connect,zendesk,salesforce
else
$(error SOURCE must be landing_zone, amazon_connect, zendesk, mixed, salesforce or all3, not '$(SOURCE)')
endif
DEMO_SEED ?= 42
DEMO_CUSTOMERS ?= 8000
DEMO_DAYS ?= 210
DEMO_START ?= 2025-01-01

# Small dataset for `make test` (its own raw dir and warehouse; never touches the demo warehouse)
TEST_DIR := $(CURDIR)/target/test
TEST_RAW := $(TEST_DIR)/raw
TEST_WAREHOUSE := $(TEST_DIR)/warehouse/cx.duckdb

.PHONY: help install demo generate build summary test lint lint-sql lint-py test-build pytest clean contract

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install pinned dependencies

# The raw contract's home is the sources YAML; dbt reads a copy generated from it (scripts/ops/contract.py says
# why). Every target that runs dbt regenerates the copy first when the YAML is newer.
CONTRACT_MACRO := macros/cx_raw_contract.sql
$(CONTRACT_MACRO): $(wildcard models/staging/*/_*__sources.yml) | $(STAMP)
	$(BIN)/python -m scripts.ops.contract --write

contract: $(STAMP) ## regenerate macros/cx_raw_contract.sql from the raw contract in the sources YAML
	$(BIN)/python -m scripts.ops.contract --write

demo: $(STAMP) $(CONTRACT_MACRO) ## install → generate the default dataset → nightly build → headline summary (SOURCE=amazon_connect: from Connect records)
	$(BIN)/python -m scripts.generate_data --seed $(DEMO_SEED) --customers $(DEMO_CUSTOMERS) \
		--start-date $(DEMO_START) --days $(DEMO_DAYS) --out data/raw --overwrite $(DEMO_FORMAT_ARGS)
	CX_SOURCES=$(DEMO_SOURCES) $(BIN)/python -m scripts.nightly --full-refresh
	@# the nightly parses in its build folder; this leaves target/semantic_manifest.json for `mf query`
	$(BIN)/dbt parse --quiet
	$(BIN)/python -m scripts.summary

generate: $(STAMP) ## regenerate the demo dataset only (SOURCE=amazon_connect: Connect records)
	$(BIN)/python -m scripts.generate_data --seed $(DEMO_SEED) --customers $(DEMO_CUSTOMERS) \
		--start-date $(DEMO_START) --days $(DEMO_DAYS) --out data/raw --overwrite $(DEMO_FORMAT_ARGS)

build: $(STAMP) $(CONTRACT_MACRO) ## nightly build of the demo warehouse (incremental; SOURCE=amazon_connect as for demo, or CX_SOURCES)
	CX_SOURCES=$${CX_SOURCES:-$(DEMO_SOURCES)} $(BIN)/python -m scripts.nightly

summary: $(STAMP) ## print the headline figures of the published warehouse
	$(BIN)/python -m scripts.summary

test: lint test-build semantic docs pytest test-spark ## the full test suite (what CI runs; test-spark: the same build on Spark, compared)

lint: lint-py lint-sql ## ruff + sqlfluff

lint-py: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

lint-sql: $(STAMP) $(CONTRACT_MACRO)
	CX_DBT_TARGET=lint $(BIN)/sqlfluff lint models analyses tests/data_tests

# The reconciliation and bounds tests (tag:reconciliation, tag:bounds) are warn-severity so that the nightly's
# validation step, not the build, fails a night on them (exit 6, scripts/ops/validate.py); here a warning is an
# error (LogTestResult: a data test's result; no other test warns).
test-build: $(STAMP) $(CONTRACT_MACRO) ## dbt build + tests on a small generated dataset with bad rows
	rm -rf $(TEST_DIR) && mkdir -p $(dir $(TEST_WAREHOUSE))
	$(BIN)/python -m scripts.generate_data --seed 7 --customers 600 --start-date 2025-01-01 --days 150 \
		--out $(TEST_RAW) --bad-rows --overwrite
	CX_RAW_DIR=$(TEST_RAW) CX_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/dbt build --full-refresh --fail-fast \
		--warn-error-options '{"error": ["LogTestResult"]}'
	CX_RAW_DIR=$(TEST_RAW) CX_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/dbt compile --select "resource_type:analysis" --quiet

# Two workers, each test module whole on one of them (tests/conftest.py): most of a test's time is dbt's own
# single-threaded Python, so two modules at once use both cores. PYTEST_WORKERS=0 runs them one by one.
PYTEST_WORKERS ?= 2
pytest: $(STAMP) ## pytest (unit + integration), PYTEST_WORKERS modules at a time
	CX_TEST_RAW=$(TEST_RAW) CX_TEST_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/python -m pytest \
		-n $(PYTEST_WORKERS) --durations=25

clean: ## remove generated data, warehouse files and dbt artefacts
	rm -rf target logs data warehouse/*.duckdb warehouse/*.wal warehouse/runs

# ---- analysts and BI: semantic layer, docs site, HTML report, Superset, DuckDB 1.4 compatibility ----------
# The warehouse these read: the test warehouse when it has been built (CI), else the demo warehouse.
BI_WAREHOUSE ?= $(if $(wildcard $(TEST_WAREHOUSE)),$(TEST_WAREHOUSE),$(CURDIR)/warehouse/cx.duckdb)
BI_RAW ?= $(if $(wildcard $(TEST_WAREHOUSE)),$(TEST_RAW),$(CURDIR)/data/raw)
SUPERSET_VENV := .venv-superset
SUPERSET_PINS := apache-superset==6.1.0 duckdb-engine==0.17.0 duckdb==1.4.4 rich==15.0.0 cachetools==8.0.1 \
	flask-caching==2.3.1
SUPERSET_PORT ?= 8088
DUCKDB14_VENV := .venv-duckdb14
DUCKDB14_PIN := duckdb==1.4.4
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: semantic docs report browser-deps superset-venv superset test-superset duckdb14-venv

semantic: $(STAMP) ## MetricFlow: validate the semantic layer against the warehouse and run example queries
	DBT_TARGET_PATH=$(CURDIR)/target CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/dbt parse --quiet
	CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/mf validate-configs
	CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/mf query --metrics fcr_rate,bot_containment_rate,false_containment_rate \
		--group-by metric_time__month --order metric_time__month
	CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/mf query --metrics fcr_rate,resolution_rate,avg_ces,avg_csat,nps \
		--group-by journey__ai_interaction_type --order journey__ai_interaction_type
	CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/mf query --metrics retention_rate_30d,retention_rate_90d \
		--group-by retention_cohort__ai_interaction_type --order retention_cohort__ai_interaction_type
	CX_WAREHOUSE=$(BI_WAREHOUSE) $(BIN)/mf query \
		--metrics revenue_at_risk,revenue_retained,revenue_protected,voice_risk_precision,voice_risk_recall

docs: $(STAMP) ## dbt docs as ONE self-contained file: target/static_index.html (catalog from the warehouse if built)
	@if [ -f "$(BI_WAREHOUSE)" ] && [ -d "$(BI_RAW)" ]; then \
		echo "dbt docs generate --static (catalog from $(BI_WAREHOUSE))"; \
		DBT_TARGET_PATH=$(CURDIR)/target CX_WAREHOUSE=$(BI_WAREHOUSE) CX_RAW_DIR=$(BI_RAW) \
			$(BIN)/dbt docs generate --static --quiet; \
	else \
		echo "dbt docs generate --static --empty-catalog --no-compile (no warehouse / raw data built)"; \
		DBT_TARGET_PATH=$(CURDIR)/target CX_DBT_TARGET=lint $(BIN)/dbt docs generate --static --empty-catalog \
			--no-compile --quiet; \
	fi
	@ls -l target/static_index.html

report: $(STAMP) ## the headline HTML report (charts inline, no network): target/report.html
	$(BIN)/python -m scripts.report --warehouse $(BI_WAREHOUSE) --out target/report.html

browser-deps: ## headless Chromium + fonts for the report render test (Debian packages)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }
	@chromium --version

superset-venv: ## Apache Superset in its own venv (.venv-superset; pins do not fit the main env)
	@if [ "$$(cat $(SUPERSET_VENV)/.pins 2>/dev/null)" != "$(SUPERSET_PINS)" ]; then \
		rm -rf $(SUPERSET_VENV) && $(PYTHON) -m venv $(SUPERSET_VENV) && \
		$(SUPERSET_VENV)/bin/python -m pip install --quiet --upgrade pip && \
		$(SUPERSET_VENV)/bin/python -m pip install --quiet $(SUPERSET_PINS) && \
		echo "$(SUPERSET_PINS)" > $(SUPERSET_VENV)/.pins; \
	fi

superset: $(STAMP) superset-venv ## Superset on 127.0.0.1:$(SUPERSET_PORT), warehouse read-only, marts + dashboard
	$(BIN)/python -m scripts.superset_setup --warehouse $(or $(CX_WAREHOUSE),$(BI_WAREHOUSE)) \
		--port $(SUPERSET_PORT) --serve

test-superset: $(STAMP) superset-venv duckdb14-venv ## slow: Superset SQL Lab + dashboard figures == marts; DuckDB 1.4 reads the file
	CX_SUPERSET_TEST=1 CX_TEST_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/python -m pytest \
		tests/integration/test_superset.py tests/integration/test_duckdb_compat.py

duckdb14-venv: ## DuckDB 1.4 in its own venv, to prove BI tools bundling DuckDB 1.4 can read the warehouse
	@if [ "$$(cat $(DUCKDB14_VENV)/.pins 2>/dev/null)" != "$(DUCKDB14_PIN)" ]; then \
		rm -rf $(DUCKDB14_VENV) && $(PYTHON) -m venv $(DUCKDB14_VENV) && \
		$(DUCKDB14_VENV)/bin/python -m pip install --quiet $(DUCKDB14_PIN) && \
		echo "$(DUCKDB14_PIN)" > $(DUCKDB14_VENV)/.pins; \
	fi

# ---- benchmark (issue 9): scales S ≈ 75 k, M ≈ 750 k, L ≈ 7.5 M contacts; see benchmarks/README.md
BENCH_SCALES ?= S,M
BENCH_WORK ?= /tmp/cx_bench
BENCH_ARGS ?= --reuse-data
.PHONY: bench
bench: $(STAMP) ## benchmark build, replay, floor and nightly (BENCH_SCALES=S,M,L; results in benchmarks/results)
	$(BIN)/python -m scripts.benchmark --scales $(BENCH_SCALES) --work-dir $(BENCH_WORK) $(BENCH_ARGS)

# ---- Apache Spark (issue #21): the same project on Spark (dbt-spark, session method: a local Spark in the dbt
# process); docs/scale-out.md. The Spark build is a full refresh; its tables land as Parquet under SPARK_WAREHOUSE.
SPARK_DIR := $(TEST_DIR)/spark
SPARK_WAREHOUSE := $(SPARK_DIR)/warehouse
SPARK_ENV := CX_DBT_TARGET=spark CX_RAW_DIR=$(TEST_RAW) CX_SPARK_WAREHOUSE=$(SPARK_WAREHOUSE) \
	DBT_TARGET_PATH=$(SPARK_DIR)/dbt CX_THREADS=$${CX_THREADS:-2}
.PHONY: spark-deps test-spark test-spark-connect test-spark-platforms test-spark-nightly

spark-deps: ## Java 17 for Spark (Debian's openjdk-17-jre-headless, only when `java` is missing)
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }
	@java -version 2>&1 | head -1

test-spark: test-build spark-deps ## slow: the test dataset built on Spark too (data tests on both), every table compared
	rm -rf $(SPARK_DIR) && mkdir -p $(SPARK_DIR)
	$(SPARK_ENV) $(BIN)/python -m scripts.spark_landing --raw-dir $(TEST_RAW) --warehouse $(SPARK_WAREHOUSE)
	$(SPARK_ENV) $(BIN)/dbt build --full-refresh
	$(BIN)/python -m scripts.engines_compare --duckdb $(TEST_WAREHOUSE) --spark-warehouse $(SPARK_WAREHOUSE) \
		--json $(SPARK_DIR)/engines_compare.json

# Amazon Connect on Spark: the test dataset's contacts as Connect contact records (gzip JSON lines, SPEC §8.2),
# the same generator settings as test-build; built on DuckDB and on Spark with CX_SOURCES=landing_zone,amazon_connect
# and every table compared. Unit tests are left out of the Spark build (test-spark runs them).
CONNECT_DIR := $(TEST_DIR)/connect
CONNECT_RAW := $(CONNECT_DIR)/raw
CONNECT_WAREHOUSE := $(CONNECT_DIR)/warehouse/cx.duckdb
CONNECT_SPARK := $(CONNECT_DIR)/spark
CONNECT_SOURCES := landing_zone,amazon_connect

test-spark-connect: $(STAMP) $(CONTRACT_MACRO) spark-deps ## slow: the test dataset as Amazon Connect records, on DuckDB and Spark, compared
	rm -rf $(CONNECT_DIR) && mkdir -p $(dir $(CONNECT_WAREHOUSE)) $(CONNECT_SPARK)
	$(BIN)/python -m scripts.generate_data --seed 7 --customers 600 --start-date 2025-01-01 --days 150 \
		--out $(CONNECT_RAW) --bad-rows --overwrite --format amazon_connect --quiet
	CX_SOURCES=$(CONNECT_SOURCES) CX_RAW_DIR=$(CONNECT_RAW) CX_WAREHOUSE=$(CONNECT_WAREHOUSE) \
		DBT_TARGET_PATH=$(CONNECT_DIR)/dbt $(BIN)/dbt build --full-refresh --fail-fast \
		--exclude-resource-type unit_test --warn-error-options '{"error": ["LogTestResult"]}'
	CX_SOURCES=$(CONNECT_SOURCES) CX_DBT_TARGET=spark CX_RAW_DIR=$(CONNECT_RAW) \
		CX_SPARK_WAREHOUSE=$(CONNECT_SPARK)/warehouse CX_THREADS=$${CX_THREADS:-2} \
		$(BIN)/python -m scripts.spark_landing --raw-dir $(CONNECT_RAW) --warehouse $(CONNECT_SPARK)/warehouse
	CX_SOURCES=$(CONNECT_SOURCES) CX_DBT_TARGET=spark CX_RAW_DIR=$(CONNECT_RAW) \
		CX_SPARK_WAREHOUSE=$(CONNECT_SPARK)/warehouse DBT_TARGET_PATH=$(CONNECT_SPARK)/dbt \
		CX_THREADS=$${CX_THREADS:-2} $(BIN)/dbt build --full-refresh --exclude-resource-type unit_test
	$(BIN)/python -m scripts.engines_compare --duckdb $(CONNECT_WAREHOUSE) \
		--spark-warehouse $(CONNECT_SPARK)/warehouse --json $(CONNECT_SPARK)/engines_compare.json

# Zendesk and Salesforce on Spark: the three-system estate (Amazon Connect voice, Salesforce CRM / cases /
# messaging / voice calls, Zendesk tickets; Fivetran's tables as Parquet, SPEC §8.4, §8.5), small, with bad rows;
# built on DuckDB and on Spark with every adapter on, data tests on both, every table compared. Unit tests are left
# out of the Spark build (test-spark runs them).
PLATFORMS_DIR := $(TEST_DIR)/platforms
PLATFORMS_RAW := $(PLATFORMS_DIR)/raw
PLATFORMS_WAREHOUSE := $(PLATFORMS_DIR)/warehouse/cx.duckdb
PLATFORMS_SPARK := $(PLATFORMS_DIR)/spark
PLATFORMS_SOURCES := landing_zone,amazon_connect,zendesk,salesforce

test-spark-platforms: $(STAMP) $(CONTRACT_MACRO) spark-deps ## slow: the three-system estate (Connect, Salesforce, Zendesk) on DuckDB and Spark, compared
	rm -rf $(PLATFORMS_DIR) && mkdir -p $(dir $(PLATFORMS_WAREHOUSE)) $(PLATFORMS_SPARK)
	$(BIN)/python -m scripts.generate_data --seed 7 --customers 300 --start-date 2025-01-01 --days 90 \
		--out $(PLATFORMS_RAW) --bad-rows --overwrite --format amazon_connect+salesforce+zendesk --quiet
	CX_SOURCES=$(PLATFORMS_SOURCES) CX_RAW_DIR=$(PLATFORMS_RAW) CX_WAREHOUSE=$(PLATFORMS_WAREHOUSE) \
		DBT_TARGET_PATH=$(PLATFORMS_DIR)/dbt $(BIN)/dbt build --full-refresh --fail-fast \
		--exclude-resource-type unit_test --warn-error-options '{"error": ["LogTestResult"]}'
	CX_SOURCES=$(PLATFORMS_SOURCES) CX_DBT_TARGET=spark CX_RAW_DIR=$(PLATFORMS_RAW) \
		CX_SPARK_WAREHOUSE=$(PLATFORMS_SPARK)/warehouse CX_THREADS=$${CX_THREADS:-2} \
		$(BIN)/python -m scripts.spark_landing --raw-dir $(PLATFORMS_RAW) --warehouse $(PLATFORMS_SPARK)/warehouse
	CX_SOURCES=$(PLATFORMS_SOURCES) CX_DBT_TARGET=spark CX_RAW_DIR=$(PLATFORMS_RAW) \
		CX_SPARK_WAREHOUSE=$(PLATFORMS_SPARK)/warehouse DBT_TARGET_PATH=$(PLATFORMS_SPARK)/dbt \
		CX_THREADS=$${CX_THREADS:-2} $(BIN)/dbt build --full-refresh --exclude-resource-type unit_test
	$(BIN)/python -m scripts.engines_compare --duckdb $(PLATFORMS_WAREHOUSE) \
		--spark-warehouse $(PLATFORMS_SPARK)/warehouse --json $(PLATFORMS_SPARK)/engines_compare.json

# The nightly on Spark: a small landing zone built night by night on Spark (incremental: the Parquet tables
# rewritten, macros/dbt_spark_get_incremental_sql.sql) equals a full refresh (tests/integration/test_spark_nightly.py)
test-spark-nightly: $(STAMP) $(CONTRACT_MACRO) spark-deps ## slow: the Spark build night by night == a full refresh
	CX_SPARK_TEST=1 $(BIN)/python -m pytest -s tests/integration/test_spark_nightly.py
