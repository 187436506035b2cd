"""The layers are kept by import-linter's contracts (pyproject.toml), not by habit: the tree as it is
keeps them all, and each contract fails when one import breaks it (tried on a copy of the tree)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["etl", "analytics", "ui", "access", "workbench", "app_pages"]
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT, "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_tree_keeps_every_contract(tree):
    done = _lint(tree)
    assert done.returncode == 0, done.stdout
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("etl/contract.py", "import analytics.labels", "etl, the one writer, imports none of the read side"),
        ("analytics/charts.py", "import streamlit", "analytics imports no Streamlit, ui, access, workbench or page"),
        ("analytics/labels.py", "import ui.page", "analytics imports no Streamlit, ui, access, workbench or page"),
        ("access/audit.py", "import ui.chart_view", "access and workbench import no page and no ui"),
        ("workbench/queries.py", "import app_pages.overview", "access and workbench import no page and no ui"),
        ("app_pages/overview.py", "import duckdb", "pages import no duckdb and no etl"),
        ("app_pages/compare.py", "from etl import contract", "pages import no duckdb and no etl"),
    ],
)
def test_each_contract_fails_when_broken(tree, module, line, contract):
    path = tree / module
    kept = path.read_text(encoding="utf-8")
    path.write_text(f"{line}  # noqa\n{kept}", encoding="utf-8")
    try:
        done = _lint(tree)
    finally:
        path.write_text(kept, encoding="utf-8")
    assert done.returncode != 0
    assert "1 broken" in done.stdout
    broken = [row.removesuffix(" BROKEN") for row in done.stdout.splitlines() if row.endswith(" BROKEN")]
    assert broken == [contract], done.stdout
