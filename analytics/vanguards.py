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
