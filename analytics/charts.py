"""Chart builders for every page and the projector: one look, Chinese everywhere, one colour per branch type.

Each builder takes a polars frame from a named query and returns a plotly figure. `big=True` is the
projector's size (axis text 22 px, titles 30 px); the screen size still keeps axis text at 18 px.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.labels import (
    ACCENT,
    BRANCH_TYPE_COLOURS,
    BRANCH_TYPE_LABEL_COLOURS,
    FUNNEL_COLOUR,
    GRID,
    HEATMAP_SCALE,
    MUTED_TEXT,
    NO_VANGUARD,
    OWN_TOWN,
    POINTS_LOST,
    POINTS_WON,
    PROGRESS_COLOURS,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    TEXT,
    percent,
    short_branch_type,
)

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"


def whole_numbers(fig: go.Figure, largest: float) -> None:
    """Counts get whole-number ticks (no 0.2 of a vanguard)."""
    if largest <= 8:
        fig.update_yaxes(dtick=1, tickformat="d")
    else:
        fig.update_yaxes(tickformat=",d")


def style(fig: go.Figure, title: str, *, height: int = 420, big: bool = False, axes: bool = True) -> go.Figure:
    """The common look. `axes=False` for a figure whose axes already carry `_axis_style`."""
    size = 22 if big else 18
    fig.update_layout(
        # on a slide the slide's own title names the chart; a second one would only take height
        title=dict(text="" if big else title, font=dict(size=22)),
        font=dict(family=FONT_FAMILY, size=size, color="#1F1F1F"),
        height=height,
        margin=dict(l=10, r=70, t=20 if big else 60, b=40),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=16)),
        legend=dict(title_text="", font=dict(size=size)),
    )
    if axes:
        fig.update_xaxes(**_axis_style(big))
        fig.update_yaxes(**_axis_style(big))
    return fig


def _axis_style(big: bool) -> dict:
    size = 22 if big else 18
    # axis text as dark as the rest: plotly's default grey fades on a projector
    return dict(tickfont=dict(size=size, color="#1F1F1F"), title_font=dict(size=size, color="#1F1F1F"), gridcolor=GRID)


def _rate_bars(
    frame: pl.DataFrame, label: str, colours: list[str], title: str, *, short: bool = False, **kw
) -> go.Figure:
    """Horizontal bars of fulfilment rates (groups with nothing approved are left out, not drawn as 0)."""
    shown = frame.filter(pl.col("fulfilment_rate").is_not_null())
    fig = go.Figure(
        go.Bar(
            x=(shown["fulfilment_rate"] * 100).to_list(),
            y=[short_branch_type(v) if short else v for v in shown[label]],
            orientation="h",
            marker_color=[colours[i] for i, ok in enumerate(frame["fulfilment_rate"].is_not_null()) if ok],
            text=[percent(r) for r in shown["fulfilment_rate"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(shown["fulfilled"].to_list(), shown["approved"].to_list(), shown[label].to_list(), strict=True)
            ),
            hovertemplate="%{customdata[2]}<br>兑现率 %{x:.1f}%<br>"
            "已兑现 %{customdata[0]} / 通过 %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_xaxes(title="兑现率（%）", range=[0, 112], tickvals=[0, 20, 40, 60, 80, 100])
    fig.update_yaxes(title="", autorange="reversed")
    return style(fig, title, **kw)


def fulfilment_by_branch_type(frame: pl.DataFrame, **kw) -> go.Figure:
    """Lowest rate on top: the branch type that lags is the first thing read."""
    frame = frame.sort("fulfilment_rate", nulls_last=True)
    colours = [BRANCH_TYPE_COLOURS.get(c, BRANCH_TYPE_COLOURS[None]) for c in frame["branch_type"]]
    return _rate_bars(frame, "branch_type_label", colours, "各类党组织承诺兑现率", short=True, **kw)


def fulfilment_by_level(frame: pl.DataFrame, **kw) -> go.Figure:
    return _rate_bars(frame, "pledger_level", [ACCENT] * frame.height, "按承诺主体层级的兑现率", **kw)


def fulfilment_by_category(frame: pl.DataFrame, **kw) -> go.Figure:
    return _rate_bars(frame, "category", [ACCENT] * frame.height, "按承诺类别的兑现率", **kw)


def funnel(head: dict, **kw) -> go.Figure:
    steps = ["承诺", "审核", "通过", "兑现"]
    values = [head["pledges"], head["reviewed"], head["approved"], head["fulfilled"]]
    fig = go.Figure(
        go.Funnel(
            y=steps,
            x=values,
            textinfo="value+percent initial",
            marker=dict(color=FUNNEL_COLOUR),
            textfont=dict(color="#FFFFFF"),
            hovertemplate="%{y}：%{x} 项<extra></extra>",
        )
    )
    return style(fig, "承诺 → 审核 → 通过 → 兑现", **kw)


def progress(frame: pl.DataFrame, **kw) -> go.Figure:
    # months as numbers named 1月…12月, so a narrow chart shows every other month rather than turning
    # twelve names on their side into the key below
    months = frame["month_number"].to_list()
    fig = go.Figure()
    fig.add_scatter(
        x=months,
        y=frame["approved_to_date"].to_list(),
        name="累计通过",
        mode="lines+markers",
        line=dict(color=PROGRESS_COLOURS["approved"], width=3),
        marker=dict(symbol="circle-open", size=9),
    )
    fig.add_scatter(
        x=months,
        y=frame["fulfilled_to_date"].to_list(),
        name="累计兑现",
        mode="lines+markers",
        line=dict(color=PROGRESS_COLOURS["fulfilled"], width=4),
        marker=dict(symbol="circle", size=9),
    )
    fig.add_scatter(
        x=months,
        y=frame["target_fulfilled"].to_list(),
        name="兑现目标线",
        mode="lines",
        line=dict(color=PROGRESS_COLOURS["target"], width=3, dash="dash"),
    )
    fig.update_xaxes(title="", tickmode="array", tickvals=months, ticktext=[f"{m}月" for m in months])
    fig.update_yaxes(title="承诺数（项）", rangemode="tozero")
    whole_numbers(fig, max(frame["approved_to_date"].max() or 0, 1))
    fig.update_traces(hovertemplate="%{fullData.name}：%{y} 项<extra></extra>")
    # the unified label's head names the month (the axis is numbers under its 1月…12月 names)
    fig.update_xaxes(unifiedhovertitle=dict(text="%{x}月"))
    fig.update_layout(hovermode="x unified")
    fig = style(fig, "承诺累计进度与目标", **kw)
    # the key under the months, so it never meets the title whatever the width (it touched it at y=1.12)
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.12, yanchor="top"), margin=dict(b=90))
    return fig


def vanguards_by_kind(frame: pl.DataFrame, **kw) -> go.Figure:
    colours = [ACCENT if v > 0 else NO_VANGUARD for v in frame["vanguards"]]
    fig = go.Figure(
        go.Bar(
            x=frame["vanguard_kind"].to_list(),
            y=frame["vanguards"].to_list(),
            marker_color=colours,
            text=[f"{v}" if v else "无" for v in frame["vanguards"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}：%{y} 名<extra></extra>",
        )
    )
    fig.update_yaxes(title="先锋数", rangemode="tozero")
    whole_numbers(fig, max(frame["vanguards"].max() or 0, 1))
    fig.update_xaxes(title="")
    return style(fig, "各类先锋人数", **kw)


def vanguard_matrix(frame: pl.DataFrame, kinds: list[str], **kw) -> go.Figure:
    """Kinds across, branch types (short forms) down, the count in every cell; when the chart is
    narrow (a projector's half column, a phone) it turns a quarter so the six kinds read down the side."""
    types = list(dict.fromkeys(frame["branch_type_label"].to_list()))
    counts = {(r["branch_type_label"], r["vanguard_kind"]): r["vanguards"] for r in frame.iter_rows(named=True)}
    z = [[counts.get((t, k), 0) for k in kinds] for t in types]
    shorts = [short_branch_type(t) for t in types]
    wide = _matrix(z, kinds, shorts, **kw)
    narrow = _matrix([list(col) for col in zip(*z, strict=True)] if z else [], shorts, kinds, **kw)
    return with_narrow(wide, narrow)


def _matrix(z: list[list[int]], across: list[str], down: list[str], **kw) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=across,
            y=down,
            colorscale=[list(stop) for stop in HEATMAP_SCALE],
            zmin=0,
            text=[[str(v) for v in row] for row in z],
            texttemplate="%{text}",
            textfont=dict(size=18, color=TEXT),
            xgap=2,
            ygap=2,
            showscale=False,
            hovertemplate="%{y} · %{x}：%{z} 名<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=down, ticktext=down)
    fig.update_xaxes(tickmode="array", tickvals=across, ticktext=across)
    return style(fig, "先锋类别 × 支部类型", **kw)


NARROW_BELOW = 640  # px of chart width under which a figure's narrow form is drawn (ui/chart_view.py)


def with_narrow(figure: go.Figure, narrow: go.Figure, below: int = NARROW_BELOW) -> go.Figure:
    """`figure`, carrying the form to draw when its chart is narrower than `below` px.

    The browser knows the width, the server does not: the chart component (ui/chart_view.py) picks.
    """
    figure.update_layout(meta={"narrow": {"below": below, "figure": narrow.to_plotly_json()}})
    return figure


def per_100_by_type(frame: pl.DataFrame, **kw) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[short_branch_type(v) for v in frame["branch_type_label"]],
            y=frame["per_100_members"].to_list(),
            marker_color=[BRANCH_TYPE_COLOURS.get(c, BRANCH_TYPE_COLOURS[None]) for c in frame["branch_type"]],
            text=[f"{v:.1f}" if v is not None else "—" for v in frame["per_100_members"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(
                    frame["vanguards"].to_list(),
                    frame["members"].to_list(),
                    frame["branch_type_label"].to_list(),
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[2]}<br>每百名党员 %{y:.1f} 名<br>"
                "先锋 %{customdata[0]} / 党员 %{customdata[1]}<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(title="每百名党员先锋数", rangemode="tozero")
    return style(fig, "每百名党员先锋数（按支部类型）", **kw)


def awards_by_level(frame: pl.DataFrame, **kw) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=frame["level"].to_list(),
            y=frame["awards"].to_list(),
            marker_color=ACCENT,
            text=frame["awards"].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}：%{y} 项<extra></extra>",
        )
    )
    fig.update_yaxes(title="表彰数", rangemode="tozero")
    whole_numbers(fig, max(frame["awards"].max() or 0, 1) if frame.height else 1)
    return style(fig, "按表彰级别", **kw)


