"""Check each input row against the contract; split good rows from rejects, with reasons in Chinese.

A row with any problem is not loaded (never half-right); each of its problems becomes one row of
`rejects`: file, the row as the clerk sees it, column, the value as typed, and why.
References are checked against the rows that passed, so a branch whose town was rejected is
rejected too, with a reason that says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from etl.contract import FILES, enum_choices
from etl.normalise import clean_text, impossible_date, parse_bool, parse_date, parse_enum, parse_int
from etl.readers import ROW

REJECT_SCHEMA = {
    "file": pl.String,
    "row_number": pl.Int64,
    "column_name": pl.String,
    "value": pl.String,
    "reason": pl.String,
}
RAW = "raw__"  # prefix of the original text kept beside each cleaned column, for messages
FOUND = "found__"  # marks the rows of a lookup, so a left join tells found from not found
YEARS = (2000, 2100)
# The columns of a file that later files are checked against (references, a member's own branch):
# all that is kept in memory of a file whose rows went to the warehouse as they were checked.
REFERRED = {
    "towns": ("town_id",),
    "orgs": ("org_id", "town_id", "org_level"),
    "members": ("member_id", "org_id"),
    "pledges": (),
    "awards": (),
    "assessments": (),
}


class GoodRows(Protocol):
    """Where a file's good rows go as they are checked, batch by batch (the warehouse being built)."""

    def add(self, kind: str, good: pl.DataFrame) -> None: ...

    def remove(self, kind: str, rows: pl.Series) -> None: ...


class MemberChecks(GoodRows, Protocol):
    """A sink that also answers the checks against the members file once, after the last batch.

    `unmatched_members(kind, held, typed)` returns, for every row of the file with a member
    (its good rows, already in the sink, and `held`: the rows rejected in their batch), those
    whose member is not found or, for a pledge, whose member sits in another organisation:
    ROW, MEMBER_COLUMNS[kind] (as checked), their RAW columns (the cell as typed: `typed` holds
    it for the rows where cleaning changed it), `member_org` and FOUND (true or null).
    """

    def unmatched_members(self, kind: str, held: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame: ...


class KeyChecks(GoodRows, Protocol):
    """A sink that also finds a file's repeated keys once, after the last batch, over its own rows.

    `repeated_keys(kind, outside, typed)` returns every copy of a key after the key's first row in
    the file, over the good rows already in the sink and `outside` (the rows rejected in their
    batch: ROW and the key columns): ROW, the key columns, RAW + the first key column (the cell as
    typed: `typed` holds it for the rows where cleaning changed it) and `first_row`. Without such a
    sink the keys of every row are held in memory to the end (the province's peak was 0.5 GB
    higher that way: bench/NOTES.md).
    """

    def repeated_keys(self, kind: str, outside: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame: ...


# The files checked against the members, and the columns those checks read. At province that is
# 6.6 million pledges against 2.5 million members: with a sink that can (MemberChecks), one join
# in DuckDB after the last batch instead of a polars join per batch.
MEMBER_COLUMNS = {"pledges": ("member_id", "org_id", "pledger_kind"), "awards": ("member_id",)}


@dataclass
class Checked:
    """One file after validation: typed good rows and the problems of the rest.

    When the good rows were written straight into the warehouse being built (`stored`), `good`
    keeps only the columns other files are checked against (REFERRED), not every column.
    """

    kind: str
    file: str
    rows_read: int
    good: pl.DataFrame
    rejects: pl.DataFrame
    stored: bool = False
    _lookups: dict = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, key: str, *values: str) -> pl.DataFrame:
        """Distinct `key` of the good rows (with `values`, and FOUND = true), for later files' joins.

        Built once per file, not once per batch: for 2.5 million members that is most of the cost.
        """
        if (key, values) not in self._lookups:
            frame = self.good.select(key, *values).unique(key)
            self._lookups[(key, values)] = frame.with_columns(pl.lit(True).alias(FOUND))
        return self._lookups[(key, values)]

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].n_unique()

    @property
    def rows_loaded(self) -> int:
        return self.good.height


