"""Generate a demo county (or city, or province) as the six input files a township office sends.

Deterministic for a seed: every town draws from its own child of one `SeedSequence`, so the
output does not depend on batch sizes. Towns are generated in batches and appended to the
files, so the province (2,000 towns, 2.5 million members) streams to disk in bounded memory.

The data tells a story a committee would recognise: the first town of every county is close to
the demonstration standard, a few towns are clearly behind (missing vanguard kinds, a
violation, low fulfilment), retired branches fulfil most and non-public branches least, and the
latest year is still in progress on the as-of date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_names as W
from etl.contract import BRANCH_TYPE_LABELS, FILES, ORG_LEVEL_LABELS

SCALES = {  # towns, members per town (about)
    "county": (15, 1000),
    "city": (200, 1250),
    "province": (2000, 1250),
}
TOWNS_PER_COUNTY = 15
DEFAULT_AS_OF = dt.date(2026, 11, 20)
YEARS_BACK = 3  # the as-of year and three before it: history for the seasonal projection and its backtest
BATCH_TOWNS = 50
TYPE_FULFIL_SHIFT = {"retired": 0.06, "organ": 0.03, "village": 0.0, "social": -0.08, "non_public": -0.14}
BRANCH_SIZES = {"village": (30, 70), "organ": (15, 35), "non_public": (8, 25), "retired": (20, 45), "social": (6, 15)}


@dataclass(frozen=True)
class TownProfile:
    """How well a town is doing, 0..1; everything else about it follows from this."""

    quality: float

    @property
    def coverage(self) -> float:
        return 0.72 + 0.27 * self.quality

    @property
    def approve(self) -> float:
        return 0.80 + 0.18 * self.quality

    @property
    def returned(self) -> float:
        return 0.03 + 0.07 * (1 - self.quality)

    @property
    def fulfil(self) -> float:
        return 0.55 + 0.42 * self.quality

    @property
    def vanguards_per_100(self) -> float:
        return 1.0 + 5.0 * self.quality


@dataclass(frozen=True)
class CountyProfile:
    """How a county's year runs. The default is the demo; the others are counties the projection
    has not been tuned on (bench/projection.py checks it on them): a later season, towns that
    differ more from one year to the next, a small county. The default draws exactly what the demo
    always drew; the extra draws of the others come from their own random stream."""

    towns: int | None = None  # None: the scale's; otherwise one county of this many towns
    members_per_town: int | None = None
    due_year_end: float = 0.7  # share of pledges due on 31 December
    early_share: float = 0.15  # of those, the share confirmed before November
    july_share: float = 0.55  # awards given on 1 July; the rest at the year-end meeting
    fulfil_wobble: float = 0.025  # sd of a town's year against its usual fulfilment
    award_wobble: float = 0.15  # a year's awards: the town's usual × uniform(1 − this, 1 + this)
    drift: float = 0.0  # sd of a town's quality from one year to the next


PROFILES = {
    "default": CountyProfile(),
    # pledges nearly all due at year end and confirmed at the December 评诺; awards mostly in December
    "late": CountyProfile(due_year_end=0.85, early_share=0.05, july_share=0.25),
    # 24 towns whose years differ: quality drifts, fulfilment and awards wobble more
    "wobbly": CountyProfile(towns=24, fulfil_wobble=0.05, award_wobble=0.3, drift=0.08),
    # 8 small towns: few pledges and few awards each, so every figure is noisier
    "small": CountyProfile(towns=8, members_per_town=400, july_share=0.4),
}


def year_qualities(quality: float, drift: float, years: range, rng: np.random.Generator) -> dict[int, float]:
    """A town's quality each year: its usual one, moved by a random walk of sd `drift` a year."""
    steps = np.cumsum(rng.normal(0, drift, len(years))) if drift > 0 else np.zeros(len(years))
    return {y: float(np.clip(quality + step, 0.05, 0.99)) for y, step in zip(years, steps, strict=True)}


def town_quality(index: int, rng: np.random.Generator) -> float:
    slot = index % TOWNS_PER_COUNTY
    if slot == 0:
        return 0.97  # the town close to the standard
    if slot in (7, 13, 14):
        return float(rng.uniform(0.15, 0.35))  # clearly behind
    return float(rng.uniform(0.5, 0.85))


