"""The 数据导入 page's door to the write side (pages import no etl): check, preview, publish, history.

Every refusal comes back as text the page shows in the open, in the clerk's terms, with what to do next.
"""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.times import TIME_COLUMN, beijing_time
from etl import submissions
from etl.contract import FILES
from etl.load import ROOT
from etl.readers import LoadRefused
from etl.submissions import LARGE_REMOVAL_SHARE, SUBMITTABLE, FilePreview, Preview, rejects_workbook
from ui.page import XLSX

TEMPLATES = ROOT / "data" / "templates"
MAX_UPLOAD_MB = submissions.MAX_UPLOAD_BYTES >> 20
MODE_CHOICES = {
    "merge": "补充修正（推荐）：按编号新增或更新，不删除任何现有记录",
    "replace": "整表替换：文件所含年度的本类记录以此文件为准，文件中没有的将被删除",
}
MODE_HELP = (
    "补充修正适合报送本月新增的记录或修改个别记录。整表替换只影响文件里出现的年度"
    "（例如只含 2026 年的表彰文件不会动 2024、2025 年的记录）；党组织和党员名册没有年度，替换的是全部。"
    f"删除超过本乡镇同类记录 {LARGE_REMOVAL_SHARE:.0%} 的替换需要县级账号。"
)
REJECT_COLUMNS = {"row_number": "行号", "column_name": "列", "value": "填写的值", "reason": "问题"}
REMOVAL_COLUMNS = {"kind": "数据", "year": "年度", "record": "编号", "reason": "删除原因"}


def template_buttons() -> None:
    """The blank XLSX templates (with a 填写说明 sheet) of the five files a township submits.

    In a row that wraps, so that no name is cut at 1024 px (five equal columns cut "党组织模板").
    """
    row = st.container(horizontal=True)
    for kind in SUBMITTABLE:
        label = FILES[kind].label
        row.download_button(
            f"{label}模板",
            (TEMPLATES / f"{kind}.xlsx").read_bytes(),
            f"{label}模板.xlsx",
            XLSX,
            key=f"template-{kind}",
            icon=":material/download:",
        )


class ChildDied(Exception):
    """The check or publish process ended without an answer (killed, out of memory, a bug)."""


def apart(name: str, *args, **kwargs):
    """The write side's `submissions.<name>(*args, **kwargs)`, run in a fresh process (etl/apart.py);
    its result comes back, and so does a refusal (LoadRefused); any other failure is raised here.

    Why: the checks clean and type cells with Python functions inside polars expressions
    (etl/normalise.py), which polars runs on its worker threads. In the server's process those
    workers would wait for the GIL while another session's thread holds it waiting for the same
    workers (st.dataframe's to_pandas does), and every session would freeze; seen with py-spy under
    50 sessions (polars issue 26821). A process of its own also gives a province-sized file's memory
    back when it ends. It costs about a second of start-up per check or publish.
    """
    with tempfile.TemporaryDirectory(prefix="submission-") as folder:
        request, answer = Path(folder) / "in", Path(folder) / "out"
        request.write_bytes(pickle.dumps((name, args, kwargs)))
        done = subprocess.run(
            [sys.executable, "-m", "etl.apart", str(request), str(answer)], cwd=ROOT, capture_output=True
        )
        if done.returncode != 0 or not answer.exists():
            said = done.stderr.decode(errors="replace")[-2000:]
            raise ChildDied(f"process ended with {done.returncode}: {said}")
        status, value = pickle.loads(answer.read_bytes())  # written by our own child, from our own code
    if status == "refused":
        raise value
    return value


def check(db: Path, town_id: str, files: list, mode: str) -> tuple[Preview | None, str | None]:
    """(preview, None), or (None, why the files cannot be used and what to do): nothing is published."""
    try:
        uploads = [submissions.Upload(f.name, f.getvalue()) for f in files]
        return apart("prepare", db, town_id, uploads, mode=mode), None
    except LoadRefused as refused:
        return None, f"未提交，现有数据保持不变。{refused}"
    except ChildDied:
        return None, (
            "检查中断（检查进程意外结束），未提交，现有数据保持不变。"
            "请稍后重试；如反复出现，请联系管理员查看服务器日志。"
        )


def cancel(preview: Preview) -> None:
    submissions.cancel(preview)


def blocking(preview: Preview, confirmed: bool, county: bool) -> list[str]:
    """What stands between this preview and 发布, in the clerk's terms (empty: it may be published)."""
    return submissions.publishing_refusals(preview, preview.removals.height if confirmed else None, county)


def publish(
    db: Path, preview: Preview, who: str, confirmed: bool, county: bool, as_of: dt.date | None = None
) -> tuple[str | None, str | None]:
    """(load id, None) once published, or (None, why not and what to do); refused leaves everything as it was."""
    try:
        load_id = apart(
            "commit",
            db,
            preview.town_id,
            preview.staging,
            who=who,
            as_of=as_of,
            removals_confirmed=preview.removals.height if confirmed else None,
            county=county,
        )
    except LoadRefused as refused:
        return None, f"未发布，现有数据保持不变。{refused}"
    except ChildDied:
        # publishing replaces the live file in one step: it is wholly old or wholly new; say how to know which
        return None, (
            "发布中断（发布进程意外结束）。仓库要么保持原样，要么已完整发布本次提交："
            "请在下方“提交记录”中查看是否有本次提交，没有则重新发布。"
        )
    return load_id, None