def _label(kind: str, column: str) -> str:
    return FILES[kind].column(column).label


def _q(kind: str, column: str) -> str:
    return f"「{_label(kind, column)}」"


def _typed(kind: str, column: str) -> pl.Expr:
    col = FILES[kind].column(column)
    expr = pl.col(column)
    if col.kind in ("int", "count"):
        return parse_int(expr)
    if col.kind == "date":
        return parse_date(expr)
    if col.kind == "bool":
        return parse_bool(expr)
    if col.kind == "enum":
        return parse_enum(expr, col.enum)
    return expr


def _type_problem(kind: str, column: str) -> str:
    col = FILES[kind].column(column)
    what = _q(kind, column)
    if col.kind == "int":
        return f"{what}应为整数"
    if col.kind == "count":
        return f"{what}应为非负整数"
    if col.kind == "date":
        return f"{what}不是可识别的日期（可写作 2024-03-05、2024年3月5日、2024.3.5 或 2024/3/5）"
    if col.kind == "bool":
        return f"{what}应填“是”或“否”"
    return f"{what}应为以下之一：{enum_choices(col.enum)}"


def _type_reason(kind: str, column: str) -> str | pl.Expr:
    """A date that follows a format but names no real day is called impossible, not unrecognised."""
    if FILES[kind].column(column).kind != "date":
        return _type_problem(kind, column)
    impossible = pl.lit(f"{_q(kind, column)}填写的日期不存在：") + impossible_date(pl.col(RAW + column))
    return pl.coalesce(impossible, pl.lit(_type_problem(kind, column)))


class _Problems:
    """Collects (column, condition, reason) triples, then turns them into reject rows in one pass."""

    def __init__(self, kind: str, file: str) -> None:
        self.kind, self.file = kind, file
        self.frames: list[pl.DataFrame] = []

    def add(
        self, frame: pl.DataFrame, column: str, condition: pl.Expr, reason: pl.Expr | str, value: pl.Expr | None = None
    ) -> None:
        reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
        value_expr = value if value is not None else pl.col(RAW + column)
        hits = frame.filter(condition.fill_null(False)).select(
            pl.lit(self.file).alias("file"),
            pl.col(ROW).cast(pl.Int64).alias("row_number"),
            pl.lit(f"{_label(self.kind, column)}({column})").alias("column_name"),
            value_expr.cast(pl.String).alias("value"),
            reason_expr.cast(pl.String).alias("reason"),
        )
        if hits.height:
            self.frames.append(hits)

    def frame(self) -> pl.DataFrame:
        if not self.frames:
            return pl.DataFrame(schema=REJECT_SCHEMA)
        return pl.concat(self.frames).sort("row_number", "column_name")


def _type_and_clean(kind: str, raw: pl.DataFrame, problems: _Problems) -> pl.DataFrame:
    spec = FILES[kind]
    # One chunk per column first: the streaming CSV reader hands on dozens, and the string work
    # pays per chunk (a batch of pledges typed 3.5 times slower in 52 chunks than in one).
    frame = raw.rechunk().with_columns(pl.col(c).alias(RAW + c) for c in spec.names)
    frame = frame.with_columns(clean_text(pl.col(c.name), c.kind).alias(c.name) for c in spec.columns)
    frame = frame.with_columns(_typed(kind, c).alias("typed__" + c) for c in spec.names)
    for col in spec.columns:
        cleaned, typed = pl.col(col.name), pl.col("typed__" + col.name)
        if col.required:
            problems.add(frame, col.name, cleaned.is_null(), f"{_q(kind, col.name)}为必填项，不能为空")
        if col.kind not in ("id", "name", "text"):
            problems.add(frame, col.name, cleaned.is_not_null() & typed.is_null(), _type_reason(kind, col.name))
        if col.kind == "count":
            problems.add(frame, col.name, typed < 0, f"{_q(kind, col.name)}不能为负数")
        if col.name == "year":
            problems.add(
                frame, col.name, ~typed.is_between(*YEARS), f"{_q(kind, col.name)}应在 {YEARS[0]} 至 {YEARS[1]} 之间"
            )
    return frame.with_columns(pl.col("typed__" + c).alias(c) for c in spec.names).drop(
        ["typed__" + c for c in spec.names]
    )