def _place_name(rng: np.random.Generator, used: set[str], suffix: str) -> str:
    words = W.PLACE_WORDS
    for attempt in range(5000):
        if attempt < 40:
            stem = words[int(rng.integers(len(words)))]
        else:
            stem = words[int(rng.integers(len(words)))][0] + words[int(rng.integers(len(words)))][1]
        if stem + suffix not in used:
            used.add(stem + suffix)
            return stem + suffix
    raise RuntimeError("ran out of demo place names")


def make_orgs(town_id: str, town_name: str, members_target: int, rng: np.random.Generator) -> list[dict]:
    """A 镇党委, 党总支 for organs and enterprises, and branches of every type under them."""
    counts = {
        "village": int(rng.integers(9, 16)),
        "organ": int(rng.integers(3, 6)),
        "non_public": int(rng.integers(3, 8)),
        "retired": int(rng.integers(1, 3)),
        "social": int(rng.integers(1, 4)),
    }
    committee = f"{town_id}-000"
    orgs = [
        dict(
            org_id=committee,
            org_name=f"中共{town_name}委员会",
            town_id=town_id,
            parent_org_id=None,
            org_level="committee",
            branch_type=None,
            size=0,
        )
    ]
    seq = iter(range(1, 10_000))
    general_branches = {}
    for btype, suffix in (("organ", "机关党总支"), ("non_public", "非公企业党总支")):
        general_branches[btype] = f"{town_id}-{next(seq):03d}"
        orgs.append(
            dict(
                org_id=general_branches[btype],
                org_name=town_name + suffix,
                town_id=town_id,
                parent_org_id=committee,
                org_level="general_branch",
                branch_type=btype,
                size=0,
            )
        )
    organ_gb, enterprise_gb = general_branches["organ"], general_branches["non_public"]
    used: set[str] = set()
    for btype, n in counts.items():
        for i in range(n):
            if btype == "village":
                name = _place_name(rng, used, "村" if rng.random() < 0.8 else "社区") + "党支部"
                parent = committee
            elif btype == "organ":
                name = town_name + W.ORGANS[i % len(W.ORGANS)].removeprefix("镇") + "党支部"
                parent = organ_gb
            elif btype == "non_public":
                trade = W.COMPANY_TRADES[int(rng.integers(len(W.COMPANY_TRADES)))]
                name = _place_name(rng, used, "") + trade + "有限公司党支部"
                parent = enterprise_gb
            elif btype == "retired":
                name = town_name + ("退休干部党支部" if i == 0 else f"第{i + 1}退休党支部")
                parent = committee
            else:
                body = W.SOCIAL_BODIES[int(rng.integers(len(W.SOCIAL_BODIES)))]
                name = _place_name(rng, used, "") + body + "党支部"
                parent = committee
            lo, hi = BRANCH_SIZES[btype]
            orgs.append(
                dict(
                    org_id=f"{town_id}-{next(seq):03d}",
                    org_name=name,
                    town_id=town_id,
                    parent_org_id=parent,
                    org_level="branch",
                    branch_type=btype,
                    size=int(rng.integers(lo, hi + 1)),
                )
            )
    total = sum(o["size"] for o in orgs)
    for o in orgs:  # scale branch sizes so the town has about the target membership
        o["size"] = max(3, round(o["size"] * members_target / total)) if o["org_level"] == "branch" else 0
    orgs[0]["size"] = 7  # the committee's own members (班子)
    return orgs


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype("int64")).cast(pl.Date)


