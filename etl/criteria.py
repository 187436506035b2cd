"""The demonstration-unit standard (示范单位评定标准) as data: a county's 100-point scorecard.

A county edits a CSV or XLSX: one row per item (which of the 五个好 it serves, which measured
indicator, how it compares with the threshold, its points, and optionally a deduction per step
of shortfall, "每差 1 次扣 0.5 分，扣完为止", and whether failing it vetoes the title outright).
A second small file gives the score bands (达标 / 接近). The loader reads both with the same
readers as every input, checks every cell, and refuses the whole load if anything is wrong:
a standard with a row silently dropped would score every town against rules nobody wrote.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.contract import FALSE_WORDS, TRUE_WORDS, Column, FileSpec
from etl.normalise import FULL_WIDTH, HALF_WIDTH
from etl.readers import ROW, LoadRefused, read_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CRITERIA = ROOT / "data" / "criteria" / "default.csv"
DEFAULT_BANDS = ROOT / "data" / "criteria" / "default_bands.csv"
GOODS = ("领导班子好", "党员队伍好", "工作机制好", "群众反映好", "先锋示范好")
STATUSES = ("达标", "接近", "差距较大")
MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class Indicator:
    label: str
    unit: str  # 比例 (a share, 0..1, written 90% or 0.9) | 人 | 次 | 个 | 类
    good: str  # the good it most naturally serves (a county may file it under another)
    description: str

    @property
    def is_ratio(self) -> bool:
        return self.unit == "比例"


# What the warehouse measures for every town and year (view v_town_indicators computes each one;
# a data test fails if this list and the view drift apart).
INDICATORS: dict[str, Indicator] = {
    "violations": Indicator("违纪违法人数", "人", "领导班子好", "全镇各组织年度考核中的违纪违法人数合计"),
    "failed_members": Indicator("年度考核不合格人数", "人", "领导班子好", "全镇各组织年度考核不合格党员人数合计"),
    "leadership_good_rate": Indicator(
        "班子考核好和较好占比", "比例", "领导班子好", "班子考核等次为“好”或“较好”的组织数 / 有考核等次的组织数"
    ),
    "member_coverage": Indicator(
        "党员承诺覆盖率", "比例", "党员队伍好", "当年有已通过承诺的党员数 / 当年年底前已入党的党员数"
    ),
    "member_fulfilment_rate": Indicator(
        "党员承诺兑现率", "比例", "党员队伍好", "已兑现的党员承诺 / 已通过审核的党员承诺（部分兑现不计）"
    ),
    "fulfilment_rate": Indicator("承诺兑现率", "比例", "工作机制好", "已兑现的承诺 / 已通过审核的承诺（部分兑现不计）"),
    "review_rate": Indicator("承诺审核率", "比例", "工作机制好", "已审核（通过或退回修改）的承诺 / 全部承诺"),
    "org_pledge_coverage": Indicator(
        "组织承诺覆盖率", "比例", "工作机制好", "当年作出组织承诺的党组织数 / 全镇党组织数"
    ),
    "overdue_pledges": Indicator(
        "逾期未兑现承诺数", "个", "工作机制好", "已通过、未兑现且完成时限早于统计截止日的承诺数"
    ),
    "meetings_per_org": Indicator(
        "组织平均组织生活次数", "次", "工作机制好", "年度考核中组织生活次数之和 / 填报了次数的组织数"
    ),
    "satisfaction_rate": Indicator(
        "群众满意率", "比例", "群众反映好", "（满意人数 + 基本满意人数）/ 满意度测评人数，全镇合计"
    ),
    "mass_rating_rate": Indicator(
        "承诺群众评议满意率", "比例", "群众反映好", "群众评议为满意或基本满意的承诺 / 有群众评议的承诺"
    ),
    "vanguards_per_100": Indicator(
        "每百名党员先锋数", "个", "先锋示范好", "当年先锋表彰数 × 100 / 当年年底前已入党的党员数"
    ),
    "vanguard_kinds": Indicator("先锋类别覆盖数", "类", "先锋示范好", "当年出现的先锋类别数（共六类）"),
}

OPERATORS = {
    ">=": (">=", "≥", "＞＝", "不低于", "不少于", "大于等于", "至少"),
    "<=": ("<=", "≤", "＜＝", "不高于", "不多于", "不超过", "小于等于", "至多"),
    ">": (">", "＞", "高于", "多于", "大于"),
    "<": ("<", "＜", "低于", "少于", "小于"),
    "=": ("=", "==", "＝", "等于"),
}
_OPERATOR_LOOKUP = {word: op for op, words in OPERATORS.items() for word in words}

C = Column
CRITERIA_SPEC = FileSpec(
    "criteria",
    "示范标准",
    (
        C("criterion_id", "编号", "id", True, note="每项唯一，如 C01"),
        C("good", "五个好", "text", True, note=" / ".join(GOODS)),
        C("indicator", "指标", "id", True, note="指标代码，见 indicators 表"),
        C("operator", "比较", "text", True, note=">= / <= / > / < / =（或 不低于、不高于）"),
        C("threshold", "标准值", "text", True, note="比例写作 90% 或 0.9；人数、次数写数字"),
        C("weight", "分值", "text", True, note="该项满分"),
        C("deduct_points", "扣分", "text", note="每差一档扣几分；留空表示未达标即不得分"),
        C("deduct_step", "每差", "text", note="一档的大小，如 1（次）或 1%；填了扣分则必填"),
        C("veto", "一票否决", "bool", note="是 / 否：未达标则不能评为达标"),
        C("description", "说明", "text", note="这一项考什么"),
    ),
    key=("criterion_id",),
)
BANDS_SPEC = FileSpec(
    "criteria_bands",
    "评定等级",
    (
        C("status", "等级", "text", True, note="达标 / 接近"),
        C("min_score", "最低得分", "text", True, note="达到该得分即为该等级"),
    ),
    key=("status",),
)


@dataclass
class Standard:
    items: pl.DataFrame  # one row per criterion, typed, in file order
    bands: pl.DataFrame  # status, min_score
    items_path: Path
    bands_path: Path


def bands_path_for(criteria_path: Path) -> Path:
    """`本县标准.csv` takes its bands from `本县标准_bands.csv` beside it, else the shipped default."""
    for suffix in (".csv", ".xlsx"):
        candidate = criteria_path.with_name(f"{criteria_path.stem}_bands{suffix}")
        if candidate.exists():
            return candidate
    return DEFAULT_BANDS


def _number(text: str | None, *, percent_ok: bool) -> float | None:
    """'90%' → 0.9 (where a share is meant), '0.5' → 0.5, '１２' → 12; None if unreadable."""
    if text is None:
        return None
    s = text.translate(str.maketrans(dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)))).strip()
    divisor = 1
    if s.endswith("%") and percent_ok:
        s, divisor = s[:-1].strip(), 100  # divided, not multiplied by 0.01: 95% is exactly 0.95
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        return None
    value = float(s) / divisor
    return value if math.isfinite(value) else None


def _bool(text: str | None) -> bool | None:
    if text is None:
        return False
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or word == "":
        return False
    return None


class _Problems(list):
    def add(self, file: str, row: int, spec: FileSpec, column: str, value: object, reason: str) -> None:
        label = spec.column(column).label
        shown = "（空）" if value in (None, "") else f"“{value}”"
        self.append(f"{file} 第 {row} 行「{label}」({column}) {shown}：{reason}")


def _check_item(row: dict, file: str, problems: _Problems, seen: dict[str, int]) -> dict | None:
    spec, n = CRITERIA_SPEC, row[ROW]
    before = len(problems)

    def bad(column: str, reason: str) -> None:
        problems.add(file, n, spec, column, row[column], reason)

    for col in spec.columns:
        if col.required and not (row[col.name] or "").strip():
            bad(col.name, "必填项，不能为空")
    cid = (row["criterion_id"] or "").strip()
    if cid in seen:
        bad("criterion_id", f"编号重复（与第 {seen[cid]} 行相同）")
    seen.setdefault(cid, n)
    good = (row["good"] or "").strip()
    if good and good not in GOODS:
        bad("good", f"应为以下之一：{' / '.join(GOODS)}")
    code = (row["indicator"] or "").strip()
    indicator = INDICATORS.get(code)
    if code and indicator is None:
        bad("indicator", f"不是可计算的指标，可用：{', '.join(INDICATORS)}")
    op_text = (row["operator"] or "").strip()
    operator = _OPERATOR_LOOKUP.get(op_text.replace(" ", ""))
    if op_text and operator is None:
        bad("operator", "应为 >=、<=、>、<、= 之一（或 不低于、不高于、等于）")
    ratio = indicator.is_ratio if indicator else True
    threshold = _number(row["threshold"], percent_ok=ratio)
    if row["threshold"] and threshold is None:
        bad("threshold", "应为数字" + ("或百分数（如 90%）" if ratio else ""))
    elif threshold is not None and indicator and ratio and not 0 <= threshold <= 1:
        bad("threshold", "比例类指标的标准值应在 0 到 100% 之间（写作 90% 或 0.9）")
    elif threshold is not None and threshold < 0:
        bad("threshold", "不能为负数")
    weight = _number(row["weight"], percent_ok=False)
    if row["weight"] and (weight is None or weight <= 0):
        bad("weight", "应为大于 0 的数字")
    deduct_points = _number(row["deduct_points"], percent_ok=False)
    if row["deduct_points"] and (deduct_points is None or deduct_points <= 0):
        bad("deduct_points", "应为大于 0 的数字，或留空")
    deduct_step = _number(row["deduct_step"], percent_ok=ratio)
    if row["deduct_step"] and (deduct_step is None or deduct_step <= 0):
        bad("deduct_step", "应为大于 0 的数字" + ("或百分数（如 1%）" if ratio else ""))
    if deduct_points is not None and deduct_step is None and not row["deduct_step"]:
        bad("deduct_step", "填写了「扣分」时必须填写「每差」（一档的大小）")
    if deduct_step is not None and deduct_points is None and not row["deduct_points"]:
        bad("deduct_points", "填写了「每差」时必须填写「扣分」")
    veto = _bool(row["veto"])
    if veto is None:
        bad("veto", "应填“是”或“否”")
    if len(problems) > before:
        return None
    return {
        "criterion_id": cid,
        "good": good,
        "indicator": code,
        "indicator_label": indicator.label,
        "unit": indicator.unit,
        "operator": operator,
        "threshold": threshold,
        "weight": weight,
        "deduct_points": deduct_points,
        "deduct_step": deduct_step,
        "veto": veto,
        "description": (row["description"] or "").strip() or indicator.description,
    }


def _check_bands(raw: pl.DataFrame, file: str, problems: _Problems) -> pl.DataFrame:
    spec, rows, before = BANDS_SPEC, [], len(problems)
    for row in raw.iter_rows(named=True):
        status = (row["status"] or "").strip()
        score = _number(row["min_score"], percent_ok=False)
        if status not in STATUSES[:2]:
            problems.add(file, row[ROW], spec, "status", row["status"], "应为“达标”或“接近”（其余得分即为“差距较大”）")
        elif score is None or score < 0:
            problems.add(file, row[ROW], spec, "min_score", row["min_score"], "应为不小于 0 的数字")
        else:
            rows.append({"status": status, "min_score": score})
    bands = pl.DataFrame(rows, schema={"status": pl.String, "min_score": pl.Float64})
    for status in STATUSES[:2]:
        if bands.filter(pl.col("status") == status).height != 1:
            problems.append(f"{file}：“{status}”应恰好有一行")
    if len(problems) == before:
        passing = bands.filter(pl.col("status") == "达标")["min_score"][0]
        near = bands.filter(pl.col("status") == "接近")["min_score"][0]
        if near >= passing:
            problems.append(f"{file}：“接近”的最低得分（{near:g}）应低于“达标”的最低得分（{passing:g}）")
    return bands


def read_standard(criteria_path: Path | None = None, bands_path: Path | None = None) -> Standard:
    """Read and check the scorecard and its bands; LoadRefused lists every problem found."""
    items_path = Path(criteria_path or DEFAULT_CRITERIA)
    bands_path = Path(bands_path or bands_path_for(items_path))
    for path in (items_path, bands_path):
        if not path.is_file():
            raise LoadRefused(f"找不到示范标准文件“{path}”。")
    problems = _Problems()
    seen: dict[str, int] = {}
    raw_items = read_table(items_path, CRITERIA_SPEC)
    items = [_check_item(r, items_path.name, problems, seen) for r in raw_items.iter_rows(named=True)]
    if not raw_items.height:
        problems.append(f"{items_path.name}：没有任何评分项")
    bands = _check_bands(read_table(bands_path, BANDS_SPEC), bands_path.name, problems)
    if problems:
        shown = "\n  ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f"\n  ……另有 {len(problems) - MAX_PROBLEMS_SHOWN} 处" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise LoadRefused(f"示范标准有 {len(problems)} 处问题，请改正后重新装载：\n  {shown}{more}")
    frame = pl.DataFrame([i for i in items if i is not None]).with_row_index("sort_order", offset=1)
    return Standard(frame.with_columns(pl.col("sort_order").cast(pl.Int32)), bands, items_path, bands_path)


def indicator_catalogue() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"indicator": code, "label": i.label, "unit": i.unit, "good": i.good, "description": i.description}
            for code, i in INDICATORS.items()
        ]
    )
