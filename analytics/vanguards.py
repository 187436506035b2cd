"""The 先锋风采 page's headline: how many vanguards, which kinds are still missing, per 100 members."""

from __future__ import annotations

import polars as pl


def summary(kinds: pl.DataFrame, per_type: pl.DataFrame) -> dict:
    """From the six kinds' counts and the members by branch type of one town and year."""
    total = int(kinds["vanguards"].sum())
    members = int(per_type["members"].sum()) if per_type.height else 0
    missing = kinds.filter(pl.col("vanguards") == 0)["vanguard_kind"].to_list()
    return {
        "total": total,
        "missing": missing,
        "kinds": f"{kinds.height - len(missing)}/{kinds.height}",
        "per_100": f"{total * 100 / members:.1f}" if members else "无数据",
    }


def against_last_year(indicators: dict[str, dict], in_progress: bool) -> dict:
    """Deltas for the cards and the projection line, from v_town_indicators' rows of one town-year.

    A year in progress compares with the same date last year (同期: awards given by then), a finished
    one with last year's whole; each delta says which. The projection (vanguards per 100 at year end,
    by the season of past years' awards) carries the error the same method made in past years.
    """
    key, against = ("value_same_date_last_year", "比同期") if in_progress else ("value_last_year", "比上年")
    deltas = {}
    for code, fmt in (("vanguards_per_100", "{:+.1f}"), ("vanguard_kinds", "{:+.0f} 类")):
        row = indicators.get(code) or {}
        if row.get("value") is not None and row.get(key) is not None:
            deltas[code] = f"{fmt.format(row['value'] - row[key])}（{against}）"
    projection = None
    per_100 = indicators.get("vanguards_per_100") or {}
    if in_progress and per_100.get("projected_value") is not None:
        error = per_100.get("projection_error")
        band = f"，误差约 ±{error:.1f}" if error is not None else ""
        projection = f"年底预计每百名党员先锋数 {per_100['projected_value']:.1f}（按往年同期推算{band}）"
    return {"deltas": deltas, "projection": projection}
