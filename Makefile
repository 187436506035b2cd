# 创先争优看板: `make run` serves the app on the demo county; `make test` checks everything.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/warehouse.duckdb
DEMO ?= data/demo/county
PORT ?= 8501

.PHONY: run test lint bench soak install lock system-deps demo warehouse clean

# Installs come from uv.lock: exactly the versions the tests passed with, from PyPI, checked by hash.
# uv itself is pinned and kept in .uv/ (outside .venv, which `uv sync` makes exact).
UV_VERSION := 0.13.9
UV := .uv/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

$(UV):
	$(PY) -m venv .uv
	.uv/bin/pip install --quiet --index-url https://pypi.org/simple 'uv==$(UV_VERSION)'

# Reinstalled only when pyproject.toml or uv.lock changes. `--locked` refuses, loudly, a lock that no
# longer matches pyproject.toml (a dependency added without `make lock`) instead of resolving anew.
.stamp-install: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --locked --extra test --python $(PY) --quiet || { \
		echo "uv.lock 与 pyproject.toml 不一致（或安装失败）：请运行 make lock 并提交 uv.lock。" >&2; exit 1; }
	touch $@

install: .stamp-install

# Writes uv.lock from pyproject.toml: run after adding or changing a dependency (versions already
# locked stay where they are); `make lock UPGRADE=1` moves everything to the newest versions PyPI
# serves within pyproject's bounds. Then `make test`, then commit pyproject.toml and uv.lock together.
lock: | $(UV)
	$(UV) lock --python $(PY) $(if $(UPGRADE),--upgrade)
	@echo "uv.lock 已更新：运行 make test 通过后，与 pyproject.toml 一起提交。"

# Browser tests use Debian's Chromium and CJK fonts; nothing is downloaded at test time.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		echo "installing chromium and fonts-noto-cjk"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

$(DEMO)/pledges.csv: | .stamp-install
	$(BIN)/python -m etl demo --scale county --out $(DEMO)

demo: $(DEMO)/pledges.csv

# Built only if there is no warehouse yet; `python -m etl load` rebuilds it on purpose.
$(DB): | $(DEMO)/pledges.csv
	$(BIN)/python -m etl load $(DEMO) --db $(DB)

warehouse: $(DB)

run: .stamp-install system-deps $(DB)
	WAREHOUSE_PATH=$(DB) $(BIN)/streamlit run app.py --server.headless true --server.port $(PORT)

test: .stamp-install system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2  # two workers: CI has two cores, and half the time is spent waiting on browsers

lint: .stamp-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: .stamp-install
	$(BIN)/python -m bench

# Not in `make test`: half an hour of page runs while the warehouse is republished every 30 s
# (bench/soak.py), then the property tests with 1,000 examples each instead of 50.
SOAK_MINUTES ?= 30
soak: .stamp-install
	$(BIN)/python -m bench.soak $(SOAK_MINUTES)
	HYPOTHESIS_PROFILE=soak $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py

clean:
	rm -rf $(VENV) .uv .stamp-install data/demo $(DB)
