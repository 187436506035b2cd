"""`make bench`'s serving section: warm page runs, many sessions on one process and on two replicas
behind nginx, memory per idle session, a replica killed mid-run, publishes during a run.

Everything is measured in one run on this machine, with protocol-level sessions (bench/load.py).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import threading
import time
from pathlib import Path

from bench.load import PAGES, Session, load, server_processes
from bench.serving import serve
from deploy.cluster import cluster
from etl.load import load as etl_load

SESSIONS = (1, 10, 25, 50)
THINKS = (0.5, 5.0)
DURATION_S = 30
WARM_REPEATS = 7


def _towns_years(db: Path) -> tuple[list[str], list[int]]:
    from analytics.warehouse import open_read_only

    con = open_read_only(db)
    try:
        towns = [t for (t,) in con.sql("select town_id from towns order by town_id").fetchall()]
        years = [y for (y,) in con.sql("select distinct year from v_reporting_years order by year").fetchall()]
    finally:
        con.close()
    return towns, years


def warm_runs(url: str, town: str, year: int) -> dict[str, float]:
    """The median time of a page's run once its queries are cached (one session, one process)."""

    async def measure() -> dict[str, float]:
        session = Session(url)
        await session.open()
        found = {}
        for page in PAGES:
            query = f"town={town}&year={year}"
            await session.run(page, query)  # the first: queries and figures computed
            times = [(await session.run(page, query)).seconds for _ in range(WARM_REPEATS)]
            found[page or "overview"] = statistics.median(times)
        await session.close()
        return found

    return asyncio.run(measure())


def idle_memory(url: str, town: str, year: int, sessions: int = 20) -> float:
    """Resident MB added per session that opened one page and then sits idle."""

    async def measure() -> float:
        before = sum(rss for _, rss in server_processes("streamlit run").values())
        opened = []
        for _ in range(sessions):
            session = Session(url)
            await session.open()
            await session.run("", f"town={town}&year={year}")
            opened.append(session)
        await asyncio.sleep(2)
        after = sum(rss for _, rss in server_processes("streamlit run").values())
        for session in opened:
            await session.close()
        return (after - before) / sessions / 2**20

    return asyncio.run(measure())


def _load(url: str, sessions: int, think: float, towns: list[str], years: list[int], duration: float = DURATION_S):
    return asyncio.run(load(url, sessions, duration, think, towns, years))


def measure(db: Path, source: Path) -> dict:
    """All of the section's figures for the warehouse `db` (loaded from `source`)."""
    towns, years = _towns_years(db)
    town, year = towns[len(towns) // 2], years[-1]
    found: dict = {"one": {}, "two": {}}
    with serve(db) as url:
        found["warm"] = warm_runs(url, town, year)
        found["idle_mb_per_session"] = idle_memory(url, town, year)
        for think in THINKS:
            for n in SESSIONS:
                found["one"][f"{n}@{think}"] = _load(url, n, think, towns, years)
    with cluster(db, replicas=2, run_dir=db.parent / "run") as running:
        for think in THINKS:
            for n in SESSIONS:
                found["two"][f"{n}@{think}"] = _load(running.url, n, think, towns, years)
        found["killed"] = _killed_mid_run(running, towns, years)
        found["publishes"] = _publishing(running, db, source, towns, years)
    return found


def _killed_mid_run(running, towns: list[str], years: list[int]) -> dict:
    """10 sessions for 30 s; one replica killed at 10 s (and started again by nobody)."""
    timer = threading.Timer(10, running.kill_replica, args=(0,))
    timer.start()
    report = _load(running.url, 10, 0.5, towns, years)
    timer.join()
    running.restart_dead()
    running.wait_healthy(0)
    return report


def _publishing(running, db: Path, source: Path, towns: list[str], years: list[int]) -> dict:
    """10 sessions for 90 s while the warehouse is published again every 30 s."""
    copy = db.parent / "publish-source"
    if not copy.exists():
        shutil.copytree(source, copy)
    stop = threading.Event()
    published = []

    def publisher() -> None:
        while not stop.wait(30):
            started = time.monotonic()
            etl_load(copy, db)
            published.append(time.monotonic() - started)

    thread = threading.Thread(target=publisher)
    thread.start()
    report = _load(running.url, 10, 0.5, towns, years, duration=90)
    stop.set()
    thread.join()
    report["publishes"] = len(published)
    return report


def table(found: dict) -> list[str]:
    lines = ["", "## Serving (county, protocol-level sessions; `bench/serving_bench.py`)", ""]
    lines += ["Warm page run, median of 7 (one session, one process, queries cached):", ""]
    lines += ["| page | warm run (s) | target ≤ 0.08 |", "|---|---|---|"]
    for page, seconds in found["warm"].items():
        lines.append(f"| {page} | {seconds:.3f} | {'✓' if seconds <= 0.08 else '✗'} |")
    lines += [
        "",
        f"Memory per idle session after its first page: {found['idle_mb_per_session']:.1f} MB (target ≤ 15).",
        "",
    ]
    lines += [
        "| sessions @ think (s) | one process: runs/s, p95 s, errors | two replicas + nginx: runs/s, p95 s, errors |"
    ]
    lines += ["|---|---|---|"]
    for key in found["one"]:
        one, two = found["one"][key], found["two"][key]
        lines.append(
            f"| {key} | {one['runs_per_s']:.2f}, {one['p95_s']:.2f}, {one['errors']} | "
            f"{two['runs_per_s']:.2f}, {two['p95_s']:.2f}, {two['errors']} |"
        )
    killed, publishes = found["killed"], found["publishes"]
    lines += [
        "",
        f"A replica killed 10 s into a 30 s run of 10 sessions: {killed['runs']} runs, {killed['errors']} errors "
        f"(each session reconnects once), p95 {killed['p95_s']:.2f} s.",
        f"Publishing every 30 s during 90 s of 10 sessions: {publishes['publishes']} publishes, {publishes['runs']} "
        f"runs, {publishes['errors']} errors, p95 {publishes['p95_s']:.2f} s.",
    ]
    return lines


def main() -> int:
    """`python -m bench.serving_bench`: this section alone, on the county demo."""
    from bench.__main__ import warehouse_for
    from bench.etl_load import data_for

    db = warehouse_for("county")
    print("\n".join(table(measure(db, data_for("county", db.parent)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