def _key_filled(key: list[str]) -> pl.Expr:
    """Every column of the key filled: a row without its key is rejected for that, never a copy."""
    return pl.all_horizontal(pl.col(k).is_not_null() for k in key)


def _copies(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of `frame` (every row of a file) that repeat a key of an earlier row, with `first_row`.

    Without a KeyChecks sink (small files, tests). Only the keys that occur more than once are
    grouped: a window over every key of a big file holds a hash table of them all.
    """
    key = list(FILES[kind].key)
    repeated = pl.col(key[0]).is_duplicated() if len(key) == 1 else pl.struct(key).is_duplicated()
    return (
        frame.filter(_key_filled(key) & repeated)
        .with_columns(pl.col(ROW).min().over(key).alias("first_row"))
        .filter(pl.col(ROW) != pl.col("first_row"))
    )


def _copy_problems(kind: str, copies: pl.DataFrame, problems: _Problems) -> None:
    """Every copy of a key after its first row is rejected, naming the row that was kept."""
    key = FILES[kind].key
    labels = "+".join(_label(kind, k) for k in key)
    problems.add(
        copies,
        key[0],
        pl.lit(True),
        pl.format(f"「{labels}」重复：与第 {{}} 行相同（保留第一次出现的行）", pl.col("first_row")),
    )


def _reference(
    kind: str, frame: pl.DataFrame, problems: _Problems, column: str, target: Checked, all_ids: pl.Series
) -> None:
    """Reject rows whose `column` names no good row of the target file (by its key)."""
    key = FILES[target.kind].key[0]
    known = target.lookup(key).rename({key: column})
    joined = _left_join(frame.select(ROW, column, RAW + column), known, column)
    _not_found(kind, joined, problems, column, target.kind, all_ids)


def _left_join(frame: pl.DataFrame, lookup: pl.DataFrame, on: str) -> pl.DataFrame:
    """`frame` left-joined to a lookup, in no particular row order, through the lazy engine.

    Measured on a batch of 500,000 pledges against the 2.5 million members of the province: the
    eager join took 0.26–0.29 s, the lazy one 0.11 s; fourteen batches a load.
    """
    return frame.lazy().join(lookup.lazy(), on=on, how="left").collect()


def _not_found(
    kind: str, joined: pl.DataFrame, problems: _Problems, column: str, target_kind: str, all_ids: pl.Series
) -> None:
    """Rows of `joined` (a batch left-joined to a lookup) whose `column` is filled but found nothing.

    Joins, not `is_in`: is_in builds a hash set of the other side on every call (0.7 s for 2.5
    million members), a join of half a million rows against them takes a fifth of that.
    """
    missing = joined.filter(pl.col(column).is_not_null() & pl.col(FOUND).is_null())
    if missing.height == 0:
        return
    target = FILES[target_kind].label
    seen = all_ids.unique().to_frame(column).with_columns(pl.lit(True).alias("seen__"))
    missing = missing.join(seen, on=column, how="left")
    value = pl.col(column)
    reason = (
        pl.when(pl.col("seen__").is_not_null())
        .then(pl.format(f"{_q(kind, column)}“{{}}”对应的{target}记录本身被拒收，请先修正{target}表", value))
        .otherwise(pl.format(f"{_q(kind, column)}“{{}}”在{target}表中不存在", value))
    )
    problems.add(missing, column, pl.lit(True), reason)


def _bad_rows(rejects: pl.DataFrame) -> pl.Expr:
    return pl.col(ROW).is_in(rejects["row_number"].unique().implode())


def check(
    kind: str, raw: pl.DataFrame, file: str, upstream: dict[str, Checked], raw_ids: dict[str, pl.Series]
) -> Checked:
    """Validate one whole file held in memory. `upstream` holds the already-checked files it refers to."""
    return check_batches(kind, [raw], file, upstream, raw_ids)


def check_batches(
    kind: str,
    batches: Iterable[pl.DataFrame],
    file: str,
    upstream: dict[str, Checked],
    raw_ids: dict[str, pl.Series],
    sink: GoodRows | None = None,
) -> Checked:
    """Validate a file batch by batch; with a `sink`, each batch's good rows go there at once.

    Every rule but one looks at a row alone or at files already checked, so it runs on a batch.
    The exception, a key repeated in the file, needs every row: a sink that can (KeyChecks) finds
    the copies over the rows it holds and the batches' rejected rows; otherwise the keys (only
    they) of all batches are kept. Either way the copies are taken back out of the sink at the end.
    """
    spec = FILES[kind]
    key = list(spec.key)
    deferred = kind in MEMBER_COLUMNS and hasattr(sink, "unmatched_members")
    keys_in_sink = hasattr(sink, "repeated_keys")
    goods, rejects, keys, frames, held, typed, rows_read = [], [], [], [], [], [], 0
    outside, typed_keys = [], []
    for raw in batches:
        rows_read += raw.height
        problems = _Problems(kind, file)
        frame = _type_and_clean(kind, raw, problems)
        RULES[kind](frame, problems, upstream, raw_ids)
        if not deferred and kind in MEMBER_RULES:
            MEMBER_RULES[kind](frame, problems, upstream, raw_ids)
        batch_rejects = problems.frame()
        good = frame.filter(~_bad_rows(batch_rejects)).select(ROW, *spec.names)
        if deferred:
            held.append(_held_for_members(kind, frame, batch_rejects))
            typed.append(_typed_differently(kind, frame))
        if sink is not None:
            sink.add(kind, good)
            good = good.select(ROW, *_kept_for_later(kind, sink))
        goods.append(good)
        rejects.append(batch_rejects)
        if keys_in_sink:
            outside.append(frame.filter(_bad_rows(batch_rejects) & _key_filled(key)).select(ROW, *key))
            typed_keys.append(frame.filter(pl.col(RAW + key[0]).ne_missing(pl.col(key[0]))).select(ROW, RAW + key[0]))
        else:
            keys.append(frame.select(ROW, *key, RAW + key[0]))
        if kind == "orgs":
            frames.append(frame)
    good = pl.concat(goods)
    late = _Problems(kind, file)
    # Both checks below read the sink before either takes a row back out of it: a copy's member is
    # checked too, and a row rejected for its member still counts as a key's first row.
    if deferred:
        unmatched = sink.unmatched_members(kind, pl.concat(held), pl.concat(typed))
        MEMBER_PROBLEMS[kind](unmatched, late, raw_ids)
    if keys_in_sink:
        found = sink.repeated_keys(kind, pl.concat(outside), pl.concat(typed_keys))
    else:
        found = _copies(kind, pl.concat(keys))
    _copy_problems(kind, found, late)
    late_rejects = late.frame()
    if late_rejects.height:
        if sink is not None:
            sink.remove(kind, late_rejects["row_number"].unique())
        good = good.filter(~_bad_rows(late_rejects))
    rejects.append(late_rejects)
    checked = Checked(kind, file, rows_read, good, _sorted(pl.concat(rejects)), stored=sink is not None)
    if kind == "orgs":
        if sink is not None:
            raise ValueError("organisations are checked whole: their parents are rows of the same file")
        checked = _prune_orphan_orgs(checked, pl.concat(frames))
    return checked


def _kept_for_later(kind: str, sink: GoodRows) -> tuple[str, ...]:
    """The columns of a stored file kept in memory for later files' checks: none of the members'
    when the sink checks members itself (2.5 million ids and organisations at province)."""
    return () if kind == "members" and hasattr(sink, "unmatched_members") else REFERRED[kind]


def _held_for_members(kind: str, frame: pl.DataFrame, batch_rejects: pl.DataFrame) -> pl.DataFrame:
    """The rows of a batch rejected there and naming a member: not in the sink, still to be checked."""
    named = pl.col("member_id").is_not_null() & _bad_rows(batch_rejects)
    return frame.filter(named).select(ROW, *MEMBER_COLUMNS[kind])


def _typed_differently(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The cells as typed of the rows where cleaning changed a column the member checks report
    (a stray space, a full-width digit): few rows; elsewhere the cell is the cleaned value."""
    reported = [c for c in MEMBER_COLUMNS[kind] if c != "pledger_kind"]
    changed = pl.any_horizontal(pl.col(RAW + c).ne_missing(pl.col(c)) for c in reported)
    return frame.filter(pl.col("member_id").is_not_null() & changed).select(ROW, *(RAW + c for c in reported))


