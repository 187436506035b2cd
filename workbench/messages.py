"""DuckDB's error messages for analysts: the whole message kept, framed in Chinese, its hints translated.

DuckDB's messages carry their own help: "Did you mean "pledges"?", "Candidate bindings:
"fulfilment_rate"", and the line with a caret under the place. The workbench used to keep the first
line only and lose exactly that. Here the first line is put in Chinese where its form is known, each
hint becomes a Chinese sentence, and the original text follows whole under DuckDB 原文, so nothing
DuckDB said is lost.
"""

from __future__ import annotations

import re

ORIGINAL = "DuckDB 原文："  # the page shows what follows as code (the caret needs a fixed-width face)

# "Catalog Error: Table with name pledge does not exist!" → the Chinese sentence.
FIRST_LINES = (
    (r"^Table with name (.+?) does not exist!?$", "没有名为 {0} 的表或视图"),
    (r'^Referenced column "?(.+?)"? not found in FROM clause!?$', "FROM 中的表和视图都没有列 {0}"),
    (r'^Referenced table "?(.+?)"? not found!?$', "查询中没有名为 {0} 的表（或别名）"),
    (r"^(?:Scalar |Aggregate |Table )?Function with name (.+?) does not exist!?$", "没有名为 {0} 的函数"),
    (r'^syntax error at or near "(.+?)"$', "“{0}”处或其前面有语法错误"),
    (r"^syntax error at end of input$", "语句不完整（结尾处有语法错误）"),
    (
        r'^column "?(.+?)"? must appear in the GROUP BY clause or must be part of an aggregate function.*$',
        "列 {0} 需要写进 GROUP BY，或放在聚合函数（如 sum、count）中",
    ),
    (r'^Could not convert string "(.+?)" to \'?(\w+)\'?.*$', "文字“{0}”不能转换为 {1} 类型"),
    (r'^date field value out of range: "(.+?)".*$', "日期“{0}”不存在或超出范围"),
    (r'^Ambiguous reference to column name "(.+?)".*$', "列名 {0} 有歧义：多个表都有这一列，请写成 表名.列名"),
)
KINDS = {
    "Catalog Error": "找不到表、视图、列或函数",
    "Binder Error": "找不到表、视图、列或函数，或用法不对",
    "Parser Error": "SQL 语法错误",
    "Conversion Error": "类型转换出错",
    "Invalid Input Error": "输入不合法",
    "Out of Range Error": "数值超出范围",
}
HINT_PATTERNS = (
    (re.compile(r'^Did you mean "(.+?)"\??$'), "您是否要找 {0}？"),
    (re.compile(r"^Candidate bindings:\s*(.+)$"), "可能要找的列：{0}"),
)


def _names(text: str) -> str:
    """`"a", "b"` → a、b (the names as DuckDB quoted them, in a Chinese list)."""
    found = re.findall(r'"([^"]+)"', text)
    return "、".join(found) if found else text


def explain(message: str, frame: str = "查询出错") -> str:
    """DuckDB's whole message in Chinese framing: the kind, the first line, the hints, then the original."""
    lines = message.strip().splitlines()
    if not lines:
        return frame
    kind, _, first = lines[0].partition(": ")
    if not first:
        kind, first = "", lines[0]
    said = first
    for pattern, chinese in FIRST_LINES:
        found = re.match(pattern, first.strip())
        if found:
            said = chinese.format(*(g.strip('"') for g in found.groups()))
            break
    out = [f"{KINDS.get(kind, frame)}：{said}"]
    for line in lines[1:]:
        for pattern, chinese in HINT_PATTERNS:
            found = pattern.match(line.strip())
            if found:
                out.append(chinese.format(_names(found.group(1))))
    return "\n".join([*out, ORIGINAL, message.strip()])


def split(message: str) -> tuple[str, str | None]:
    """(the Chinese part, DuckDB's original text or None), for the page to show the original as code."""
    head, marker, original = message.partition("\n" + ORIGINAL + "\n")
    return (head, original) if marker else (message, None)
