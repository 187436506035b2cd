# 创先争优看板: `make run` serves the app on the demo county; `make test` checks everything.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/warehouse.duckdb
DEMO ?= data/demo/county
PORT ?= 8501
# The demo's own as-of date (the generator's default): the demo is generated and loaded as of it, so
# the year in progress ends where its data ends and every page says 截至 2026年11月20日.
AS_OF ?= 2026-11-20

.PHONY: run serve test lint bench bench-spark soak install lock system-deps demo warehouse clean

# Installs come from requirements.lock: exactly the versions the tests passed with, each file checked
# against its hash, fetched by the machine's own pip (the lock names packages, never download hosts).
# uv, pinned here and kept in .uv/, only writes the lock (`make lock`).
UV_VERSION := 0.13.9
UV := .uv/bin/uv

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(UV):
	$(PY) -m venv .uv
	.uv/bin/pip install --quiet 'uv==$(UV_VERSION)'

# Reinstalled only when pyproject.toml or the lock changes. tools/lock_check.py refuses, loudly, a lock
# that no longer satisfies pyproject.toml (a dependency added without `make lock`).
.stamp-install: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python tools/lock_check.py || { \
		echo "requirements.lock 与 pyproject.toml 不一致：请运行 make lock 并提交 requirements.lock。" >&2; exit 1; }
	touch $@

install: .stamp-install

# Writes requirements.lock from pyproject.toml (the app, the test and spark extras, and the build
# backend): run after adding or changing a dependency; versions already locked stay where they are
# unless `make lock UPGRADE=1`. Then `make test`, then commit pyproject.toml and the lock together.
lock: | $(UV)
	$(UV) pip compile pyproject.toml tools/lock-build.in --extra test --extra spark --universal \
		--python-version 3.11 --generate-hashes --no-header --quiet $(if $(UPGRADE),--upgrade) -o requirements.lock
	@echo "requirements.lock 已更新：运行 make test 通过后，与 pyproject.toml 一起提交。"

# Browser tests use Debian's Chromium and CJK fonts, serving uses Debian's nginx, Spark (python -m
# analytics spark and its tests) Debian's Java 17. Nothing is downloaded at test time.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || [ ! -x /usr/sbin/nginx ]; then \
		echo "installing chromium, fonts-noto-cjk and nginx"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk nginx >/dev/null; \
	fi
	@if ! command -v java >/dev/null 2>&1; then \
		echo "installing openjdk-17-jre-headless (Spark)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

$(DEMO)/pledges.csv: | .stamp-install
	$(BIN)/python -m etl demo --scale county --out $(DEMO) --as-of $(AS_OF)

demo: $(DEMO)/pledges.csv

# Built only if there is no warehouse yet; `python -m etl load` rebuilds it on purpose.
$(DB): | $(DEMO)/pledges.csv
	$(BIN)/python -m etl load $(DEMO) --db $(DB) --as-of $(AS_OF)

warehouse: $(DB)

run: .stamp-install system-deps $(DB)
	WAREHOUSE_PATH=$(DB) $(BIN)/python -m deploy.server run app.py --server.headless true --server.port $(PORT)

# Many viewers: nginx on PORT in front of REPLICAS Streamlit processes on loopback ports (deploy/).
REPLICAS ?= 2
serve: .stamp-install system-deps $(DB)
	$(BIN)/python -m deploy.cluster --replicas $(REPLICAS) --port $(PORT) --db $(DB)

test: .stamp-install system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup  # two workers: CI has two cores, and half the time is spent waiting on browsers; loadgroup keeps the Spark tests on one worker (one JVM)

lint: .stamp-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench-spark: .stamp-install system-deps
	$(BIN)/python -m bench.spark $(SCALES)

bench: .stamp-install
	$(BIN)/python -m bench

# Not in `make test`: half an hour of page runs while the warehouse is republished every 30 s
# (bench/soak.py); ten minutes of 10 protocol-level sessions on two replicas behind nginx with a
# publish every 30 s, memory before and after (bench/serving_bench.py); then the property tests with
# 1,000 examples each instead of 50.
SOAK_MINUTES ?= 30
SERVING_SOAK_MINUTES ?= 10
soak: .stamp-install system-deps
	$(BIN)/python -m bench.soak $(SOAK_MINUTES)
	$(BIN)/python -m bench.serving_bench soak $(SERVING_SOAK_MINUTES)
	HYPOTHESIS_PROFILE=soak $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py

clean:
	rm -rf $(VENV) .uv .stamp-install data/demo $(DB)