def _epoch(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def make_members(town_num: int, orgs: list[dict], rng: np.random.Generator, as_of: dt.date) -> pl.DataFrame:
    sizes = np.array([o["size"] for o in orgs])
    org_ids = np.repeat([o["org_id"] for o in orgs], sizes)
    btypes = np.repeat([o["branch_type"] or "committee" for o in orgs], sizes)
    n = len(org_ids)
    surname = pl.Series(W.SURNAMES).gather(rng.integers(0, len(W.SURNAMES), n))
    given_pool = pl.Series(W.GIVEN)
    first = given_pool.gather(rng.integers(0, len(W.GIVEN), n))
    second = given_pool.gather(rng.integers(0, len(W.GIVEN), n))
    rare = pl.Series(W.RARE_GIVEN).gather(rng.integers(0, len(W.RARE_GIVEN), n))
    two_chars = pl.Series(rng.random(n) < 0.7)
    use_rare = pl.Series(rng.random(n) < 0.004)
    frame = pl.DataFrame(
        {"surname": surname, "first": first, "second": second, "rare": rare, "two": two_chars, "use_rare": use_rare}
    )
    names = frame.select(
        pl.concat_str(
            "surname",
            pl.when("use_rare").then("rare").otherwise("first"),
            pl.when("two").then("second").otherwise(pl.lit("")),
        )
    ).to_series()
    retired = btypes == "retired"
    birth = np.where(
        retired,
        rng.integers(_epoch(dt.date(1940, 1, 1)), _epoch(dt.date(1962, 12, 31)), n),
        rng.integers(_epoch(dt.date(1962, 1, 1)), _epoch(dt.date(2003, 12, 31)), n),
    )
    joined = birth + rng.integers(18 * 365, 40 * 365, n)
    # The whole of the as-of year is drawn (so the same seed gives the same world whatever the as-of
    # date); generate() then cuts what had not happened yet by the as-of date.
    latest = _epoch(dt.date(as_of.year, 12, 31)) - 1
    # A few new members every year: they count from the year they joined, not before.
    recent = rng.random(n) < 0.04
    joined = np.where(recent, rng.integers(_epoch(dt.date(as_of.year - 1, 3, 1)), latest, n), joined)
    # one whose drawn date lies beyond the year joined some time before the years on record
    earlier = rng.integers(_epoch(dt.date(2000, 1, 1)), _epoch(dt.date(as_of.year - YEARS_BACK - 1, 12, 31)), n)
    joined = np.where(joined > latest, earlier, joined)
    joined = np.maximum(joined, birth + 18 * 365)
    committee_rows = btypes == "committee"
    leader = committee_rows | (rng.random(n) < 0.06)
    return pl.DataFrame(
        {
            "member_id": [f"M{town_num:04d}{i:05d}" for i in range(1, n + 1)],
            "name": names,
            "org_id": org_ids,
            "gender": np.where(rng.random(n) < 0.68, "男", "女"),
            "birth_date": _dates(birth),
            "joined_on": _dates(joined),
            "is_committee": np.where(leader, "是", "否"),
            "branch_type": btypes,  # dropped before writing; used for pledges
        }
    )


def _pledge_text(categories: pl.Series, rng: np.random.Generator) -> pl.Series:
    n = len(categories)
    templates = categories.replace_strict(W.PLEDGE_TEXT, default="完成承诺事项")
    numbers = pl.Series(rng.integers(2, 20, n).astype(str))
    return (
        pl.DataFrame({"t": templates, "n": numbers})
        .select(pl.col("t").str.replace("{n}", pl.col("n"), literal=True))
        .to_series()
    )


def make_pledges(
    town_num: int,
    orgs: list[dict],
    members: pl.DataFrame,
    profiles: dict[int, TownProfile],
    rng: np.random.Generator,
    as_of: dt.date,
    county: CountyProfile = PROFILES["default"],
) -> pl.DataFrame:
    parent_of = {o["org_id"]: o["parent_org_id"] for o in orgs}
    frames = []
    for year in range(as_of.year - YEARS_BACK, as_of.year + 1):
        profile = profiles[year]
        year_end = _epoch(dt.date(year, 12, 31))
        # Organisation pledges: every organisation, two to four a year, on its type's themes.
        org_rows = []
        for o in orgs:
            themes = (
                W.BRANCH_THEMES.get(o["branch_type"], W.COMMITTEE_THEMES)
                if o["org_level"] != "committee"
                else W.COMMITTEE_THEMES
            )
            for _ in range(int(rng.integers(2, 5))):
                org_rows.append(
                    (
                        o["org_id"],
                        None,
                        o["branch_type"] or "committee",
                        themes[int(rng.integers(len(themes)))],
                        parent_of[o["org_id"]] if o["org_level"] != "committee" else None,
                    )
                )
        orgs_frame = pl.DataFrame(
            org_rows, schema=["org_id", "member_id", "branch_type", "category", "reviewed_by"], orient="row"
        )
        orgs_frame = orgs_frame.with_columns(pl.lit("组织").alias("pledger_kind"))
        eligible = members.filter(pl.col("joined_on").cast(pl.Int64) <= year_end)
        pledging = eligible.filter(pl.Series(rng.random(eligible.height) < profile.coverage))
        themes = pl.Series(W.MEMBER_THEMES).gather(rng.integers(0, len(W.MEMBER_THEMES), pledging.height))
        member_frame = pledging.select(
            "org_id",
            "member_id",
            "branch_type",
            pl.lit(themes).alias("category"),
            pl.col("org_id").alias("reviewed_by"),
            pl.lit("党员").alias("pledger_kind"),
        )
        year_frame = pl.concat([orgs_frame, member_frame], how="diagonal_relaxed")
        # a town's year is a little better or worse than its usual, so last year is a guide, not a copy
        year_fulfil = profile.fulfil + float(rng.normal(0, county.fulfil_wobble))
        frames.append(_pledge_lifecycle(year_frame, year, town_num, year_fulfil, profile, rng, as_of, county))
    return pl.concat(frames)


def _fulfilment_days(
    pledged: np.ndarray, due: np.ndarray, year: int, rng: np.random.Generator, early_share: float = 0.15
) -> np.ndarray:
    """When a pledge that is fulfilled gets recorded as fulfilled: the real season. A pledge due on
    31 December is mostly confirmed at the year-end 评诺 (November–December; 15 % earlier); one
    with a mid-year deadline around its deadline (a few late: 逾期兑现)."""
    n = len(pledged)
    year_end = _epoch(dt.date(year, 12, 31))
    november = _epoch(dt.date(year, 11, 1))
    early = np.minimum(
        pledged + 30 + (rng.random(n) * np.maximum(november - pledged - 30, 1)).astype(np.int64), november - 1
    )
    rush = november + rng.integers(0, year_end - november + 1, n)
    at_year_end = np.where(rng.random(n) < early_share, early, rush)
    around_due = due + rng.integers(-45, 15, n)
    days = np.where(due == year_end, at_year_end, around_due)
    return np.clip(days, pledged, year_end)


def _pledge_lifecycle(
    frame: pl.DataFrame,
    year: int,
    town_num: int,
    year_fulfil: float,
    profile: TownProfile,
    rng: np.random.Generator,
    as_of: dt.date,
    county: CountyProfile = PROFILES["default"],
) -> pl.DataFrame:
    """Review, fulfil and rate one year's pledges; returned member pledges are re-made and approved.
    The year is drawn whole, then cut at the as-of date: what was fulfilled by then is 已兑现, a
    pledge not fulfilled whose deadline has passed shows its final state, the rest are under way."""
    n = frame.height
    in_progress_year = year == as_of.year and as_of < dt.date(year, 12, 31)
    draw = rng.random(n)
    # review is done in January–March: a few are still pending only while that season lasts
    pending_share = 0.06 if in_progress_year and as_of < dt.date(year, 4, 1) else 0.0
    review = np.where(
        draw < profile.returned, "退回修改", np.where(draw < profile.returned + pending_share, "待审核", "已通过")
    )
    # Re-made pledges: a returned member pledge comes back once, approved.
    remade = frame.filter(pl.Series((review == "退回修改") & (frame["pledger_kind"] == "党员").to_numpy()))
    frame = pl.concat([frame, remade])
    review = np.concatenate([review, np.full(remade.height, "已通过")])
    n = frame.height
    start = _epoch(dt.date(year, 1, 5))
    pledged = start + rng.integers(0, 75, n)
    if remade.height:
        pledged[-remade.height :] += 20  # re-made after the review sent the first one back
    year_end = _epoch(dt.date(year, 12, 31))
    due = np.where(
        rng.random(n) < county.due_year_end, year_end, np.minimum(pledged + rng.integers(120, 330, n), year_end)
    )
    reviewed = pledged + rng.integers(3, 15, n)
    shift = frame["branch_type"].replace_strict(TYPE_FULFIL_SHIFT, default=0.0).to_numpy()
    p_fulfil = np.clip(year_fulfil + shift, 0.05, 0.995)
    u = rng.random(n)
    final = np.where(u < p_fulfil, "已兑现", np.where(u < p_fulfil + (1 - p_fulfil) * 0.6, "部分兑现", "未兑现"))
    fulfilled_on = _fulfilment_days(pledged, due, year, rng, county.early_share)
    not_started = rng.random(n) < 0.04
    cutoff = _epoch(as_of)
    if in_progress_year:
        done_by_now = (final == "已兑现") & (fulfilled_on <= cutoff)
        settled_unfulfilled = (final != "已兑现") & (due < cutoff)
        under_way = np.where(not_started, "未开始", "进行中")
        status = np.where(done_by_now, "已兑现", np.where(settled_unfulfilled, final, under_way))
    else:
        status = final
    approved = review == "已通过"
    status = np.where(approved, status, "未开始")
    is_done = status == "已兑现"
    rating_draw = rng.random(n)
    satisfied = 0.55 + 0.4 * profile.quality
    rating = np.where(rating_draw < satisfied, "满意", np.where(rating_draw < 0.97, "基本满意", "不满意"))
    rated = is_done | (status == "部分兑现")
    member = (frame["pledger_kind"] == "党员").to_numpy()
    checks_ok = np.where(review == "退回修改", rng.random((3, n)) < 0.5, True)
    checks_ok[0, (review == "退回修改") & checks_ok.all(axis=0)] = False

    def yes_no(mask: np.ndarray) -> list[str | None]:
        return np.where(member, np.where(mask, "是", "否"), "").tolist()

    reviewed_mask = review != "待审核"
    return frame.with_columns(
        pl.Series("pledge_id", [f"P{year}{town_num:04d}{i:06d}" for i in range(1, n + 1)]),
        pl.lit(year).alias("year"),
        _pledge_text(frame["category"], rng).alias("content"),
        _dates(pledged).alias("pledged_on"),
        _dates(due).alias("due_on"),
        pl.Series("review_status", review),
        pl.when(pl.Series(reviewed_mask)).then(pl.col("reviewed_by")).alias("reviewed_by"),
        pl.when(pl.Series(reviewed_mask)).then(_dates(reviewed)).alias("reviewed_on"),
        pl.Series("check_opinions", yes_no(checks_ok[0])).replace("", None),
        pl.Series("check_reality", yes_no(checks_ok[1])).replace("", None),
        pl.Series("check_advanced", yes_no(checks_ok[2])).replace("", None),
        pl.Series("fulfilment_status", status),
        pl.when(pl.Series(is_done)).then(_dates(fulfilled_on)).alias("fulfilled_on"),
        pl.when(pl.Series(is_done))
        .then(pl.Series(W.EVIDENCE).gather(rng.integers(0, len(W.EVIDENCE), n)))
        .alias("evidence"),
        pl.when(pl.Series(rated)).then(pl.Series(rating)).alias("mass_rating"),
    )


def make_awards(
    town_num: int,
    orgs: list[dict],
    members: pl.DataFrame,
    profiles: dict[int, TownProfile],
    rng: np.random.Generator,
    as_of: dt.date,
    county: CountyProfile = PROFILES["default"],
) -> pl.DataFrame:
    rows = []
    kinds = list(W.VANGUARD_KINDS)
    if profiles[as_of.year].quality < 0.5:  # towns behind lack some vanguard kinds entirely
        kinds = [k for k in kinds if k not in ("廉洁先锋", "兴业先锋")]
    for year in range(as_of.year - YEARS_BACK, as_of.year + 1):
        profile = profiles[year]
        eligible = members.filter(pl.col("joined_on") <= dt.date(year, 12, 31))
        wobble = rng.uniform(1 - county.award_wobble, 1 + county.award_wobble)
        n = round(eligible.height * profile.vanguards_per_100 / 100 * wobble)
        picks = eligible.sample(n=min(n, eligible.height), seed=int(rng.integers(2**31)))
        for i, (member_id, org_id) in enumerate(zip(picks["member_id"], picks["org_id"], strict=True)):
            kind = kinds[i % len(kinds)] if i < len(kinds) else kinds[int(rng.integers(len(kinds)))]
            level = rng.choice(["镇级", "县级", "市级", "省级"], p=[0.72, 0.2, 0.06, 0.02])
            # the two seasons of awards: 1 July (the Party's anniversary) and the year-end meeting
            day = (
                dt.date(year, 7, 1)
                if rng.random() < county.july_share
                else dt.date(year, 12, int(rng.integers(15, 29)))
            )
            rows.append((member_id, org_id, kind, str(level), year, day))
        # A few branches are honoured as a whole.
        branches = [o for o in orgs if o["org_level"] == "branch"]
        for o in rng.choice(branches, size=min(2, len(branches)), replace=False):
            rows.append((None, o["org_id"], kinds[int(rng.integers(len(kinds)))], "镇级", year, dt.date(year, 7, 1)))
    frame = pl.DataFrame(
        rows, schema=["member_id", "org_id", "vanguard_kind", "level", "year", "awarded_on"], orient="row"
    )
    ids = [f"A{y}{town_num:04d}{i:04d}" for i, y in enumerate(frame["year"], start=1)]
    return frame.with_columns(pl.Series("award_id", ids)).filter(pl.col("awarded_on") <= as_of)


def _not_yet_joined_out(
    members: pl.DataFrame, pledges: pl.DataFrame, awards: pl.DataFrame, as_of: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Members who join after the as-of date (drawn with the whole year) are not on the rolls yet."""
    later = members.filter(pl.col("joined_on") > as_of)["member_id"]
    if later.is_empty():
        return members, pledges, awards
    return (
        members.filter(~pl.col("member_id").is_in(later.implode())),
        pledges.filter(~pl.col("member_id").is_in(later.implode()) | pl.col("member_id").is_null()),
        awards.filter(~pl.col("member_id").is_in(later.implode()) | pl.col("member_id").is_null()),
    )


def make_assessments(
    orgs: list[dict], profiles: dict[int, TownProfile], rng: np.random.Generator, as_of: dt.date
) -> pl.DataFrame:
    rows = []
    # Assessed after the year ends; a demo cut on 31 December carries that year's too, so that a
    # finished year can be set whole against what was projected for it in the autumn.
    last = as_of.year + 1 if as_of >= dt.date(as_of.year, 12, 31) else as_of.year
    for year in range(as_of.year - YEARS_BACK, last):
        for o in orgs:
            q = profiles[year].quality
            violations = int(o["org_level"] == "committee" and q < 0.4 and year == as_of.year - 1)
            failed = int(rng.random() < 0.15 * (1 - q))
            meetings = int(rng.integers(8, 13) + 10 * q) if o["org_level"] != "committee" else int(rng.integers(10, 15))
            grade = "好" if rng.random() < q else ("较好" if rng.random() < 0.8 else "一般")
            respondents = int(rng.integers(30, 120)) if o["org_level"] != "committee" else int(rng.integers(150, 300))
            satisfied = int(respondents * min(0.98, 0.55 + 0.42 * q) * rng.uniform(0.95, 1.0))
            basic = int((respondents - satisfied) * rng.uniform(0.4, 0.8))
            rows.append((o["org_id"], year, grade, violations, failed, meetings, respondents, satisfied, basic))
    return pl.DataFrame(
        rows,
        orient="row",
        schema=[
            "org_id",
            "year",
            "leadership_grade",
            "violations",
            "failed_members",
            "meetings_held",
            "survey_respondents",
            "survey_satisfied",
            "survey_basic",
        ],
    )


class _CsvOut:
    """Appends batches to one CSV file with Chinese headers, in the encoding an office would use."""

    def __init__(self, path: Path, kind: str, encoding: str) -> None:
        self.path, self.spec, self.encoding = path, FILES[kind], encoding
        self.fh = path.open("wb")
        header = ",".join(c.label for c in self.spec.columns) + "\n"
        self.fh.write(header.encode(encoding))

    def write(self, frame: pl.DataFrame, date_format: str = "%Y-%m-%d") -> None:
        text = frame.select(self.spec.names).write_csv(include_header=False, date_format=date_format)
        body = "utf-8" if self.encoding == "utf-8-sig" else self.encoding  # the BOM goes once, at the top
        self.fh.write(text.encode(body))

    def close(self) -> None:
        self.fh.close()


def _write_xlsx(path: Path, kind: str, title: str, frame: pl.DataFrame) -> None:
    """An office spreadsheet: a merged title row above the Chinese header row."""
    import xlsxwriter

    spec = FILES[kind]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(spec.label)
    bold = book.add_format({"bold": True, "align": "center", "font_size": 14})
    sheet.merge_range(0, 0, 0, len(spec.columns) - 1, title, bold)
    sheet.write_row(1, 0, [c.label for c in spec.columns])
    for r, row in enumerate(frame.select(spec.names).iter_rows(), start=2):
        sheet.write_row(r, 0, ["" if v is None else v for v in row])
    book.close()


def generate(
    out: Path,
    scale: str = "county",
    seed: int = 2024,
    as_of: dt.date = DEFAULT_AS_OF,
    profile: CountyProfile | str = "default",
) -> dict[str, int]:
    """Write towns.xlsx, orgs.xlsx, members.csv (GB18030), pledges.csv (UTF-8 BOM), awards.csv and
    assessments.csv into `out`; return rows written per file. `profile`: how the county's year runs
    (PROFILES; the default is the demo)."""
    season = PROFILES[profile] if isinstance(profile, str) else profile
    n_towns, per_town = SCALES[scale]
    n_towns, per_town = season.towns or n_towns, season.members_per_town or per_town
    towns_per_county = season.towns or TOWNS_PER_COUNTY
    years = range(as_of.year - YEARS_BACK, as_of.year + 1)
    out.mkdir(parents=True, exist_ok=True)
    root = np.random.SeedSequence(seed)
    town_seeds = root.spawn(n_towns + 1)
    names_rng = np.random.default_rng(town_seeds[-1])
    used_names: set[str] = set()
    towns, all_orgs = [], []
    counts = dict.fromkeys(FILES, 0)
    outs = {
        "members": _CsvOut(out / "members.csv", "members", "gb18030"),
        "pledges": _CsvOut(out / "pledges.csv", "pledges", "utf-8-sig"),
        "awards": _CsvOut(out / "awards.csv", "awards", "utf-8"),
        "assessments": _CsvOut(out / "assessments.csv", "assessments", "utf-8"),
    }
    county_names = [_place_name(names_rng, used_names, "县") for _ in range((n_towns - 1) // towns_per_county + 1)]
    try:
        for t in range(n_towns):
            rng = np.random.default_rng(town_seeds[t])
            town_num = t + 1
            town_id = f"T{town_num:04d}"
            town_name = (
                "城关镇"
                if t % TOWNS_PER_COUNTY == 0 and t == 0
                else _place_name(names_rng, used_names, W.TOWN_SUFFIX[t % len(W.TOWN_SUFFIX)])
            )
            towns.append(
                {"town_id": town_id, "town_name": town_name, "county_name": county_names[t // towns_per_county]}
            )
            quality = town_quality(t, rng)
            drift_rng = np.random.default_rng([seed, t, 16])  # the profile's own stream: the demo's is untouched
            profiles = {y: TownProfile(q) for y, q in year_qualities(quality, season.drift, years, drift_rng).items()}
            orgs = make_orgs(town_id, town_name, int(per_town * rng.uniform(0.6, 1.4)), rng)
            all_orgs.extend(orgs)
            members = make_members(town_num, orgs, rng, as_of)
            pledges = make_pledges(town_num, orgs, members, profiles, rng, as_of, season)
            awards = make_awards(town_num, orgs, members, profiles, rng, as_of, season)
            assessments = make_assessments(orgs, profiles, rng, as_of)
            members, pledges, awards = _not_yet_joined_out(members, pledges, awards, as_of)
            outs["members"].write(members, date_format="%Y年%-m月%-d日")
            outs["pledges"].write(pledges)
            outs["awards"].write(awards, date_format="%Y.%-m.%-d")
            outs["assessments"].write(assessments)
            for kind, frame in (
                ("members", members),
                ("pledges", pledges),
                ("awards", awards),
                ("assessments", assessments),
            ):
                counts[kind] += frame.height
    finally:
        for o in outs.values():
            o.close()
    county = towns[0]["county_name"] if scale == "county" else "全省" if scale == "province" else "全市"
    towns_frame = pl.DataFrame(towns)
    orgs_frame = pl.DataFrame(all_orgs).with_columns(
        pl.col("org_level").replace_strict(ORG_LEVEL_LABELS),
        pl.col("branch_type").replace_strict(BRANCH_TYPE_LABELS, default=None),
    )
    _write_xlsx(out / "towns.xlsx", "towns", f"{county}乡镇名单", towns_frame)
    _write_xlsx(out / "orgs.xlsx", "orgs", f"{county}基层党组织名册（{as_of.year}年）", orgs_frame)
    counts["towns"], counts["orgs"] = towns_frame.height, orgs_frame.height
    return counts