def _sorted(rejects: pl.DataFrame) -> pl.DataFrame:
    return rejects.sort("row_number", "column_name")


def _rules_towns(frame, problems, upstream, raw_ids) -> None:
    return None


def _rules_orgs(frame, problems, upstream, raw_ids) -> None:
    k = "orgs"
    _reference(k, frame, problems, "town_id", upstream["towns"], raw_ids["towns"])
    level, btype, parent = pl.col("org_level"), pl.col("branch_type"), pl.col("parent_org_id")
    problems.add(
        frame,
        "branch_type",
        (level != "committee") & btype.is_null() & level.is_not_null(),
        "党总支、党支部必须填写「支部类型」",
    )
    problems.add(frame, "branch_type", (level == "committee") & btype.is_not_null(), "党委不填「支部类型」（请留空）")
    problems.add(
        frame,
        "parent_org_id",
        (level != "committee") & parent.is_null() & level.is_not_null(),
        "党总支、党支部必须填写「上级组织编码」",
    )
    problems.add(frame, "parent_org_id", parent.is_not_null() & (parent == pl.col("org_id")), "上级组织不能是自己")


def _prune_orphan_orgs(checked: Checked, frame: pl.DataFrame) -> Checked:
    """Parents are orgs of the same file: drop, until nothing changes, orgs whose parent is not a fit."""
    problems = _Problems("orgs", checked.file)
    raw_ids = frame["org_id"].drop_nulls()
    good = checked.good
    allowed_parent = {"branch": ("general_branch", "committee"), "general_branch": ("committee",)}
    while True:
        parents = good.select(
            pl.col("org_id").alias("parent_org_id"),
            pl.col("org_level").alias("parent_level"),
            pl.col("town_id").alias("parent_town"),
        )
        joined = good.join(parents, on="parent_org_id", how="left")
        # A 党委's parent is the county committee, which is not in the file: not checked here.
        has_parent = pl.col("parent_org_id").is_not_null() & (pl.col("org_level") != "committee")
        fit = pl.col("parent_level").is_in(pl.lit(allowed_parent["branch"])) & (pl.col("org_level") == "branch") | (
            (pl.col("parent_level") == "committee") & (pl.col("org_level") == "general_branch")
        )
        wrong = joined.filter(
            has_parent & (pl.col("parent_level").is_null() | ~fit | (pl.col("parent_town") != pl.col("town_id")))
        )
        if wrong.height == 0:
            break
        wrong = wrong.join(frame.select(ROW, RAW + "parent_org_id"), on=ROW)
        parent = pl.col("parent_org_id")
        reason = (
            pl.when(pl.col("parent_level").is_null() & parent.is_in(raw_ids.implode()))
            .then(pl.format("「上级组织编码」“{}”对应的党组织记录本身被拒收", parent))
            .when(pl.col("parent_level").is_null())
            .then(pl.format("「上级组织编码」“{}”在党组织表中不存在", parent))
            .when(pl.col("parent_town") != pl.col("town_id"))
            .then(pl.format("上级组织“{}”属于另一个乡镇", parent))
            .otherwise(pl.lit("层级不符：党支部的上级应是党总支或党委，党总支的上级应是党委"))
        )
        problems.add(wrong, "parent_org_id", pl.lit(True), reason)
        good = good.filter(~pl.col(ROW).is_in(wrong[ROW].implode()))
    rejects = _sorted(pl.concat([checked.rejects, problems.frame()]))
    return Checked(checked.kind, checked.file, checked.rows_read, good, rejects)


