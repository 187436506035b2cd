"""`python -m etl verify`: is the live warehouse the file that was published, and is it whole?

Checks, in order: the file is there; its SHA-256 is one recorded at publish (versions/<id>.sha256;
the loader writes it before the file goes live); it opens read-only; its structure version is the
one this code reads; every data test passes. Any failure names what to do, in Chinese: usually to
roll back to the newest kept version that is not the damaged file itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.datatests import run_data_tests
from etl.load import SCHEMA_VERSION, recorded_checksums, sha256, versions_dir


@dataclass
class Verdict:
    db_path: Path
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    load_id: str | None = None
    digest: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        lines = [f"通过  {p}" for p in self.passed] + [f"失败  {p}" for p in self.problems]
        if self.ok:
            lines.append(f"仓库文件“{self.db_path}”完好" + (f"（装载 {self.load_id}）。" if self.load_id else "。"))
        else:
            lines.append(recovery_advice(self.db_path))
        return "\n".join(lines)


def kept_versions(db_path: Path) -> list[Path]:
    """Kept versions, newest first (by load id, which starts with the time of the load)."""
    folder = versions_dir(db_path)
    return sorted(folder.glob("*.duckdb"), key=lambda p: p.stem, reverse=True) if folder.is_dir() else []


def rollback_candidates(db_path: Path) -> list[str]:
    """Kept versions other than the live file itself: a version hard-linked to the live file shares
    its bytes, and so its damage."""
    out = []
    for version in kept_versions(db_path):
        try:
            same = db_path.exists() and os.path.samefile(version, db_path)
        except OSError:
            same = False
        if not same:
            out.append(version.stem)
    return out


def recovery_advice(db_path: Path) -> str:
    candidates = rollback_candidates(db_path)
    if candidates:
        return (
            f"请恢复到保留的上一个版本：python -m etl rollback {candidates[0]} --db {db_path}"
            f"（可选版本：{'、'.join(candidates[:5])}），或重新装载数据。"
        )
    return f"没有可恢复的保留版本：请重新装载数据，例如 python -m etl load 数据目录 --db {db_path}。"


def verify(db_path: Path, *, data_tests: bool = True) -> Verdict:
    db_path = Path(db_path).resolve()
    verdict = Verdict(db_path)
    if not db_path.is_file():
        verdict.problems.append(f"找不到仓库文件“{db_path}”。")
        return verdict
    recorded = recorded_checksums(db_path)
    digest = verdict.digest = sha256(db_path)
    if digest in recorded:
        verdict.load_id = recorded[digest]
        verdict.passed.append(f"校验值与发布时记录的一致（装载 {verdict.load_id}）")
    elif recorded:
        verdict.problems.append("文件内容与发布时记录的校验值都不一致：文件在发布后被改动或已损坏。")
    else:
        verdict.passed.append("（没有发布时的校验值记录：此仓库由旧版本装载，跳过校验值比对）")
    try:
        con = duckdb.connect()
        try:
            con.execute("attach ? as warehouse (read_only)", [str(db_path)]).fetchall()
            con.execute("use warehouse").fetchall()
            version = con.execute("select max(schema_version) from warehouse_info").fetchall()[0][0]
        finally:
            con.close()
    except duckdb.Error as exc:
        verdict.problems.append(f"无法以只读方式打开仓库文件（{type(exc).__name__}）：文件已损坏或不是仓库文件。")
        return verdict
    verdict.passed.append("以只读方式打开")
    if version != SCHEMA_VERSION:
        verdict.problems.append(f"结构版本为 {version}，当前程序需要 {SCHEMA_VERSION}：请重新装载。")
        return verdict
    verdict.passed.append(f"结构版本 {SCHEMA_VERSION}")
    if data_tests:
        try:
            results = run_data_tests(db_path)
        except duckdb.Error as exc:
            verdict.problems.append(f"数据测试无法运行（{type(exc).__name__}）：文件已损坏。")
            return verdict
        failed = [r.name for r in results if not r.passed]
        if failed:
            verdict.problems.append(f"数据测试未通过：{'、'.join(failed)}（详见 python -m etl datatest）。")
        else:
            verdict.passed.append(f"{len(results)} 项数据测试全部通过")
    return verdict
