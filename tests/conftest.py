"""Shared fixtures: the hand-computed tiny county (tests/fixtures/tiny) copied and loaded per test."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import load

TINY = Path(__file__).parent / "fixtures" / "tiny"
AS_OF = dt.date(2025, 11, 20)


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture folder."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture
def tiny_db(tiny_dir: Path, tmp_path: Path) -> Path:
    """The tiny fixture loaded and published as a warehouse file."""
    db = tmp_path / "warehouse.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    return db


def query_rows(db: Path, sql: str) -> list[tuple]:
    """The rows of `sql`, read through a fresh read-only connection to the warehouse `db`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def table_rows(db: Path, table: str) -> list[tuple]:
    """Every row of a table in a stable order, read through a fresh read-only connection."""
    return query_rows(db, f"select * from {table} order by all")


@pytest.fixture(scope="session")
def county_db(tmp_path_factory) -> Path:
    """The county-scale demo (15 towns, four years) generated and loaded once for the session."""
    from etl.demo import generate

    root = tmp_path_factory.mktemp("county")
    generate(root / "data", "county")
    db = root / "warehouse.duckdb"
    load(root / "data", db, as_of=dt.date(2026, 11, 20))
    return db


@pytest.fixture(autouse=True)
def no_accounts(tmp_path, monkeypatch):
    """Every test starts in demo mode with its own (absent) users file and its own submissions
    store, never the machine's (servers started by browser tests inherit both)."""
    monkeypatch.setenv("USERS_FILE", str(tmp_path / "users" / "users.json"))
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "submissions"))


def chart_data(at) -> list[dict]:
    """What each chart of an AppTest run sent to the browser (ui.chart_view): its figure as
    plotly JSON, its config, and whether it asks to report itself drawn."""
    return [
        json.loads(element.proto.json)
        for element in at.get("bidi_component")
        if element.proto.component_name == "dashboard_chart"
    ]


def charts_drawn(at) -> list[dict]:
    """The plotly figures an AppTest run sent to the browser, as plotly JSON."""
    return [data["figure"] for data in chart_data(at)]
