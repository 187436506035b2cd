"""The views of sql/views in Spark SQL: sqlglot's DuckDB → Spark transpilation plus the few rewrites
it does not make by itself. The view files stay the one definition; nothing here names a view.

Each rewrite works on a construct, wherever a view uses it (tests/test_spark_sql.py runs each one
on Spark against DuckDB's answer for the same query):

- **macros** (`sql/macros/*.sql`, `create macro f(a, b) as expr`): Spark SQL has none; every call
  is replaced by the macro's body with the arguments put in for the parameters (macros calling
  macros are expanded too).
- **`unnest(list_of_structs, recursive := true)`** in a select list (one row per element, the
  struct's fields as columns): Spark's `inline(array)`. sqlglot turns it into `explode(…)`, which
  would give one struct column instead.
- **ordered list aggregates** (`list(x order by k)`, `array_agg(x order by k)`): sqlglot keeps the
  aggregate but drops the order; here it is `transform(array_sort(collect_list(struct(k, x))), …)`.
  And DuckDB's list over no rows is NULL where Spark's collect_list is `[]`: an empty result
  becomes NULL, as in DuckDB (so `coalesce(list(...), [])` means the same on both).
- **`avg` of a decimal** (`avg(case when … then 1.0 else 0.0 end)`): DuckDB returns a double,
  Spark a decimal with four more digits of scale (0.93333 for 14/15); the argument is cast to
  double, which is DuckDB's answer on both.
- **the view file's own conventions**: the `create view … as` wrapper, `comment on` statements and
  `-- materialise:` / `-- depends on:` directives are read here; the query alone goes to Spark.

Division stays `/`: both engines give a double for integers; DuckDB gives ±inf for x/0 where Spark
under ANSI mode (on, see analytics/spark.py) raises, so a view that forgets `nullif(…, 0)` fails
loudly on Spark instead of differing silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression


@dataclass(frozen=True)
class ViewSql:
    name: str
    spark_sql: str
    depends_on: tuple[str, ...]
    materialise: bool


def directive(text: str, name: str) -> str | None:
    """The value of a `-- name: value` line at the top of a view file (as the loader reads it)."""
    for line in text.splitlines():
        if line.startswith(f"-- {name}:"):
            return line.split(":", 1)[1].strip()
    return None


def read_macros(macro_dir: Path = SQL_DIR / "macros") -> dict[str, Macro]:
    macros: dict[str, Macro] = {}
    for path in sorted(macro_dir.glob("*.sql")):
        for statement in sqlglot.parse(path.read_text(encoding="utf-8"), read="duckdb"):
            if isinstance(statement, exp.Create) and str(statement.args.get("kind", "")).upper() == "MACRO":
                signature = statement.this
                params = tuple(p.name for p in signature.expressions)
                macros[signature.this.name.lower()] = Macro(signature.this.name.lower(), params, statement.expression)
    return macros


def inline_macros(tree: exp.Expression, macros: dict[str, Macro]) -> exp.Expression:
    """Replace every call of a macro by its body, arguments substituted for parameters."""

    def expand(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Anonymous) or node.name.lower() not in macros:
            return node
        macro = macros[node.name.lower()]
        if len(node.expressions) != len(macro.params):
            raise ValueError(f"macro {macro.name} takes {len(macro.params)} arguments, got {len(node.expressions)}")
        arguments = dict(zip(macro.params, node.expressions, strict=True))

        def substitute(inner: exp.Expression) -> exp.Expression:
            if isinstance(inner, exp.Column) and not inner.table and inner.name in arguments:
                return exp.paren(arguments[inner.name].copy(), copy=False)
            return inner

        body = macro.body.copy().transform(substitute)
        return inline_macros(exp.paren(body, copy=False), macros)  # a macro may call another

    return tree.transform(expand)


def unnest_structs_to_inline(tree: exp.Expression) -> exp.Expression:
    """`unnest(list, recursive := true)` in a select list → `inline(list)` (fields become columns)."""

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Explode | exp.Unnest) or not isinstance(node.parent, exp.Select):
            return node
        options = {
            o.this.name.lower(): o.expression
            for o in node.expressions
            if isinstance(o, exp.PropertyEQ | exp.Kwarg) and isinstance(o.this, exp.Identifier | exp.Var | exp.Column)
        }
        recursive = options.get("recursive")
        if recursive is None or not (isinstance(recursive, exp.Boolean) and recursive.this):
            return node
        return exp.Anonymous(this="inline", expressions=[node.this.copy()])

    return tree.transform(rewrite)


def ordered_list_aggregates(tree: exp.Expression) -> exp.Expression:
    """`list(x order by k)` → `transform(array_sort(collect_list(struct(k, x))), e -> e.x)`, and an
    empty list (no row aggregated) → NULL as in DuckDB. A FILTER clause stays on the aggregate."""

    def rewrite(node: exp.Expression) -> exp.Expression:
        aggregate = node.this if isinstance(node, exp.Filter) else node
        if not isinstance(aggregate, exp.ArrayAgg):
            return node
        if isinstance(node, exp.ArrayAgg) and isinstance(node.parent, exp.Filter):
            return node  # rewritten with its FILTER, from the Filter node
        value = aggregate.this
        if isinstance(value, exp.Order):
            keys = [o.copy() for o in value.expressions]
            item = value.this.copy()
            fields = [
                exp.PropertyEQ(this=exp.to_identifier(f"k{i}"), expression=_sort_key(k)) for i, k in enumerate(keys)
            ]
            fields.append(exp.PropertyEQ(this=exp.to_identifier("v"), expression=item))
            collected: exp.Expression = exp.Anonymous(this="collect_list", expressions=[exp.Struct(expressions=fields)])
            if isinstance(node, exp.Filter):
                collected = exp.Filter(this=collected, expression=node.expression.copy())
            lam = exp.Lambda(this=exp.column("v", table="e"), expressions=[exp.to_identifier("e")])
            listed: exp.Expression = exp.Anonymous(
                this="transform", expressions=[exp.Anonymous(this="array_sort", expressions=[collected]), lam]
            )
        else:
            listed = node.copy()
        return exp.Case(
            ifs=[
                exp.If(
                    this=exp.EQ(
                        this=exp.Anonymous(this="size", expressions=[listed.copy()]), expression=exp.Literal.number(0)
                    ),
                    true=exp.Null(),
                )
            ],
            default=listed,
        )

    return tree.transform(rewrite)


def _sort_key(ordered: exp.Ordered) -> exp.Expression:
    """array_sort sorts structs ascending, field by field; a descending key is not carried over yet
    (no view orders a list that way): refused rather than sorted the wrong way round."""
    if ordered.args.get("desc"):
        raise NotImplementedError(f"list(… order by {ordered.this.sql('duckdb')} desc) has no Spark rewrite yet")
    return ordered.this


def average_as_double(tree: exp.Expression) -> exp.Expression:
    """`avg(x)` → `avg(cast(x as double))`: DuckDB averages a decimal into a double; Spark would keep
    a decimal of scale + 4 and round (found on v_projection_backtest's shares)."""

    def rewrite(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Avg) or isinstance(node.this, exp.Cast):
            return node
        return exp.Avg(this=exp.Cast(this=node.this.copy(), to=exp.DataType.build("double")))

    return tree.transform(rewrite)


REWRITES = (unnest_structs_to_inline, ordered_list_aggregates, average_as_double)


def to_spark(query: exp.Expression, macros: dict[str, Macro]) -> str:
    """A DuckDB query (already parsed) as Spark SQL, with every rewrite of this module applied."""
    tree = inline_macros(query.copy(), macros)
    for rewrite in REWRITES:
        tree = rewrite(tree)
    return tree.sql(dialect="spark")


def transpile(sql: str, macros: dict[str, Macro] | None = None) -> str:
    """One DuckDB SELECT as Spark SQL (for tests and ad-hoc use)."""
    return to_spark(sqlglot.parse_one(sql, read="duckdb"), read_macros() if macros is None else macros)


def _view_query(path: Path) -> exp.Expression:
    for statement in sqlglot.parse(path.read_text(encoding="utf-8"), read="duckdb"):
        if isinstance(statement, exp.Create) and str(statement.args.get("kind", "")).upper() == "VIEW":
            return statement.expression
    raise ValueError(f"{path.name}: no `create view` statement")


def _referenced_tables(query: exp.Expression) -> set[str]:
    ctes = {cte.alias_or_name.lower() for cte in query.find_all(exp.CTE)}
    return {t.name.lower() for t in query.find_all(exp.Table)} - ctes


def read_views(view_dir: Path = SQL_DIR / "views", macro_dir: Path = SQL_DIR / "macros") -> list[ViewSql]:
    """Every view of sql/views in Spark SQL, in an order where each comes after those it reads.

    A view's dependencies are its `-- depends on:` line (as for the loader) and every other view
    its query names, so a forgotten directive cannot put a view before its input.
    """
    macros = read_macros(macro_dir)
    paths = {p.stem: p for p in sorted(view_dir.glob("*.sql"))}
    views: dict[str, ViewSql] = {}
    for name, path in paths.items():
        text = path.read_text(encoding="utf-8")
        query = _view_query(path)
        listed = set(re.split(r"[\s,]+", directive(text, "depends on") or "")) - {""}
        depends = (listed | (_referenced_tables(query) & set(paths))) - {name}
        views[name] = ViewSql(
            name, to_spark(query, macros), tuple(sorted(depends)), directive(text, "materialise") == "yes"
        )
    ordered: list[ViewSql] = []
    placed: set[str] = set()

    def place(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in placed:
            return
        if name in trail:
            raise ValueError(f"views depend on each other in a cycle: {(*trail, name)}")
        for dep in views[name].depends_on:
            if dep not in views:
                raise ValueError(f"{name} depends on {dep}, which is not a view of {view_dir}")
            place(dep, (*trail, name))
        placed.add(name)
        ordered.append(views[name])

    for name in sorted(views):
        place(name)
    return ordered