def readiness_by_good(criteria: pl.DataFrame, **kw) -> go.Figure:
    """Points won and lost per good; a good whose items are not filed yet says 未填报 instead of
    looking simply lost (a year in progress has no annual assessment)."""
    goods = criteria.group_by("good", maintain_order=True).agg(
        pl.col("points").sum(),
        pl.col("weight").sum(),
        pl.col("value").is_null().all().alias("unfiled"),
        pl.col("value").is_null().any().alias("partly_unfiled"),
    )
    names = [
        f"{g}（未填报）" if all_out else (f"{g}（部分未填报）" if some_out else g)
        for g, all_out, some_out in zip(goods["good"], goods["unfiled"], goods["partly_unfiled"], strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=goods["points"].to_list(),
        orientation="h",
        name="得分",
        marker_color=POINTS_WON,
        text=[f"{p:g}" if p else "" for p in goods["points"]],
        textposition="inside",
        insidetextfont=dict(color="#FFFFFF"),
        hovertemplate="%{y}：得分 %{x:g}<extra></extra>",
    )
    fig.add_bar(
        y=names,
        x=(goods["weight"] - goods["points"]).to_list(),
        orientation="h",
        name="失分",
        marker_color=POINTS_LOST,
        text=["未填报" if out else "" for out in goods["unfiled"]],
        textposition="inside",
        insidetextfont=dict(color=TEXT),
        hovertemplate="%{y}：失分 %{x:g}<extra></extra>",
    )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title="", tickmode="array", tickvals=names, ticktext=names)
    fig.update_xaxes(title="分")
    return legend_at_foot(style(fig, "五个好：得分与失分", **kw))


