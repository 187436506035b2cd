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

.PHONY: run serve test lint bench bench-spark install system-deps demo warehouse clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Reinstalled only when pyproject.toml changes.
.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: .stamp-install

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
	WAREHOUSE_PATH=$(DB) $(BIN)/streamlit run app.py --server.headless true --server.port $(PORT)

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

clean:
	rm -rf $(VENV) .stamp-install data/demo $(DB)
