"""The data dictionary: every view, table and column with its Chinese description, as Markdown.

Generated from the comments inside a warehouse (`python -m etl dictionary --db PATH`), so it says
what the file says; a test regenerates it and compares with docs/data-dictionary.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Views in the order an analyst meets them: the contract's public views, then the helpers.
PUBLIC_VIEWS = (
    "v_pledge_fulfilment",
    "v_fulfilment_by_branch_type",
    "v_vanguard_counts",
    "v_member_coverage",
    "v_readiness_criteria",
    "v_readiness",
    "v_town_comparison",
    "v_pledge_progress",
    "v_town_summary",
    "v_town_indicators",
    "v_reporting_years",
    "v_member_profile",
    "v_member_pledge_review",
    "v_pledges_due",
    "v_town_to_date",
    "v_town_projection",
    "v_projection_backtest",
)
TABLES = (
    "towns",
    "orgs",
    "members",
    "pledges",
    "awards",
    "assessments",
    "criteria",
    "criteria_bands",
    "indicators",
    "branch_types",
    "org_levels",
    "vanguard_kinds",
    "loads",
    "rejects",
    "warehouse_info",
)


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _relation(con: duckdb.DuckDBPyConnection, name: str, kind: str) -> list[str]:
    catalogue = "duckdb_views()" if kind == "view" else "duckdb_tables()"
    column = "view_name" if kind == "view" else "table_name"
    comment = con.execute(
        f"select comment from {catalogue} where schema_name = 'main' and {column} = ?", [name]
    ).fetchall()
    columns = con.execute(
        "select column_name, data_type, comment from duckdb_columns()"
        " where schema_name = 'main' and table_name = ? order by column_index",
        [name],
    ).fetchall()
    lines = [f"### `{name}`", "", _cell(comment[0][0] if comment else ""), "", "| 列 | 类型 | 说明 |", "|---|---|---|"]
    lines += [f"| `{c}` | {t.lower()} | {_cell(d)} |" for c, t, d in columns]
    return [*lines, ""]


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value * 100:g}%" if unit == "比例" else f"{value:g} {unit}"


def _indicators(con: duckdb.DuckDBPyConnection) -> list[str]:
    found = con.sql("select indicator, label, unit, good, description from indicators").fetchall()
    lines = ["## 可计算指标（评定标准的「指标」列可用的代码）", "", "| 代码 | 名称 | 单位 | 通常归属 | 计算口径 |"]
    lines += ["|---|---|---|---|---|"] + [f"| `{c}` | {n} | {u} | {g} | {_cell(d)} |" for c, n, u, g, d in found]
    return [*lines, ""]


def _standard(con: duckdb.DuckDBPyConnection) -> list[str]:
    items = con.sql(
        "select criterion_id, good, indicator_label, operator, threshold, unit, weight, deduct_points, deduct_step,"
        " veto, description from criteria order by sort_order"
    ).fetchall()
    bands = con.sql("select status, min_score from criteria_bands order by min_score desc").fetchall()
    lines = [
        "## 装载时使用的示范标准",
        "",
        "| 编号 | 五个好 | 指标 | 标准 | 分值 | 扣分规则 | 一票否决 | 说明 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for cid, good, label, op, threshold, unit, weight, points, step, veto, text in items:
        shown, step_shown = _amount(threshold, unit), _amount(step, unit)
        rule = "未达标不得分" if points is None else f"每差 {step_shown} 扣 {points:g} 分，扣完为止"
        cells = [cid, good, label, f"{op} {shown}", f"{weight:g}", rule, "是" if veto else "否", _cell(text)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "等级：" + "；".join(f"{s} ≥ {m:g} 分" for s, m in bands) + "；其余为差距较大。", ""]
    return lines


def dictionary_markdown(db_path: Path) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        lines = [
            "# 数据字典（Data dictionary）",
            "",
            "由 `python -m etl dictionary --db 仓库文件` 从仓库中的中文注释生成，请勿手工编辑。",
            "视图在装载时物化（见 `sql/views/README.md`），计算口径见 `sql/views/<视图名>.sql`。",
            "比例列为 0 到 1 的小数，未四舍五入；无可除之数时为空（NULL）。",
            "",
            "## 视图",
            "",
        ]
        for name in PUBLIC_VIEWS:
            lines += _relation(con, name, "view")
        lines += ["## 表", ""]
        for name in TABLES:
            lines += _relation(con, name, "table")
        lines += _indicators(con) + _standard(con)
    finally:
        con.close()
    return "\n".join(lines)