def legend_at_foot(fig: go.Figure) -> go.Figure:
    """The legend in a row at the foot of the whole figure, under the x axis's title: placed at a
    share of the plot's height below it, it sat on the title on a short plot (a 1024×768 projector)."""
    fig.update_layout(legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom"), margin=dict(b=100))
    return fig


PROJECTED = "预计"  # a year in progress grades towns on the projection: "预计达标" (analytics/compare.py)


def status_of(label: str | None) -> str | None:
    """The status a label names, without the 预计 of a year in progress: its colour and shape."""
    return label.removeprefix(PROJECTED) if label else label


def ranking(frame: pl.DataFrame, highlight: str | None = None, bands: pl.DataFrame | None = None, **kw) -> go.Figure:
    """Every town's score on the 0–100 scale, with the bands' lines (达标 90, 接近 80 in the default
    standard: `bands` is the warehouse's criteria_bands, never typed in here). Status is written on
    each bar as well as coloured; the chosen town is outlined and marked ▶."""
    shown = frame.sort("readiness_score")
    labels = [
        ("▶ " if t == highlight else "") + f"{r}. {n}"
        for r, n, t in zip(shown["rank"], shown["town_name"], shown["town_id"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=shown["readiness_score"].to_list(),
            y=labels,
            orientation="h",
            marker=dict(
                color=[STATUS_COLOURS.get(status_of(s), MUTED_TEXT) for s in shown["readiness_status"]],
                line=dict(color=OWN_TOWN, width=[3 if t == highlight else 0 for t in shown["town_id"]]),
            ),
            text=[
                f"{s:g} 分 · {st}" for s, st in zip(shown["readiness_score"], shown["readiness_status"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x:g} 分<extra></extra>",
        )
    )
    fig.update_xaxes(title="示范创建得分", range=[0, 100], tickvals=[0, 20, 40, 60, 80, 100])
    fig.update_yaxes(tickmode="array", tickvals=labels, ticktext=labels)  # every town named, none skipped
    # A band from 0 (a standard may name one) marks no threshold: it would tint 0 up to the next band.
    rows = [b for b in bands.iter_rows(named=True) if b["min_score"] > 0] if bands is not None else []
    for n, band in enumerate(rows):
        # Each band a lightly tinted zone up to the next band (or 100), not a dashed line: a line
        # ran through the scores written beside the bars ("80 分 · 预计接近").
        colour = STATUS_COLOURS.get(band["status"], TEXT)
        upper = min((b["min_score"] for b in rows if b["min_score"] > band["min_score"]), default=100)
        fig.add_vrect(x0=band["min_score"], x1=upper, fillcolor=colour, opacity=0.12, line_width=0, layer="below")
        fig.add_shape(  # the threshold marked just above the plot (in pixels: slides are short), beside its name
            type="line",
            x0=band["min_score"],
            x1=band["min_score"],
            yref="paper",
            ysizemode="pixel",
            yanchor=1,
            y0=0,
            y1=8,
            line=dict(color=colour, width=3),
        )
        fig.add_annotation(
            x=band["min_score"],
            text=f"{band['status']} {band['min_score']:g}",
            yref="paper",
            y=1,
            yshift=6,
            yanchor="bottom",
            # the highest band's name to the right of its line, the others to the left: at a
            # phone's width 80 and 90 are 20 px apart
            xanchor="left" if n == 0 else "right",
            font=dict(size=16, color=TEXT),
            showarrow=False,
        )
    fig = style(fig, "示范创建得分排名", **kw)
    fig.update_layout(margin=dict(r=150, t=80 if not kw.get("big") else 40))  # room for "95 分 · 达标"
    fig.update_yaxes(
        tickfont=dict(size=18, color=TEXT)
    )  # 15 towns in a slide's height: 18 px still reads from the back
    return fig


def small_multiples(frame: pl.DataFrame, **kw) -> go.Figure:
    """Five panels a row; two a row when the chart is narrow (a phone), where five ran into each other."""
    narrow = _small_multiples(frame, 2, **kw).update_layout(margin=dict(r=20))  # no bar text to make room for
    return with_narrow(_small_multiples(frame, 5, **kw), narrow)


def _small_multiples(frame: pl.DataFrame, most_cols: int, **kw) -> go.Figure:
    """One panel per town, one bar per branch type, the same colours and slots in every panel.

    Built as one bar trace per town (each bar coloured by its type) plus one legend-only entry per
    type, on a grid laid out here. Plotly express made a trace per town × type (90 for a county's 15
    towns) and `update_xaxes` walks every panel's axis on each call; together 0.35–0.7 s of server
    time on every first visit to 乡镇对比.
    """
    shown = frame.filter(pl.col("fulfilment_rate").is_not_null())
    towns = shown.partition_by("town_id", maintain_order=True)
    types = shown["branch_type_label"].unique(maintain_order=True).to_list()
    big = kw.get("big", False)
    cols = min(most_cols, max(1, len(towns)))
    rows = max(1, -(-len(towns) // cols))
    height = max(360, 220 * rows)
    grid = _panel_grid(len(towns), cols, rows, row_gap=min(0.2, 48 / height) if rows > 1 else 0.0)
    axis = _axis_style(big)
    # the key goes under the panels: at the side it took half of a 1024 px screen's width
    legend = {"orientation": "h", "x": 0, "y": -0.04, "yanchor": "top", "itemclick": False, "itemdoubleclick": False}
    layout: dict = {"annotations": [], "barmode": "relative", "legend": legend}
    for n, (x_domain, y_domain, first_col) in enumerate(grid, start=1):
        suffix = "" if n == 1 else str(n)
        layout[f"xaxis{suffix}"] = {
            **axis,
            "domain": x_domain,
            "anchor": f"y{suffix}",
            "showticklabels": False,
            "categoryorder": "array",
            "categoryarray": [short_branch_type(t) for t in types],
        }
        layout[f"yaxis{suffix}"] = {
            **axis,
            "domain": y_domain,
            "anchor": f"x{suffix}",
            "range": [0, 100],
            "dtick": 25,
            "showticklabels": first_col,
        }
        layout["annotations"].append(
            {
                "text": towns[n - 1]["town_name"][0],
                "x": sum(x_domain) / 2,
                "y": y_domain[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 18, "color": "#1F1F1F"},
            }
        )
    panels = [_town_panel(town, n) for n, town in enumerate(towns, start=1)]
    # the legend is the key to the colours; its entries hold no data, so clicking them hides nothing
    key = [
        go.Bar(x=[None], y=[None], name=label, marker_color=_type_colour(label), showlegend=True, hoverinfo="skip")
        for label in types
    ]
    fig = go.Figure(data=panels + key, layout=layout)
    fig = style(fig, "各乡镇分支部类型兑现率（%）", height=height, axes=False, **kw)
    return fig.update_layout(margin=dict(t=20 if big else 90))  # the first panel's name clears the title


def _panel_grid(count: int, cols: int, rows: int, *, col_gap: float = 0.02, row_gap: float) -> list:
    """(x domain, y domain, is in the first column) of each panel, left to right, top to bottom."""
    width = (1 - (cols - 1) * col_gap) / cols
    height = (1 - (rows - 1) * row_gap) / rows
    cells = []
    for n in range(count):
        row, col = divmod(n, cols)
        left, top = col * (width + col_gap), 1 - row * (height + row_gap)
        cells.append(([left, left + width], [max(0.0, top - height), top], col == 0))
    return cells


def _type_colour(label: str) -> str:
    return BRANCH_TYPE_LABEL_COLOURS.get(label, BRANCH_TYPE_COLOURS[None])


def _town_panel(panel: pl.DataFrame, n: int) -> go.Bar:
    suffix = "" if n == 1 else str(n)
    return go.Bar(
        xaxis=f"x{suffix}",
        yaxis=f"y{suffix}",
        x=[short_branch_type(t) for t in panel["branch_type_label"]],
        y=(panel["fulfilment_rate"] * 100).to_list(),
        marker_color=[_type_colour(label) for label in panel["branch_type_label"]],
        name=panel["town_name"][0],
        showlegend=False,
        customdata=list(
            zip(panel["fulfilled"].to_list(), panel["approved"].to_list(), panel["branch_type_label"], strict=True)
        ),
        hovertemplate="%{fullData.name} · %{customdata[2]}<br>兑现率 %{y:.1f}%<br>"
        "已兑现 %{customdata[0]} / 通过 %{customdata[1]}<extra></extra>",
    )


def fulfilment_vs_vanguards(frame: pl.DataFrame, **kw) -> go.Figure:
    """Towns by fulfilment and vanguards per 100 members; status by shape as well as colour, town
    names on the points (on a narrow chart only in the hover label: fifteen names piled up there)."""
    return with_narrow(_scatter(frame, names=True, **kw), _scatter(frame, names=False, **kw))


def _labels_that_fit(points: pl.DataFrame) -> set[str]:
    """The towns whose names go on the chart: the largest first, each only if no name already placed
    is close by (a twelfth of the x range across, a tenth of the y range down); the others are named
    in the hover label. Fifteen names in a cluster piled into one unreadable knot."""
    if points.height == 0:
        return set()
    xs, ys = points["fulfilment_rate"], points["vanguards_per_100"]
    width = max((xs.max() - xs.min()) or 1, 1e-9)
    height = max((ys.max() - ys.min()) or 1, 1e-9)
    placed: list[tuple[float, float]] = []
    named = set()
    for row in points.sort("members", descending=True).iter_rows(named=True):
        x, y = row["fulfilment_rate"] / width, row["vanguards_per_100"] / height
        if all(abs(x - px) > 1 / 12 or abs(y - py) > 1 / 10 for px, py in placed):
            placed.append((x, y))
            named.add(row["town_name"])
    return named


def _scatter(frame: pl.DataFrame, *, names: bool, **kw) -> go.Figure:
    shown = frame.filter(pl.col("fulfilment_rate").is_not_null() & pl.col("vanguards_per_100").is_not_null())
    has_status = "readiness_status" in shown.columns
    if has_status:  # a year in progress grades on the projection ("预计达标"): grouped by the status itself
        graded = shown.with_columns(pl.col("readiness_status").str.strip_prefix(PROJECTED).alias("_status"))
        groups = [(s, graded.filter(pl.col("_status") == s)) for s in STATUS_COLOURS]
    else:
        groups = [("", shown)]
    largest = max(shown["members"].max() or 1, 1) if shown.height else 1
    named = _labels_that_fit(shown) if names else set()
    projected = has_status and shown["readiness_status"].str.starts_with(PROJECTED).any()
    fig = go.Figure()
    for status, group in groups:
        if group.height == 0:
            continue
        fig.add_scatter(
            x=(group["fulfilment_rate"] * 100).to_list(),
            y=group["vanguards_per_100"].to_list(),
            mode="markers+text",
            name=(PROJECTED if projected else "") + status if status else "乡镇",
            text=[t if t in named else "" for t in group["town_name"]],
            textposition="top center",
            textfont=dict(size=14, color=TEXT),
            marker=dict(
                symbol=STATUS_SYMBOLS.get(status, "circle"),
                color=STATUS_COLOURS.get(status, ACCENT),
                size=[10 + 20 * (m / largest) ** 0.5 for m in group["members"]],
                line=dict(width=1, color="#FFFFFF"),
                opacity=1,
            ),
            customdata=list(zip(group["members"].to_list(), group["town_name"].to_list(), strict=True)),
            hovertemplate="%{customdata[1]}<br>兑现率 %{x:.1f}%<br>每百名党员先锋 %{y:.2f}<br>"
            "党员 %{customdata[0]} 名<extra></extra>",
        )
    fig.update_xaxes(title="兑现率（%）")
    fig.update_yaxes(title="每百名党员先锋数")
    return legend_at_foot(style(fig, "兑现率与每百名党员先锋数", **kw))
