"""What a report is made of, independent of Word, PDF or the page that previews it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import plotly.graph_objects as go


def _sql_literal(value: object) -> str:
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class Figure:
    """One number the report states, and where to read it again: `select column from view where …`."""

    number: int
    label: str
    text: str  # as printed in the report
    value: object  # exact, as the view returns it
    view: str
    column: str
    where: tuple[tuple[str, object], ...]

    def sql(self) -> str:
        """The query that returns this figure, to paste into the SQL workbench or the DuckDB CLI."""
        conditions = " and ".join(f"{name} = {_sql_literal(value)}" for name, value in self.where)
        return f"select {self.column} from {self.view} where {conditions}"


@dataclass(frozen=True)
class Heading:
    level: int  # 0 = title, 1 = 一、, 2 = （一）
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Placeholder:
    """A passage only the committee can write; printed highlighted so nobody mistakes it for data."""

    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    source: str
    numeric: tuple[int, ...] = ()  # columns set right-aligned
    widths: tuple[float, ...] | None = None  # relative column widths; None = equal


@dataclass(frozen=True)
class Chart:
    caption: str
    figure: go.Figure
    source: str


Block = Heading | Paragraph | Placeholder | Table | Chart


@dataclass
class Report:
    title: str
    subtitle: str
    town_id: str
    town_name: str
    year: int
    as_of: dt.date
    in_progress: bool
    blocks: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def text(self) -> str:
        """Every sentence, placeholder and table cell, in order: what the tests and search read."""
        parts = [self.title, self.subtitle]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph | Placeholder):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts += [block.caption, *block.columns, *(cell for row in block.rows for cell in row), block.source]
            else:
                parts += [block.caption, block.source]
        return "\n".join(parts)

    def file_stem(self, kind: str = "工作总结") -> str:
        """A file name without characters Windows or a browser would refuse."""
        safe = "".join(ch for ch in self.town_name if ch not in '\\/:*?"<>|\r\n\t').strip() or self.town_id
        return f"{safe}{self.year}年创先争优{kind}"


class Figures:
    """Numbers go into sentences only through here, so each one lands in the appendix with its source."""

    def __init__(self) -> None:
        self.items: list[Figure] = []
        self._seen: set[tuple] = set()

    def add(self, label: str, text: str, value: object, view: str, column: str, **where: object) -> str:
        key = (view, column, tuple(where.items()))
        if key not in self._seen:  # a figure said twice is listed once
            self._seen.add(key)
            self.items.append(Figure(len(self.items) + 1, label, text, value, view, column, key[2]))
        return text