def _rules_members(frame, problems, upstream, raw_ids) -> None:
    k = "members"
    _reference(k, frame, problems, "org_id", upstream["orgs"], raw_ids["orgs"])
    problems.add(frame, "joined_on", pl.col("joined_on") < pl.col("birth_date"), "「入党日期」早于「出生日期」")


def _rules_pledges(frame, problems, upstream, raw_ids) -> None:
    k = "pledges"
    _reference(k, frame, problems, "org_id", upstream["orgs"], raw_ids["orgs"])
    _reference(k, frame, problems, "reviewed_by", upstream["orgs"], raw_ids["orgs"])
    kind, member = pl.col("pledger_kind"), pl.col("member_id")
    problems.add(frame, "member_id", (kind == "党员") & member.is_null(), "承诺主体为“党员”时必须填写「党员编号」")
    problems.add(frame, "member_id", (kind == "组织") & member.is_not_null(), "承诺主体为“组织”时「党员编号」应留空")
    problems.add(frame, "fulfilled_on", pl.col("fulfilled_on") < pl.col("pledged_on"), "「兑现日期」早于「承诺日期」")


def _members_of_pledges(frame, problems, upstream, raw_ids) -> None:
    # One join with the members answers both questions: does the member exist, and is the pledge
    # filed under the member's own organisation.
    home = upstream["members"].lookup("member_id", "org_id").rename({"org_id": "member_org"})
    with_home = _left_join(
        frame.select(ROW, "member_id", RAW + "member_id", "org_id", RAW + "org_id", "pledger_kind"), home, "member_id"
    )
    _pledge_member_problems(with_home, problems, raw_ids)


