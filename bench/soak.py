"""`make soak`: the app under steady use while the warehouse is republished, for half an hour.

SESSIONS visitor processes each run the overview page through Streamlit's AppTest, again and again (a
fresh session each time, as visitors come and go; AppTest's runtime is one per process, so visitors
are processes, not threads), while a loader process publishes a new warehouse every
PUBLISH_EVERY seconds, alternating two versions of the tiny fixture. Reported, and checked:
- errors: any exception in a page run, or any page run that raised (target: zero);
- memory: each visitor's resident size after every page run; the mean of its last tenth of runs
  against the mean of its second tenth (after warm-up) (target: within 10 %, for every visitor);
- every publish visible: for each publish, some page run that started after it (and before the next)
  shows that version's figure. Version A is tests/fixtures/tiny: 西湖乡 (T2) has one member in 2024
  (M5, fixture README); version B adds M7 to T2's organisation O6, joined 2020: two members.

Usage: python -m bench.soak [minutes] (default 30; SESSIONS and PUBLISH_EVERY from the environment).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TINY = ROOT / "tests" / "fixtures" / "tiny"
SESSIONS = int(os.environ.get("SESSIONS", "4"))
PUBLISH_EVERY = float(os.environ.get("PUBLISH_EVERY", "30"))
MEMBERS = {"a": "1", "b": "2"}  # 党员数 of T2 in 2024, by hand (see the docstring)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _sources(root: Path) -> dict[str, Path]:
    a, b = root / "a", root / "b"
    shutil.copytree(TINY, a)
    shutil.copytree(TINY, b)
    members = b / "members.csv"
    members.write_text(members.read_text(encoding="utf-8") + "M7,孙八,O6,女,1990-01-01,2020-07-01,否\n", "utf-8")
    return {"a": a, "b": b}


def _load(source: Path, db: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "etl", "load", str(source), "--db", str(db), "--as-of", "2025-11-20"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _visit(results, stop, n: int) -> None:
    """One visitor process: page runs until told to stop; each run's times, figure and RSS go back."""
    while not stop.is_set():
        started = time.time()
        shown = None
        try:
            at = AppTest.from_file(APP, default_timeout=120)
            at.query_params["town"] = "T2"
            at.query_params["year"] = "2024"
            at.run()
            if at.exception:
                results.put("; ".join(str(e.value)[:200] for e in at.exception))
            shown = {m.label: m.value for m in at.metric}.get("党员数")
        except Exception as exc:  # every failure is a finding; keep visiting
            results.put(f"{type(exc).__name__}: {exc}"[:300])
        results.put((n, started, time.time(), shown, _rss_mb()))
    results.put((n, -1.0, -1.0, None, 0.0))  # done


def soak(minutes: float) -> dict:
    root = Path(tempfile.mkdtemp(prefix="soak-"))
    sources, db = _sources(root), root / "warehouse.duckdb"
    _load(sources["a"], db)
    os.environ["WAREHOUSE_PATH"] = str(db)
    os.environ["AUDIT_LOG"] = str(root / "audit.jsonl")
    os.environ["USERS_FILE"] = str(root / "users.json")
    stop_publishing = threading.Event()
    errors: list[str] = []
    publishes: list[tuple[float, str]] = [(time.time(), "a")]

    def publisher() -> None:
        version, due = "a", time.monotonic()
        # On a fixed beat (every PUBLISH_EVERY s from the start), whatever a load takes.
        while not stop_publishing.wait(max(0.0, (due := due + PUBLISH_EVERY) - time.monotonic())):
            version = "b" if version == "a" else "a"
            try:
                _load(sources[version], db)
                publishes.append((time.time(), version))
            except subprocess.CalledProcessError as exc:
                errors.append(f"load failed: {exc.stderr.decode(errors='replace')[-300:]}")

    context = multiprocessing.get_context("spawn")
    results, stop = context.Queue(), context.Event()
    visitors = [context.Process(target=_visit, args=(results, stop, n)) for n in range(SESSIONS)]
    publishing = threading.Thread(target=publisher)
    started = time.time()
    for v in visitors:
        v.start()
    publishing.start()
    time.sleep(minutes * 60)
    stop_publishing.set()
    publishing.join()
    time.sleep(30)  # visitors go on a little, so that the last publish has runs that can see it
    stop.set()
    runs: list[tuple[int, float, float, str | None, float]] = []  # (visitor, started, ended, 党员数, RSS MB)
    while len([r for r in runs if r[1] < 0]) < SESSIONS:
        item = results.get(timeout=600)
        if isinstance(item, str):
            errors.append(item)
        else:
            runs.append(item)
    for v in visitors:
        v.join()
    runs = [r for r in runs if r[1] >= 0]
    ended = time.time()

    # A publish is seen when a run that started after it ended before the next one, showing its figure.
    unseen = []
    bounds = [*publishes[1:], (ended, "")]
    for (at, version), (until, _) in zip(publishes, bounds, strict=True):
        if not any(s >= at and e <= until and shown == MEMBERS[version] for _, s, e, shown, _ in runs):
            unseen.append(round(at - started))
    growth, after_warm_up, last = [], [], []
    for n in range(SESSIONS):
        rss = [r[4] for r in runs if r[0] == n]
        window = max(1, len(rss) // 10)
        early, late = rss[window : 2 * window] or rss, rss[-window:]
        after_warm_up.append(statistics.mean(early))
        last.append(statistics.mean(late))
        growth.append(last[-1] / after_warm_up[-1] - 1)
    report = {
        "minutes": round((ended - started) / 60, 1),
        "sessions": SESSIONS,
        "page_runs": len(runs),
        "page_run_median_s": round(statistics.median(e - s for _, s, e, _, _ in runs), 2) if runs else None,
        "errors": len(errors),
        "first_errors": errors[:5],
        "publishes": len(publishes) - 1,
        "publishes_not_seen": unseen,
        "rss_mb_after_warm_up": [round(m, 1) for m in after_warm_up],
        "rss_mb_at_end": [round(m, 1) for m in last],
        "rss_growth": [round(g, 3) for g in growth],
        "load_average": os.getloadavg(),
    }
    report["passed"] = not errors and not unseen and max(map(abs, growth)) <= 0.10 and report["publishes"] > 0
    shutil.rmtree(root, ignore_errors=True)
    return report


def main(argv: list[str]) -> int:
    minutes = float(argv[0]) if argv else 30.0
    report = soak(minutes)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
