"""Streamlit glue for the read side: one cached Warehouse per process, results cached per version.

Results are keyed on the warehouse version, so a new publish is a cache miss on the next rerun
and nobody has to restart the app to see a new load.
"""

from __future__ import annotations

import threading
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.warehouse import Warehouse, WarehouseDamaged, WarehouseUnusable, warehouse_path
from ui import chart_view
from ui.shared_cache import SharedCache
from workbench.sandbox import Sandbox

__all__ = ["WarehouseUnusable", "query", "sandbox", "warehouse"]


@st.cache_resource
def _warehouse_at(path: str) -> Warehouse:
    return Warehouse(path)


def warehouse() -> Warehouse:
    """The process's one read-only Warehouse for the configured path (WAREHOUSE_PATH)."""
    return _warehouse_at(str(warehouse_path()))


# The pages' query results, keyed on the file's version: a publish is a miss at the next rerun.
# Handed out as they are, not copied: frames are immutable and the pages never change one in place.
# Room for every page of every town and year of a county (the demo county: 1,094 results, 2.3 MB);
# with 512, fifty sessions moving between towns pushed out what the next one asked for.
_results = SharedCache(limit=8192, max_bytes=128 * 2**20, weigh=pl.DataFrame.estimated_size)


_seen = {"version": None}
_seen_lock = threading.Lock()


def _forget_older_versions(version: str) -> None:
    """On the first query of a newly published file, drop what was computed from older files: the
    query results (keyed on the version, never asked for again), the report files (this process's
    `st.cache_data`) and the built figures. A publish that
    changes the figures would otherwise leave the old ones in the caches until pushed out by
    newer ones (`make soak`: a step of +13 % resident memory at the first publish, which changed the
    as-of date and so every figure of the year in progress, level afterwards)."""
    with _seen_lock:
        if _seen["version"] == version:
            return
        first = _seen["version"] is None
        _seen["version"] = version
    if not first:
        _results.forget()
        st.cache_data.clear()
        chart_view.forget_built()


def query(name: str, **params: object) -> pl.DataFrame:
    """A named query's result as a polars frame, cached until the next publish.

    A damaged file can open and then fail on the one query that reads a damaged block: wherever
    that happens, the page stops with what to do (the rollback command), not a traceback.
    """
    w = warehouse()
    version = w.version()
    _forget_older_versions(version)
    key = (str(w.path), name, version, tuple(sorted(params.items())))
    try:
        return _results.get_or_make(key, lambda: w.query(name, **params))
    except WarehouseDamaged as damaged:
        st.error(str(damaged))
        st.stop()


@st.cache_resource(max_entries=8, show_spinner=False, on_release=Sandbox.close)
def _sandbox_at(path: str, version: str, town_id: str | None) -> Sandbox:
    # One sandbox worker per warehouse version and scope, shared by sessions; queries on it take
    # turns (Sandbox holds a lock). At most 8 workers are kept; an evicted one is stopped.
    return Sandbox(Path(path), town_id)


def sandbox(town_id: str | None = None) -> Sandbox:
    """The SQL workbench's sandbox for the live warehouse (one town's rows when `town_id` is given)."""
    w = warehouse()
    return _sandbox_at(str(w.path), w.version(), town_id)
