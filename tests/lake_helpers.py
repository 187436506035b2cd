"""Tiny counties for the lake and Spark tests: the tiny fixture again under another county name,
every id prefixed (T1 → BT1, O3 → BO3, …) so that several can share a lake or one load folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

TINY = Path(__file__).parent / "fixtures" / "tiny"
_ID = re.compile(r"(?<![A-Za-z0-9])([TOMPA]\d+)(?![0-9])")


def tiny_county(target: Path, prefix: str = "", county: str = "示范县") -> Path:
    """A copy of the tiny fixture as another county: ids prefixed, 示范县 renamed."""
    target.mkdir(parents=True, exist_ok=True)
    for path in TINY.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        if prefix:
            header, _, body = text.partition("\n")
            text = header + "\n" + _ID.sub(lambda m: prefix + m.group(1), body)
        (target / path.name).write_text(text.replace("示范县", county), encoding="utf-8")
    return target


def union_folder(target: Path, *folders: Path) -> Path:
    """One load folder holding the rows of several (a province's files are its counties' together)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(folders[0].glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for other in folders[1:]:
            lines += (other / path.name).read_text(encoding="utf-8").splitlines()[1:]
        (target / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