def _pledge_member_problems(with_home: pl.DataFrame, problems: _Problems, raw_ids) -> None:
    """What a pledge's member says of it, from the pledge joined to the members (either way)."""
    kind = pl.col("pledger_kind")
    _not_found("pledges", with_home, problems, "member_id", "members", raw_ids["members"])
    problems.add(
        with_home,
        "org_id",
        (kind == "党员") & pl.col("member_org").is_not_null() & (pl.col("member_org") != pl.col("org_id")),
        pl.format("党员承诺的「组织编码」应为该党员所在组织“{}”", pl.col("member_org")),
    )


def _rules_awards(frame, problems, upstream, raw_ids) -> None:
    _reference("awards", frame, problems, "org_id", upstream["orgs"], raw_ids["orgs"])


def _members_of_awards(frame, problems, upstream, raw_ids) -> None:
    _reference("awards", frame, problems, "member_id", upstream["members"], raw_ids["members"])


def _award_member_problems(joined: pl.DataFrame, problems: _Problems, raw_ids) -> None:
    _not_found("awards", joined, problems, "member_id", "members", raw_ids["members"])


def _rules_assessments(frame, problems, upstream, raw_ids) -> None:
    k = "assessments"
    _reference(k, frame, problems, "org_id", upstream["orgs"], raw_ids["orgs"])
    answered = pl.col("survey_satisfied").fill_null(0) + pl.col("survey_basic").fill_null(0)
    respondents = pl.col("survey_respondents")
    problems.add(
        frame,
        "survey_satisfied",
        answered > respondents.fill_null(0),
        pl.format("满意人数与基本满意人数之和（{}）超过满意度测评人数（{}）", answered, respondents.fill_null(0)),
        value=pl.format("{}+{}", pl.col(RAW + "survey_satisfied"), pl.col(RAW + "survey_basic")),
    )


RULES = {
    "towns": _rules_towns,
    "orgs": _rules_orgs,
    "members": _rules_members,
    "pledges": _rules_pledges,
    "awards": _rules_awards,
    "assessments": _rules_assessments,
}
# The checks against the members: per batch in polars without a MemberChecks sink, else in DuckDB.
MEMBER_RULES = {"pledges": _members_of_pledges, "awards": _members_of_awards}
MEMBER_PROBLEMS = {"pledges": _pledge_member_problems, "awards": _award_member_problems}
