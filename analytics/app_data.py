"""Streamlit glue for the read side: one cached Warehouse per process, results cached per version.

Results are keyed on the warehouse version, so a new publish is a cache miss on the next rerun
and nobody has to restart the app to see a new load.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.warehouse import Warehouse, WarehouseMissing

__all__ = ["WarehouseMissing", "query", "warehouse"]


@st.cache_resource
def warehouse() -> Warehouse:
    return Warehouse()


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(name: str, version: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    return warehouse().query(name, **dict(params))


def query(name: str, **params: object) -> pl.DataFrame:
    """A named query's result as a polars frame, cached until the next publish."""
    w = warehouse()
    return _cached(name, w.version(), tuple(sorted(params.items())))