def show_file(preview: FilePreview, town_name: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{preview.file}** · {preview.label} · {preview.mode_label}")
        cells = st.columns(6)
        for cell, (label, value) in zip(
            cells,
            [
                ("读取行数", preview.rows_read),
                ("将入库", preview.rows_loaded),
                ("有问题", preview.rows_rejected),
                ("新增", preview.added),
                ("修改", preview.changed),
                ("删除", preview.removed),
            ],
            strict=True,
        ):
            cell.metric(label, f"{value:,}")
        if preview.mode == "replace" and preview.years:
            st.caption(f"整表替换只涉及文件中的年度：{'、'.join(map(str, preview.years))} 年；其他年度的记录不变。")
        if preview.absent:
            st.caption(f"文件中没有这些列，现有记录的这些列保持原值：{'、'.join(preview.absent)}。")
        if preview.rejects.height:
            st.markdown(f"有问题的 {preview.rows_rejected} 行不会入库（现有的同编号记录保持不变）：")
            shown = preview.rejects.with_columns(  # the clerk's header only: 出生日期, not 出生日期(birth_date)
                pl.col("column_name").str.replace(r"\([a-z_]+\)$", "")
            ).select([pl.col(c).alias(label) for c, label in REJECT_COLUMNS.items()])
            st.dataframe(shown, hide_index=True, width="stretch")
            st.download_button(
                f"下载有问题的 {preview.rows_rejected} 行（XLSX，含问题说明）",
                lambda: rejects_workbook(preview),  # written on the click, not on every rerun
                f"{preview.label}-问题行-{town_name}.xlsx",
                XLSX,
                on_click="ignore",
                key=f"rejects-{preview.file}",
                icon=":material/download:",
                help="在 Excel 或 WPS 中按“问题说明”改好后，直接上传这个文件即可（只更新这些行）",
            )


def show(preview: Preview) -> None:
    for file in preview.files:
        show_file(file, preview.town_name)
    for reason in preview.refusals():
        st.error(reason, icon=":material/block:")


def removal_confirmation(preview: Preview) -> bool:
    """The deletion list by key with counts per year, and the second confirmation; True when confirmed."""
    gone = preview.removals
    if not gone.height:
        return False
    counts = "；".join(
        f"{r['kind']}{'' if r['year'] is None else ' ' + str(r['year']) + ' 年'} {r['rows']} 条"
        for r in preview.removed_by_year().iter_rows(named=True)
    )
    st.warning(f"发布后将删除{preview.town_name}现有的 {gone.height} 条记录：{counts}。请核对下面的删除清单。")
    st.dataframe(gone.select([pl.col(c).alias(v) for c, v in REMOVAL_COLUMNS.items()]), hide_index=True)
    return st.checkbox(
        f"我已核对删除清单，确认删除这 {gone.height} 条记录（发布后仍可由县级账号回滚）",
        key=f"import_confirm_{preview.staging.name}",
    )


def history_table(entries: list[dict], names: dict[str, str]) -> pl.DataFrame:
    rows = []
    for e in entries:
        if e["event"] == "rollback":
            rows.append(
                {
                    TIME_COLUMN: beijing_time(e["at"]),
                    "操作": f"回滚到 {e['to']}",
                    "方式": "",
                    "乡镇": "",
                    "提交人": e["who"],
                    "文件": "",
                }
            )
            continue
        files = "；".join(
            f"{f['file']}（{f['rows_read']} 行，入库 {f['rows_loaded']}，问题 {f['rows_rejected']}，"
            f"SHA-256 {f['sha256'][:12]}…）"
            for f in e["files"]
        )
        modes = sorted({submissions.MODES.get(f.get("mode"), "") for f in e["files"]} - {""})
        removed = f"，删除 {e['removed']} 条" if e.get("removed") else ""
        rows.append(
            {
                TIME_COLUMN: beijing_time(e["at"]),
                "操作": f"{'全量装载' if e['event'] == 'load' else '提交'} {e['load_id']}",
                "方式": ("、".join(modes) + removed) if modes else ("全量装载" if e["event"] == "load" else ""),
                "乡镇": names.get(e["town_id"], e["town_id"]) if e["town_id"] else "全部",
                "提交人": e["who"],
                "文件": files,
            }
        )
    # Who, where and how first: the load id is long and goes last, where a narrow screen scrolls to it
    order = [TIME_COLUMN, "乡镇", "方式", "提交人", "文件", "操作"]
    return pl.DataFrame(rows).select(order) if rows else pl.DataFrame()


def history(db: Path, town_id: str | None, names: dict[str, str]) -> pl.DataFrame | None:
    """Loads, submissions and rollbacks, newest first (a town sees its own submissions only)."""
    entries = [e for e in submissions.history(db) if town_id is None or e.get("town_id") == town_id]
    return history_table(entries, names) if entries else None


def versions(db: Path) -> list[str]:
    return submissions.available_versions(db)


def rollback(db: Path, load_id: str, who: str) -> str | None:
    """None once done, or why not."""
    try:
        submissions.rollback(db, load_id, who=who)
    except LoadRefused as refused:
        return f"未回滚，现有数据保持不变。{refused}"
    return None
