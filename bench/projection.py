"""Is the year-end projection right? The check of issue 16's "Done when", rerunnable.

For each seed and county profile (etl/demo.py PROFILES): generate the county, load it as it stood
on 30 September and, from the same seed, as it stood on 31 December with its assessment; then set
what the autumn warehouse projected for each town against what the year-end warehouse measured:
fulfilment rate, members' fulfilment rate, vanguards per 100 members, score and status, and the
band the pages show (误差约 ±…) beside the error really made.

    python -m bench.projection --seeds 1 2 3 4 5 --profiles default late wobbly small [--towns]

Targets (the issue's Done when): fulfilment within 6 points on average and 15 for the worst town;
vanguards per 100 within 15 % (worst town); projected status = earned status for all but at most
one town in eight.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from etl.demo import PROFILES, generate
from etl.load import load

RATES = ("fulfilment_rate", "member_fulfilment_rate")
COMPARED = (*RATES, "vanguards_per_100")
TARGETS = {"fulfilment_mean_pp": 6.0, "fulfilment_worst_pp": 15.0, "vanguards_worst_pct": 15.0}


@dataclass(frozen=True)
class Pair:
    """One county as it stood in the autumn and at the end of the same year."""

    seed: int
    profile: str
    year: int
    autumn_db: Path
    year_end_db: Path


def build_pair(seed: int, profile: str, work: Path, year: int = 2026, autumn: tuple[int, int] = (9, 30)) -> Pair:
    """Generate and load the county twice: as of the autumn date and as of 31 December (same seed,
    so the same world). The files are kept and reused (generation is deterministic); the
    warehouses are always reloaded, so they follow the current views."""
    dbs = {}
    for tag, as_of in (("autumn", dt.date(year, *autumn)), ("year_end", dt.date(year, 12, 31))):
        folder = work / f"{profile}-{seed}-{as_of:%m%d}"
        if not (folder / "towns.xlsx").is_file():
            generate(folder, "county", seed, as_of, profile)
        dbs[tag] = work / f"{profile}-{seed}-{as_of:%m%d}.duckdb"
        load(folder, dbs[tag], as_of=as_of, loaded_by="bench.projection")
    return Pair(seed, profile, year, dbs["autumn"], dbs["year_end"])


def _read(db: Path, sql: str, year: int) -> pl.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql, params=[year]).pl()


def town_rows(autumn_db: Path, year_end_db: Path, year: int) -> pl.DataFrame:
    """Per town: projected (in the autumn) and real (at year end) value of each compared indicator,
    score and status, with the band the autumn pages showed for each."""
    indicators = ", ".join(f"'{i}'" for i in COMPARED)  # constants of this module, not input
    projected = _read(
        autumn_db,
        f"select town_id, town_name, indicator, projected_value, projection_error from v_town_indicators "
        f"where year = ? and indicator in ({indicators})",
        year,
    )
    real = _read(
        year_end_db,
        f"select town_id, indicator, value from v_town_indicators where year = ? and indicator in ({indicators})",
        year,
    )
    wide = projected.join(real, on=["town_id", "indicator"], how="inner").pivot(
        on="indicator", index=["town_id", "town_name"], values=["projected_value", "value", "projection_error"]
    )
    wide = wide.rename(
        {
            f"{kind}_{ind}": f"{ind}_{name}"
            for ind in COMPARED
            for kind, name in (("projected_value", "projected"), ("value", "real"), ("projection_error", "band"))
        }
    )
    scores = _read(
        autumn_db,
        "select town_id, projected_score as score_projected, projected_status as status_projected, "
        "projected_score_error as score_band from v_readiness where year = ?",
        year,
    ).join(
        _read(
            year_end_db,
            "select town_id, score as score_real, status as status_real from v_readiness where year = ?",
            year,
        ),
        on="town_id",
        how="inner",
    )
    return wide.join(scores, on="town_id", how="inner").sort("town_id")


def summary(rows: pl.DataFrame) -> dict[str, float]:
    """The Done when's figures for one county: errors of the rates in percentage points, of
    vanguards per 100 in per cent of the real value, of the score in points; status matches; and
    each band (the backtest's mean error shown on the pages) beside the mean error really made."""
    out: dict[str, float] = {"towns": rows.height}
    for ind in RATES:
        err = ((rows[f"{ind}_projected"] - rows[f"{ind}_real"]).abs() * 100).to_list()
        out[f"{ind}_mean_pp"] = statistics.fmean(err)
        out[f"{ind}_worst_pp"] = max(err)
        out[f"{ind}_band_pp"] = float(rows[f"{ind}_band"][0]) * 100
    v = rows.filter(pl.col("vanguards_per_100_real") > 0)
    rel = (
        (v["vanguards_per_100_projected"] - v["vanguards_per_100_real"]).abs() / v["vanguards_per_100_real"] * 100
    ).to_list()
    out["vanguards_mean_pct"] = statistics.fmean(rel)
    out["vanguards_worst_pct"] = max(rel)
    abs_v = (rows["vanguards_per_100_projected"] - rows["vanguards_per_100_real"]).abs().to_list()
    out["vanguards_mean_abs"] = statistics.fmean(abs_v)
    out["vanguards_band_abs"] = float(rows["vanguards_per_100_band"][0])
    score_err = (rows["score_projected"] - rows["score_real"]).abs().to_list()
    out["score_mean"] = statistics.fmean(score_err)
    out["score_worst"] = max(score_err)
    out["score_band"] = float(rows["score_band"][0])
    out["status_matched"] = int((rows["status_projected"] == rows["status_real"]).sum())
    out["status_allowed_misses"] = rows.height // 8  # "all but at most one town in eight"
    return out


def met(s: dict[str, float]) -> dict[str, bool]:
    """Which of the Done when's targets one county meets."""
    return {
        "fulfilment_mean": s["fulfilment_rate_mean_pp"] <= TARGETS["fulfilment_mean_pp"],
        "fulfilment_worst": s["fulfilment_rate_worst_pp"] <= TARGETS["fulfilment_worst_pp"],
        "vanguards_worst": s["vanguards_worst_pct"] <= TARGETS["vanguards_worst_pct"],
        "status": s["towns"] - s["status_matched"] <= s["status_allowed_misses"],
    }


def town_table(rows: pl.DataFrame) -> str:
    lines = [
        f"{'乡镇':<8}{'兑现率 推算/实际':>18}{'党员兑现率':>16}{'每百名先锋':>14}{'得分':>14}  等级 推算/实际",
    ]
    for r in rows.iter_rows(named=True):
        lines.append(
            f"{r['town_name']:<8}"
            f"{r['fulfilment_rate_projected'] * 100:>9.1f}/{r['fulfilment_rate_real'] * 100:<6.1f}"
            f"{r['member_fulfilment_rate_projected'] * 100:>9.1f}/{r['member_fulfilment_rate_real'] * 100:<6.1f}"
            f"{r['vanguards_per_100_projected']:>8.2f}/{r['vanguards_per_100_real']:<6.2f}"
            f"{r['score_projected']:>7.1f}/{r['score_real']:<6.1f}"
            f"  {r['status_projected']}/{r['status_real']}"
        )
    return "\n".join(lines)


def summary_line(label: str, s: dict[str, float]) -> str:
    ok = met(s)
    flags = " ".join(f"{k}{'✓' if v else '✗'}" for k, v in ok.items())
    return (
        f"{label:<16} 兑现率 {s['fulfilment_rate_mean_pp']:4.1f}/{s['fulfilment_rate_worst_pp']:4.1f} 点"
        f"（带 ±{s['fulfilment_rate_band_pp']:.1f}）"
        f" 党员 {s['member_fulfilment_rate_mean_pp']:4.1f}/{s['member_fulfilment_rate_worst_pp']:4.1f}"
        f" 先锋 {s['vanguards_mean_pct']:4.1f}/{s['vanguards_worst_pct']:4.1f}%"
        f"（{s['vanguards_mean_abs']:.2f} 带 ±{s['vanguards_band_abs']:.2f}）"
        f" 得分 {s['score_mean']:4.1f}/{s['score_worst']:4.1f}（带 ±{s['score_band']:.1f}）"
        f" 等级 {s['status_matched']}/{s['towns']}  {flags}"
    )


def aggregate(summaries: list[dict[str, float]]) -> dict[str, float]:
    """Mean of each figure over counties; worst-of figures as the worst county's; status as totals."""
    out = {k: statistics.fmean(s[k] for s in summaries) for k in summaries[0]}
    for k in summaries[0]:
        if k.endswith("_worst_pp") or k.endswith("_worst_pct") or k == "score_worst":
            out[k] = max(s[k] for s in summaries)
    for k in ("towns", "status_matched", "status_allowed_misses"):
        out[k] = sum(s[k] for s in summaries)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.projection", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 2024])
    parser.add_argument("--profiles", nargs="+", choices=list(PROFILES), default=list(PROFILES))
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-projection"))
    parser.add_argument("--towns", action="store_true", help="print every town's row")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    by_profile: dict[str, list[dict[str, float]]] = {}
    for profile in args.profiles:
        for seed in args.seeds:
            pair = build_pair(seed, profile, args.work, args.year)
            rows = town_rows(pair.autumn_db, pair.year_end_db, args.year)
            s = summary(rows)
            by_profile.setdefault(profile, []).append(s)
            if args.towns:
                print(f"\n== {profile} seed {seed} ==\n{town_table(rows)}")
            print(summary_line(f"{profile} {seed}", s), flush=True)
    print("\n平均（worst 为各县中最差者；等级为合计）")
    everything = []
    for profile, summaries in by_profile.items():
        everything += summaries
        print(summary_line(profile, aggregate(summaries)))
    print(summary_line("全部", aggregate(everything)))
    misses = sum(not all(met(s).values()) for s in everything)
    print(f"达到全部目标的县：{len(everything) - misses}/{len(everything)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
