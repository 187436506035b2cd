"""The input contract: which files a load reads, their columns, types and enumerations.

One place names every column of every input file; the readers, the validator, the templates
and the demo generator all read it from here (see shared/domain/contract.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Enumerations: canonical value first, then every spelling a clerk may type for it.
# branch_type and org_level are stored as English codes (the domain README defines them so);
# the others are stored as the Chinese label the contract's metric definitions use.
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "org_level": {
        "committee": ("党委", "镇党委", "乡镇党委", "乡党委"),
        "general_branch": ("党总支", "总支", "党总支部"),
        "branch": ("党支部", "支部"),
    },
    "branch_type": {
        "village": ("村(社区)党组织", "村党组织", "社区党组织", "村(社区)党支部", "村", "社区"),
        "organ": ("机关支部", "机关党支部", "机关"),
        "non_public": ("非公有制经济组织党支部", "非公有制经济组织", "非公企业党支部", "非公"),
        "retired": ("退休支部", "退休党支部", "退休"),
        "social": ("新社会组织支部", "新社会组织党支部", "新社会组织", "社会组织"),
    },
    "gender": {"男": ("male", "m"), "女": ("female", "f")},
    "pledger_kind": {
        "组织": ("org", "organisation", "organization", "党组织"),
        "党员": ("member",),
    },
    "review_status": {
        "待审核": ("pending", "未审核"),
        "已通过": ("approved", "通过", "审核通过"),
        "退回修改": ("returned", "退回", "已退回"),
    },
    "fulfilment_status": {
        "未开始": ("not_started",),
        "进行中": ("in_progress", "正在进行"),
        "已兑现": ("fulfilled", "兑现", "已完成"),
        "部分兑现": ("partly_fulfilled", "partial"),
        "未兑现": ("not_fulfilled", "unfulfilled"),
    },
    "mass_rating": {
        "满意": ("satisfied",),
        "基本满意": ("basically_satisfied", "basic"),
        "不满意": ("dissatisfied",),
    },
    "vanguard_kind": {
        "学习先锋": ("study", "learning"),
        "服务先锋": ("service",),
        "廉洁先锋": ("integrity", "clean"),
        "致富先锋": ("prosperity", "wealth"),
        "兴业先锋": ("enterprise", "business"),
        "和谐先锋": ("harmony",),
    },
    "award_level": {
        "镇级": ("town", "乡镇级", "乡级"),
        "县级": ("county",),
        "市级": ("city",),
        "省级": ("province",),
    },
    "leadership_grade": {
        "好": ("good", "优秀"),
        "较好": ("fairly_good",),
        "一般": ("average",),
        "差": ("poor", "较差"),
    },
}

# Chinese labels of the English-coded enumerations, for people.
BRANCH_TYPE_LABELS = {
    "village": "村(社区)党组织",
    "organ": "机关支部",
    "non_public": "非公有制经济组织党支部",
    "retired": "退休支部",
    "social": "新社会组织支部",
}
ORG_LEVEL_LABELS = {"committee": "党委", "general_branch": "党总支", "branch": "党支部"}

TRUE_WORDS = ("是", "yes", "y", "true", "1", "√", "对")
FALSE_WORDS = ("否", "no", "n", "false", "0", "×", "不是")


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # id | text | name | int | count | date | bool | enum
    required: bool = False
    enum: str | None = None
    note: str = ""  # what a clerk should write, for the template's 填写说明


@dataclass(frozen=True)
class FileSpec:
    kind: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required_file: bool = True
    aliases: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column
FILES: dict[str, FileSpec] = {
    spec.kind: spec
    for spec in (
        FileSpec(
            "towns",
            "乡镇",
            (
                C("town_id", "乡镇编码", "id", True, note="唯一编码，如 T01"),
                C("town_name", "乡镇名称", "name", True),
                C("county_name", "所属县", "name", True),
            ),
            key=("town_id",),
            aliases=("乡镇", "乡镇名单"),
        ),
        FileSpec(
            "orgs",
            "党组织",
            (
                C("org_id", "组织编码", "id", True, note="唯一编码"),
                C("org_name", "组织名称", "name", True),
                C("town_id", "乡镇编码", "id", True, note="须在乡镇表中"),
                C("parent_org_id", "上级组织编码", "id", note="党委留空；其他组织必填"),
                C("org_level", "组织层级", "enum", True, "org_level", "党委 / 党总支 / 党支部"),
                C(
                    "branch_type",
                    "支部类型",
                    "enum",
                    False,
                    "branch_type",
                    "村(社区)党组织 / 机关支部 / 非公有制经济组织党支部 / 退休支部 / 新社会组织支部；党委留空",
                ),
            ),
            key=("org_id",),
            aliases=("党组织", "组织"),
        ),
        FileSpec(
            "members",
            "党员",
            (
                C("member_id", "党员编号", "id", True),
                C("name", "姓名", "name", True),
                C("org_id", "所在组织编码", "id", True),
                C("gender", "性别", "enum", False, "gender", "男 / 女"),
                C("birth_date", "出生日期", "date", note="如 1980-05-01 或 1980年5月1日"),
                C("joined_on", "入党日期", "date", True, note="如 2005-07-01 或 2005年7月1日"),
                C("is_committee", "是否班子成员", "bool", note="是 / 否，留空视为否"),
            ),
            key=("member_id",),
            aliases=("党员", "党员名册"),
        ),
        FileSpec(
            "pledges",
            "公开承诺",
            (
                C("pledge_id", "承诺编号", "id", True),
                C("year", "年度", "int", True, note="如 2025"),
                C("pledger_kind", "承诺主体", "enum", True, "pledger_kind", "组织 / 党员"),
                C("org_id", "组织编码", "id", True, note="承诺组织，或党员所在支部"),
                C("member_id", "党员编号", "id", note="党员承诺必填，组织承诺留空"),
                C("category", "承诺类别", "text"),
                C("content", "承诺内容", "text"),
                C("pledged_on", "承诺日期", "date"),
                C("due_on", "完成时限", "date"),
                C("review_status", "审核状态", "enum", True, "review_status", "待审核 / 已通过 / 退回修改"),
                C("reviewed_by", "审核组织编码", "id", note="上级组织的编码"),
                C("reviewed_on", "审核日期", "date"),
                C("check_opinions", "征求意见", "bool", note="党员承诺：是 / 否"),
                C("check_reality", "结合实际", "bool", note="党员承诺：是 / 否"),
                C("check_advanced", "体现先进性", "bool", note="党员承诺：是 / 否"),
                C(
                    "fulfilment_status",
                    "践诺状态",
                    "enum",
                    False,
                    "fulfilment_status",
                    "未开始 / 进行中 / 已兑现 / 部分兑现 / 未兑现；留空视为未开始",
                ),
                C("fulfilled_on", "兑现日期", "date"),
                C("evidence", "践诺佐证", "text"),
                C("mass_rating", "群众评议", "enum", False, "mass_rating", "满意 / 基本满意 / 不满意 / 留空"),
            ),
            key=("pledge_id",),
            aliases=("承诺", "公开承诺"),
        ),
        FileSpec(
            "awards",
            "先锋表彰",
            (
                C("award_id", "表彰编号", "id", True),
                C("year", "年度", "int", True),
                C(
                    "vanguard_kind",
                    "先锋类别",
                    "enum",
                    True,
                    "vanguard_kind",
                    "学习先锋 / 服务先锋 / 廉洁先锋 / 致富先锋 / 兴业先锋 / 和谐先锋",
                ),
                C("member_id", "党员编号", "id", note="表彰党员时填写"),
                C("org_id", "组织编码", "id", True, note="党员所在支部，或受表彰的组织"),
                C("level", "表彰级别", "enum", True, "award_level", "镇级 / 县级 / 市级 / 省级"),
                C("awarded_on", "表彰日期", "date"),
            ),
            key=("award_id",),
            aliases=("表彰", "先锋", "先锋表彰"),
        ),
        FileSpec(
            "assessments",
            "年度考核",
            (
                C("org_id", "组织编码", "id", True),
                C("year", "年度", "int", True),
                C("leadership_grade", "班子考核等次", "enum", False, "leadership_grade", "好 / 较好 / 一般 / 差"),
                C("violations", "违纪违法人数", "count", note="非负整数"),
                C("failed_members", "年度考核不合格人数", "count", note="非负整数"),
                C("meetings_held", "组织生活次数", "count", note="非负整数"),
                C("survey_respondents", "满意度测评人数", "count"),
                C("survey_satisfied", "满意人数", "count"),
                C("survey_basic", "基本满意人数", "count"),
            ),
            key=("org_id", "year"),
            required_file=False,
            aliases=("考核", "年度考核"),
        ),
    )
}

LOAD_ORDER = ("towns", "orgs", "members", "pledges", "awards", "assessments")


def enum_lookup(enum: str) -> dict[str, str]:
    """Every accepted spelling (lower-cased) → canonical value, for one enumeration."""
    table: dict[str, str] = {}
    for canonical, aliases in ENUMS[enum].items():
        for word in (canonical, *aliases):
            table[word.lower()] = canonical
    for code, label in {**BRANCH_TYPE_LABELS, **ORG_LEVEL_LABELS}.items():
        if code in ENUMS[enum]:
            table[label.lower()] = code
    return table


def enum_choices(enum: str) -> str:
    """How the choices read in a message: the Chinese labels a clerk would type."""
    labels = {**BRANCH_TYPE_LABELS, **ORG_LEVEL_LABELS}
    return " / ".join(labels.get(v, v) for v in ENUMS[enum])
