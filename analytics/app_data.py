"""Streamlit glue for the read side: one cached Warehouse per process, results cached per version.

Results are keyed on the warehouse version, so a new publish is a cache miss on the next rerun
and nobody has to restart the app to see a new load.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.warehouse import Warehouse, WarehouseUnusable, warehouse_path

__all__ = ["WarehouseUnusable", "query", "warehouse"]


@st.cache_resource
def _warehouse_at(path: str) -> Warehouse:
    return Warehouse(path)


def warehouse() -> Warehouse:
    """The process's one read-only Warehouse for the configured path (WAREHOUSE_PATH)."""
    return _warehouse_at(str(warehouse_path()))


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(path: str, name: str, version: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    return _warehouse_at(path).query(name, **dict(params))


def query(name: str, **params: object) -> pl.DataFrame:
    """A named query's result as a polars frame, cached until the next publish."""
    w = warehouse()
    return _cached(str(w.path), name, w.version(), tuple(sorted(params.items())))
