"""A damaged warehouse: `python -m etl verify` says so in Chinese and exits non-zero; the app shows
what to do (the rollback command) instead of a traceback; `etl rollback` works from a damaged file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import submissions
from etl.load import load
from etl.readers import LoadRefused
from etl.verify import verify
from tests.conftest import AS_OF, TINY

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _truncate(db: Path) -> None:
    with db.open("r+b") as fh:
        fh.truncate(1_000_000)  # the tiny warehouse is about 7 MB: most tables' blocks are gone


def _garbage(db: Path) -> None:
    db.write_bytes(b"\x00\xff not a warehouse " * 100_000)


def _zeroed(db: Path) -> None:
    with db.open("r+b") as fh:  # 500 KB of zeros in the middle: block checksums no longer match
        fh.seek(3_000_000)
        fh.write(b"\0" * 500_000)


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "zeroed": _zeroed}


@pytest.fixture
def two_loads(tmp_path, monkeypatch) -> tuple[Path, str, str]:
    """Two published versions; the live file is the second."""
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "store"))
    db = tmp_path / "warehouse.duckdb"
    first = load(TINY, db, as_of=AS_OF).load_id
    time.sleep(1.1)  # load ids carry the second
    second = load(TINY, db, as_of=AS_OF).load_id
    return db, first, second


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_verify_passes_a_published_file(two_loads):
    db, _, second = two_loads
    done = _cli("verify", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"装载 {second}" in done.stdout and "数据测试全部通过" in done.stdout


@pytest.mark.parametrize("damage", DAMAGE)
def test_verify_finds_the_damage_and_names_the_rollback(two_loads, damage):
    db, first, _ = two_loads
    DAMAGE[damage](db)
    done = _cli("verify", "--db", str(db))
    assert done.returncode == 1
    assert "校验值都不一致" in done.stderr
    # The second version is the live file's own hard link, damaged with it: the advice is the first.
    assert f"python -m etl rollback {first} --db {db}" in done.stderr
    assert "Traceback" not in done.stderr


def test_verify_without_checksums_still_finds_a_garbage_file(two_loads):
    db, _, _ = two_loads
    for recorded in (db.parent / "versions").glob("*.sha256"):
        recorded.unlink()
    _garbage(db)
    verdict = verify(db)
    assert not verdict.ok
    assert any("无法以只读方式打开" in p for p in verdict.problems)


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_app_shows_the_rollback_command_not_a_traceback(two_loads, monkeypatch, damage):
    db, first, _ = two_loads
    DAMAGE[damage](db)
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "仓库文件无法读取" in shown and f"python -m etl rollback {first}" in shown, shown
    assert "Traceback" not in shown


def test_rollback_works_from_a_damaged_live_file(two_loads):
    db, first, _ = two_loads
    _garbage(db)
    done = _cli("rollback", first, "--db", str(db))
    assert done.returncode == 0, done.stderr
    verdict = verify(db)
    assert verdict.ok and verdict.load_id == first, verdict.report()


def test_rollback_refuses_a_kept_version_that_is_damaged(two_loads):
    db, _, second = two_loads
    _zeroed(db)  # the live file and versions/<second>.duckdb are one file
    with pytest.raises(LoadRefused, match="已损坏"):
        submissions.rollback(db, second)
