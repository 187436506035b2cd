"""The work summary of one town's year, in the seed's structure, with every sentence made from figures.

Sections follow the township work summary this product grew from: 基本情况; 创建目标与成效 (the
standard, then one part per good of the 五个好); 五带头与先锋评选; 公开承诺; 存在问题与下一步;
an appendix naming the view behind every number. A sentence states a figure, the standard it is held
to and how it moved; what only the committee can say is a marked placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from analytics import charts
from analytics.labels import indicator_value
from analytics.labels import percent as pct
from analytics.readiness import measurable, standard_text
from analytics.report.model import Chart, Figures, Heading, Paragraph, Placeholder, Report, Table
from analytics.report.words import (
    count,
    count_change,
    gap_words,
    rate_change,
    same_date_change,
    standard_words,
    target_words,
    value_change,
)
from etl.criteria import GOODS

Query = Callable[..., pl.DataFrame]

CHINESE_ORDINALS = "一二三四五六七八九十"
LAGGING_SHOWN = 5


class NoReportData(Exception):
    """There is nothing to write about; the message (in Chinese) says why and what to do."""


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Writer:
    """Collects the blocks of one report; each section is one method below."""

    def __init__(self, query: Query, town_id: str, year: int) -> None:
        self.query = query
        self.town_id = town_id
        self.year = year
        self.figures = Figures()
        self.blocks: list = []
        summary = query("report_town_summary", town_id=town_id, year=year)
        if summary.height == 0:
            raise NoReportData(self._unknown_message())
        self.now = summary.row(0, named=True)
        last = query("report_town_summary", town_id=town_id, year=year - 1)
        self.last = last.row(0, named=True) if last.height else {}
        if not self.now["members"] and not self.now["pledges"]:
            raise NoReportData(
                f"{self.now['town_name']}{year}年没有党员和承诺记录，无法生成工作总结：请先装载该镇的数据"
                "（组织、党员和承诺三个文件），再生成。"
            )
        self.in_progress = self.now["as_of"] < dt.date(year, 12, 31)
        self.criteria = query("town_readiness_criteria", town_id=town_id, year=year)
        last_criteria = query("town_readiness_criteria", town_id=town_id, year=year - 1)
        self.last_values = dict(zip(last_criteria["criterion_id"], last_criteria["value"], strict=True))
        indicators = query("town_indicator_context", town_id=town_id, year=year)
        self.indicators = {r["indicator"]: r for r in indicators.iter_rows(named=True)}
        readiness = query("town_readiness", town_id=town_id, year=year)
        self.readiness = readiness.row(0, named=True) if readiness.height else None
        self.section_number = 0

    def _unknown_message(self) -> str:
        towns = self.query("towns")
        if self.town_id not in towns["town_id"].to_list():
            return f"仓库中没有乡镇编码为“{self.town_id}”的乡镇，请从乡镇列表中选择。"
        years = self.query("years")["year"].to_list()
        return f"仓库中没有 {self.year} 年的数据（现有年度：{'、'.join(map(str, years)) or '无'}）。"

    # figures -----------------------------------------------------------------------------------
    def summary_figure(self, label: str, column: str, text: str) -> str:
        return self.row_figure(self.now, "v_town_summary", label, column, text)

    def n(self, label: str, column: str, unit: str) -> str:
        return self.summary_figure(label, column, count(self.now[column], unit))

    def rate(self, label: str, column: str) -> str:
        return self.summary_figure(label, column, pct(self.now[column]))

    def row_figure(self, row: dict, view: str, label: str, column: str, text: str) -> str:
        return self.figures.add(label, text, row[column], view, column, town_id=self.town_id, year=self.year)

    # structure ---------------------------------------------------------------------------------
    def section(self, title: str) -> None:
        self.blocks.append(Heading(1, f"{CHINESE_ORDINALS[self.section_number]}、{title}"))
        self.section_number += 1

    def say(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def ask(self, text: str) -> None:
        self.blocks.append(Placeholder(f"【待党委撰写：{text}】"))

    # sections ----------------------------------------------------------------------------------
    def opening(self) -> None:
        self.ask(
            "开展创先争优活动的重要意义、指导思想和上级文件依据（对应原总结开头和“指导思想明确”部分），"
            "由党委根据县委文件精神撰写"
        )
        s = self.now
        as_of = f"（截至{s['as_of'].month}月{s['as_of'].day}日）" if self.in_progress else ""
        text = (
            f"{self.year}年{as_of}，全镇 {self.n('党组织数', 'orgs', '个')}党组织、"
            f"{self.n('党员数', 'members', '名')}党员围绕“五个好”“五带头”开展创先争优活动，"
            f"共作出公开承诺 {self.n('承诺数', 'pledges', '项')}，"
            f"评选表彰先锋 {self.n('先锋数', 'vanguards', '名')}。"
        )
        if self.readiness:
            r = self.readiness
            score = self._readiness_figure("示范标准得分", "score", f"{r['score']:g}")
            met = self._readiness_figure("达标项数", "criteria_met", str(r["criteria_met"]))
            status = self._readiness_figure("创建状态", "status", r["status"])
            text += (
                f"对照县级创先争优活动示范单位标准（{r['criteria_total']} 项，满分 {r['score_max']:g} 分），"
                f"全镇得分 {score} 分，{met} 项达标，评定为“{status}”。"
            )
        self.say(text + "现将创建工作情况总结如下。")

    def _readiness_figure(self, label: str, column: str, text: str) -> str:
        return self.row_figure(self.readiness, "v_readiness", label, column, text)

    def basics(self) -> None:
        self.section("基本情况")
        by_type = self.query("report_orgs_by_branch_type", town_id=self.town_id, year=self.year)
        profile_frame = self.query("report_member_profile", town_id=self.town_id, year=self.year)
        levels = {
            "党委": int(by_type["committees"].sum()),
            "党总支": int(by_type["general_branches"].sum()),
            "党支部": int(by_type["branches"].sum()),
        }
        parts = "、".join(f"{name} {n} 个" for name, n in levels.items() if n)
        text = f"全镇共有党组织 {self.n('党组织数', 'orgs', '个')}（{parts}）"
        if profile_frame.height and profile_frame["members"][0]:
            p = profile_frame.row(0, named=True)

            def pf(label: str, column: str, text: str) -> str:
                return self.row_figure(p, "v_member_profile", label, column, text)

            text += (
                f"；{self.year}年底前入党的党员 {self.n('党员数', 'members', '名')}，其中女党员 "
                f"{pf('女党员数', 'women', count(p['women'], '名'))}"
                f"（占 {pf('女党员占比', 'women_rate', pct(p['women_rate']))}），"
                f"35 岁及以下 {pf('35岁及以下党员数', 'aged_35_or_under', count(p['aged_35_or_under'], '名'))}"
                f"（占 {pf('35岁及以下占比', 'aged_35_or_under_rate', pct(p['aged_35_or_under_rate']))}），"
                f"60 岁以上 {pf('60岁以上党员数', 'aged_over_60', count(p['aged_over_60'], '名'))}，"
                f"班子成员 {pf('班子成员数', 'committee_members', count(p['committee_members'], '名'))}"
            )
            if p["age_unknown"]:
                text += f"；另有 {pf('年龄不详党员数', 'age_unknown', count(p['age_unknown'], '名'))}未填出生日期"
        self.say(text + "。各类党组织和党员分布如下表。")
        members = self.now["members"] or 0
        rows = [
            [
                r["branch_type_label"],
                str(r["orgs"]),
                str(r["members"]),
                pct(r["members"] / members) if members else "无数据",
            ]
            for r in by_type.iter_rows(named=True)
        ]
        rows.append(["合计", str(int(by_type["orgs"].sum())), str(members), "100.0%" if members else "无数据"])
        self.blocks.append(
            Table(
                "表1 党组织和党员分布（按支部类型）",
                ["支部类型", "党组织数", "党员数", "党员占比"],
                rows,
                "数据来源：视图 v_member_coverage（按支部类型汇总，镇党委直属党员单列）",
                numeric=(1, 2, 3),
            )
        )

    def goals(self) -> None:
        self.section("创建目标明确，成效显著")
        if self.criteria.height == 0 or not self.readiness:
            self.say("仓库中没有示范单位标准，无法对照标准评估；请在装载时指定标准文件（--criteria）。")
            return
        r = self.readiness
        self.blocks.append(Heading(2, "（一）对照示范单位标准总体情况"))
        if self.in_progress:
            # the same wording as the pages: the measurable part, then the projection labelled 预计
            text = (
                f"按县级示范单位标准逐项测算，本年度尚未结束，已可计分的 {r['criteria_measurable']} 项指标中 "
                f"{r['criteria_measurable_met']} 项达标，已可计分 {r['score_measurable']:g} / "
                f"{r['score_max_measurable']:g} 分；另有 {r['criteria_awaiting']} 项年度考核待填报，不计 0 分，也不计入"
            )
        else:
            text = (
                f"按县级示范单位标准逐项测算，全镇 {r['criteria_total']} 项指标中 {r['criteria_met']} 项达标，"
                f"得分 {r['score']:g} / {r['score_max']:g} 分，评定为“{r['status']}”"
            )
        last = self.query("town_readiness", town_id=self.town_id, year=self.year - 1)
        if last.height:
            before = last.row(0, named=True)
            delta = r["score"] - before["score"]
            if self.in_progress:
                text += f"（上年全年 {before['score']:g} 分）"
            elif abs(delta) < 0.05:
                text += "，与上年持平"
            else:
                text += f"，比上年{'提高' if delta > 0 else '降低'} {abs(delta):g} 分（上年 {before['score']:g} 分）"
        text += "。"
        if self.in_progress:
            projected = self._readiness_figure("年底预计得分", "projected_score", f"{r['projected_score']:g}")
            error = r.get("projected_score_error")
            band = f"，误差约 ±{error:.0f} 分" if error is not None else ""
            text += (
                f"按往年同期推算，年底预计得分 {projected} 分{band}，预计评定为“{r['projected_status']}”；"
                "推算按往年同一日期已兑现、已表彰的份额和上年全年结果进行，年度考核项目采用上一年度考核结果。"
            )
        self.say(text)
        self.blocks.append(self._scorecard())
        self.blocks.append(
            Chart(
                "图1 各“好”得分与满分",
                charts.readiness_by_good(measurable(self.criteria), height=360),
                "数据来源：视图 v_readiness_criteria",
            )
        )
        for number, good in enumerate(GOODS, start=2):
            self.blocks.append(Heading(2, f"（{CHINESE_ORDINALS[number - 1]}）{good}"))
            rows = self.criteria.filter(pl.col("good") == good)
            if rows.height == 0:
                self.say("本县示范单位标准未对此项设定量化指标。")
            for c in rows.iter_rows(named=True):
                self.say(self._criterion_sentence(c))
            self.ask(f"“{good}”方面的具体做法、典型事例和群众评价")

    def _criterion_sentence(self, c: dict) -> str:
        standard = standard_words(c["operator"], c["threshold"], c["unit"])
        if c.get("awaiting_filing"):
            return (
                f"{c['indicator_label']}待填报（年度考核在年度结束后填报）；标准{standard}，"
                f"填报前不计 0 分，也不计入已可计分（满分 {c['weight']:g} 分）。"
            )
        if c["value"] is None:
            return (
                f"{c['indicator_label']}暂无数据（年度考核或满意度测评未填报）；标准{standard}，暂不计分"
                + ("，一票否决项填报前不能评为达标" if c["veto"] else "")
                + f"（满分 {c['weight']:g} 分）。"
            )
        value = self.figures.add(
            c["indicator_label"],
            indicator_value(c["value"], c["unit"]),
            c["value"],
            "v_readiness_criteria",
            "value",
            town_id=self.town_id,
            year=self.year,
            criterion_id=c["criterion_id"],
        )
        if c["met"]:
            verdict = "已达到标准"
        else:
            verdict = f"未达到标准，差 {gap_words(c['gap'], c['unit'])}" if c["gap"] is not None else "未达到标准"
        change = value_change(c["value"], self.last_values.get(c["criterion_id"]), c["unit"], self.in_progress)
        points = f"得 {c['points']:g} 分（满分 {c['weight']:g} 分{'，一票否决项' if c['veto'] else ''}）"
        return f"{c['indicator_label']}为 {value}{change}；标准{standard}，{verdict}，{points}。"

    def _scorecard(self) -> Table:
        rows = []
        for c in self.criteria.iter_rows(named=True):
            met = "达标" if c["met"] else ("无数据" if c["value"] is None else "未达标")
            rows.append(
                [
                    c["good"],
                    c["indicator_label"],
                    indicator_value(c["value"], c["unit"]),
                    standard_text(c["operator"], c["threshold"], c["unit"]),
                    met,
                    f"{c['points']:g}/{c['weight']:g}",
                ]
            )
        return Table(
            "表2 示范单位标准逐项对照",
            ["五个好", "指标", "本年度", "标准", "结果", "得分"],
            rows,
            "数据来源：视图 v_readiness_criteria（标准见表 criteria）",
            numeric=(2, 5),
            widths=(16, 30, 14, 16, 12, 12),
        )

    def vanguards(self) -> None:
        self.section("五带头与先锋评选")
        kinds = self.query("town_vanguards_by_kind", town_id=self.town_id, year=self.year)
        present = [(k, int(n)) for k, n in kinds.iter_rows() if n]
        missing = [k for k, n in kinds.iter_rows() if not n]
        s = self.now
        per_100 = self.summary_figure("每百名党员先锋数", "vanguards_per_100", self._per_100(s["vanguards_per_100"]))
        text = (
            f"{self.year}年全镇评选表彰各类先锋 {self.n('先锋数', 'vanguards', '名')}"
            f"{count_change(s['vanguards'], self.last.get('vanguards'), '名', self.in_progress)}，"
            f"每百名党员 {per_100} 名"
        )
        if self.last.get("vanguards_per_100") is not None and s["vanguards_per_100"] is not None:
            text += f"（上年 {self._per_100(self.last['vanguards_per_100'])} 名）"
        if present:
            text += "。其中" + "、".join(f"{k} {n} 名" for k, n in present)
        text += "。" + (f"六类先锋中尚缺{'、'.join(missing)}。" if missing else "六类先锋齐全。")
        self.say(text)
        self.blocks.append(self._vanguard_table(kinds["vanguard_kind"].to_list()))
        levels = self.query("town_awards_by_level", town_id=self.town_id, year=self.year)
        if levels.height:
            self.say(
                "按表彰级别："
                + "、".join(f"{level} {n} 名" for level, n in levels.iter_rows())
                + "（数据来源：表 awards，按党员所在组织计入乡镇）。"
            )
        self.blocks.append(
            Chart("图2 各类先锋人数", charts.vanguards_by_kind(kinds, height=340), "数据来源：视图 v_vanguard_counts")
        )
        self.ask(
            "镇党委政府及全体党员在带头学习提高、带头争创佳绩、带头服务群众、带头遵纪守法、"
            "带头弘扬正气（“五带头”）方面的做法和先进事例"
        )

    @staticmethod
    def _per_100(value: float | None) -> str:
        return "无数据" if value is None else f"{value:.1f}"

    def _vanguard_table(self, kinds: list[str]) -> Table:
        matrix = self.query("town_vanguards_matrix", town_id=self.town_id, year=self.year)
        types = list(dict.fromkeys(matrix["branch_type_label"].to_list()))
        cells = {(r["branch_type_label"], r["vanguard_kind"]): r["vanguards"] for r in matrix.iter_rows(named=True)}
        rows = []
        for t in types:
            counts = [int(cells.get((t, k), 0)) for k in kinds]
            rows.append([t, *map(str, counts), str(sum(counts))])
        totals = [sum(int(cells.get((t, k), 0)) for t in types) for k in kinds]
        rows.append(["合计", *map(str, totals), str(sum(totals))])
        return Table(
            "表3 先锋人数（按支部类型和类别）",
            ["支部类型", *kinds, "合计"],
            rows,
            "数据来源：视图 v_vanguard_counts",
            numeric=tuple(range(1, len(kinds) + 2)),
        )

    def pledges(self) -> None:
        self.section("公开承诺")
        s = self.now
        if not s["pledges"]:
            self.say(f"{self.year}年全镇尚无公开承诺记录。")
            return
        pending = s["pledges"] - s["reviewed"]
        sent_back = s["reviewed"] - s["approved"]
        text = (
            f"全镇党组织和党员共作出公开承诺 {self.n('承诺数', 'pledges', '项')}"
            f"{count_change(s['pledges'], self.last.get('pledges'), '项', self.in_progress)}，"
            f"已审核 {self.n('已审核承诺数', 'reviewed', '项')}（审核率 {self.rate('承诺审核率', 'review_rate')}），"
            f"其中审核通过 {self.n('审核通过承诺数', 'approved', '项')}、退回修改 {sent_back} 项"
            f"{f'，待审核 {pending} 项' if pending else ''}。"
            f"通过的承诺中已兑现 {self.n('已兑现承诺数', 'fulfilled', '项')}，兑现率 "
            f"{self.rate('承诺兑现率', 'fulfilment_rate')}"
            f"{self._fulfilment_change()}；"
            f"部分兑现 {self.n('部分兑现承诺数', 'partly_fulfilled', '项')}（不计入兑现率），"
            f"逾期未兑现 {self.n('逾期未兑现承诺数', 'overdue', '项')}（截至{_date(s['as_of'])}）。"
            f"党员承诺覆盖率 {self.rate('党员承诺覆盖率', 'coverage_rate')}"
            f"{rate_change(s['coverage_rate'], self.last.get('coverage_rate'), self.in_progress)}。"
        )
        self.say(text)
        self.blocks.append(self._level_table())
        by_type = self._in_branch_type_order(
            self.query("town_fulfilment_by_branch_type", town_id=self.town_id, year=self.year)
        )
        self.blocks.append(self._branch_type_table(by_type))
        if by_type["approved"].sum():
            self.blocks.append(
                Chart(
                    "图3 各类党组织承诺兑现率",
                    charts.fulfilment_by_branch_type(by_type, height=340),
                    "数据来源：视图 v_fulfilment_by_branch_type",
                )
            )
        self._member_review()
        if s["rated"]:
            self.say(
                f"群众评议承诺 {self.n('群众评议承诺数', 'rated', '项')}，评议满意率 "
                f"{self.rate('承诺群众评议满意率', 'mass_rating_rate')}"
                f"{rate_change(s['mass_rating_rate'], self.last.get('mass_rating_rate'), self.in_progress)}。"
            )
        self.ask("承诺“三注重”（注重可行性、针对性、实效性）的具体做法，各类支部承诺重点与中心工作对接的情况")

    def _fulfilment_change(self) -> str:
        """Against last year's whole in a finished year; against 同期 in a year in progress, with the
        projection and its band."""
        now = self.now["fulfilment_rate"]
        if not self.in_progress:
            return rate_change(now, self.last.get("fulfilment_rate"))
        row = self.indicators.get("fulfilment_rate") or {}
        text = same_date_change(now, row.get("value_same_date_last_year"), self.last.get("fulfilment_rate"))
        if row.get("projected_value") is not None:
            error = row.get("projection_error")
            band = f"，误差约 ±{error * 100:.0f} 个百分点" if error is not None else ""
            text += f"，按往年同期推算年底预计 {pct(row['projected_value'])}{band}"
        return text

    def _in_branch_type_order(self, frame: pl.DataFrame) -> pl.DataFrame:
        order = self.query("branch_types")["branch_type_label"].to_list()
        return frame.sort(pl.col("branch_type_label").replace_strict(order, list(range(len(order))), default=99))

    def _level_table(self) -> Table:
        levels = self.query("town_pledges_by_level", town_id=self.town_id, year=self.year, branch_type=None)
        rows = [
            [
                r["pledger_level"],
                str(r["pledges"]),
                str(r["approved"]),
                str(r["fulfilled"]),
                str(r["partly_fulfilled"]),
                pct(r["fulfilment_rate"]),
            ]
            for r in levels.iter_rows(named=True)
        ]
        return Table(
            "表4 公开承诺情况（按承诺主体）",
            ["承诺主体", "承诺数", "审核通过", "已兑现", "部分兑现", "兑现率"],
            rows,
            "数据来源：视图 v_pledge_fulfilment",
            numeric=(1, 2, 3, 4, 5),
        )

    def _branch_type_table(self, by_type: pl.DataFrame) -> Table:
        rows = [
            [
                r["branch_type_label"],
                str(r["pledges"]),
                str(r["approved"]),
                str(r["fulfilled"]),
                pct(r["fulfilment_rate"]),
            ]
            for r in by_type.iter_rows(named=True)
        ]
        return Table(
            "表5 公开承诺兑现情况（按支部类型）",
            ["支部类型", "承诺数", "审核通过", "已兑现", "兑现率"],
            rows,
            "数据来源：视图 v_fulfilment_by_branch_type",
            numeric=(1, 2, 3, 4),
            widths=(36, 16, 16, 16, 16),
        )

    def _member_review(self) -> None:
        frame = self.query("report_member_review", town_id=self.town_id, year=self.year)
        if frame.height == 0 or not frame["member_pledges"][0]:
            return
        r = frame.row(0, named=True)

        def rf(label: str, column: str, unit: str = "项") -> str:
            return self.row_figure(r, "v_member_pledge_review", label, column, count(r[column], unit))

        text = (
            "对党员承诺，各党支部按“是不是涉及征求到的意见、建议，是不是结合自身实际，是不是体现先进性要求”"
            f"三项要求审核：党员承诺 {rf('党员承诺数', 'member_pledges')}，"
            f"已审核 {rf('已审核党员承诺数', 'reviewed')}，"
            f"三项均符合 {rf('三项均符合的党员承诺数', 'all_three_yes')}，"
            f"退回修改 {rf('退回修改的党员承诺数', 'sent_back')}"
        )
        if r["pending"]:
            text += f"，待审核 {rf('待审核的党员承诺数', 'pending')}"
        text += "。"
        if r["approved_failing_a_check"]:
            text += (
                f"另有 {rf('审核通过但三项未全部符合的党员承诺数', 'approved_failing_a_check')}审核通过的承诺"
                "三项要求未全部符合或未填写，需复核审核把关。"
            )
        self.say(text)
        self.blocks.append(
            Table(
                "表6 党员承诺三项要求审核情况",
                ["审核要求", "符合", "不符合"],
                [
                    ["是不是涉及征求到的意见、建议", str(r["opinions_yes"]), str(r["opinions_no"])],
                    ["是不是结合自身实际", str(r["reality_yes"]), str(r["reality_no"])],
                    ["是不是体现先进性要求", str(r["advanced_yes"]), str(r["advanced_no"])],
                ],
                "数据来源：视图 v_member_pledge_review（已审核的党员承诺）",
                numeric=(1, 2),
            )
        )

    def problems(self) -> None:
        self.section("存在问题与下一步")
        unmet = [c for c in self.criteria.iter_rows(named=True) if not c["met"]]
        if unmet:
            self.say(f"对照示范单位标准，还有 {len(unmet)} 项未达到：")
            for i, c in enumerate(unmet, start=1):
                standard = standard_words(c["operator"], c["threshold"], c["unit"])
                if c["value"] is None:
                    self.say(f"{i}. {c['indicator_label']}：暂无数据（标准{standard}），需按时填报。")
                else:
                    veto = "（一票否决项：不达到不能评为示范单位）" if c["veto"] else ""
                    self.say(
                        f"{i}. {c['indicator_label']}：{indicator_value(c['value'], c['unit'])}，"
                        f"标准{standard}，差 {gap_words(c['gap'], c['unit'])}{veto}。"
                    )
        elif self.criteria.height:
            self.say("对照示范单位标准，各项指标均已达到。")
        lagging = self.query("town_lowest_branches", town_id=self.town_id, year=self.year, branch_type=None)
        lagging = lagging.filter(pl.col("fulfilment_rate") < 1).head(LAGGING_SHOWN)
        if lagging.height:
            self.say(
                "承诺兑现率较低的党组织（审核通过 3 项以上）："
                + "；".join(
                    f"{r['org_name']}（{r['branch_type_label']}，兑现率 {pct(r['fulfilment_rate'])}，"
                    f"逾期 {r['overdue']} 项）"
                    for r in lagging.iter_rows(named=True)
                )
                + "（数据来源：视图 v_pledge_fulfilment）。"
            )
        tasks = [
            f"把{c['indicator_label']}{target_words(c['operator'], c['threshold'], c['unit'])}"
            for c in unmet
            if c["value"] is not None
        ]
        if any(c["value"] is None for c in unmet):
            tasks.append("按时完成年度考核和满意度测评的填报")
        if tasks:
            self.say("下一步，镇党委将" + "；".join(tasks) + "。")
        self.ask("针对上述问题的具体措施、责任分工和时间安排")


def work_summary(query: Query, town_id: str, year: int) -> Report:
    """The draft 工作总结 of one town's year; raises NoReportData with a message when there is nothing to say."""
    w = _Writer(query, town_id, year)
    w.opening()
    w.basics()
    w.goals()
    w.vanguards()
    w.pledges()
    w.problems()
    town_name = w.now["town_name"]
    status = f"数据截至{_date(w.now['as_of'])}，年度进行中" if w.in_progress else f"数据截至{_date(w.now['as_of'])}"
    return Report(
        title=f"{town_name}创先争优活动示范单位创建工作总结",
        subtitle=f"（{year}年度 · 草稿：{status}；由创先争优看板根据仓库数据生成，标黄处待党委撰写）",
        town_id=town_id,
        town_name=town_name,
        year=year,
        as_of=w.now["as_of"],
        in_progress=w.in_progress,
        blocks=w.blocks,
        figures=w.figures.items,
    )
