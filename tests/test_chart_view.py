"""Charts drawn by our own plotly.js build (ui.chart_view): the right bundle, every trace the
pages draw is in it, and the layout laid under each figure is what st.plotly_chart's theme gave.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from plotly.offline import get_plotlyjs_version
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_data, charts_drawn
from ui import chart_view

APP = str(Path(__file__).parent.parent / "app.py")
BANNER = re.compile(r"^/\* plotly\.js (\S+), traces ([a-z ]+), locale zh-CN")


@pytest.fixture
def on_tiny(monkeypatch, tiny_db, tmp_path):
    """The app reads the tiny warehouse and writes its audit log in the test's folder."""
    monkeypatch.setenv("WAREHOUSE_PATH", str(tiny_db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def _banner() -> re.Match:
    with chart_view.BUNDLE.open(encoding="utf-8") as bundle:
        found = BANNER.match(bundle.readline())
    assert found, "static/plotly-dashboard.min.js has lost the banner build.sh writes"
    return found


def test_the_bundle_is_the_plotly_js_the_python_package_writes_for():
    # A plotly upgrade that moves plotly.js must come with a rebuilt bundle (tools/plotly-bundle).
    assert _banner().group(1) == get_plotlyjs_version() == chart_view.PLOTLY_VERSION


def test_the_bundle_is_a_quarter_of_full_plotly():
    assert chart_view.BUNDLE.stat().st_size < 1_400_000  # full plotly.min.js 4.1.1 is 4,815,814 bytes


def test_every_trace_the_pages_draw_is_in_the_bundle(on_tiny):
    in_bundle = set(_banner().group(2).split())
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"town": "T1", "year": "2024", "pause": "1"})
    at.run()
    drawn: dict[str, set[str]] = {}
    pages = ["overview", "pledges", "vanguards", "readiness", "compare", "report"]
    for page in pages:
        at.switch_page(f"app_pages/{page}.py").run()
        drawn[page] = {trace.get("type", "scatter") for figure in charts_drawn(at) for trace in figure["data"]}
    for slide in range(1, 7):
        at.query_params["slide"] = str(slide)
        at.switch_page("app_pages/present.py").run()
        drawn.setdefault("present", set()).update(
            trace.get("type", "scatter") for figure in charts_drawn(at) for trace in figure["data"]
        )
    assert all(drawn[page] for page in pages), drawn  # each page drew charts: the check below means something
    assert {"bar", "funnel", "heatmap"} <= set().union(*drawn.values())
    assert set().union(*drawn.values()) <= in_bundle, drawn


def test_the_screen_layout_goes_under_the_figures_own():
    figure = go.Figure(go.Bar(x=[1], y=["a"], orientation="h"))
    figure.update_layout(
        title=dict(text="标题", x=0.5),
        margin=dict(l=10),
        xaxis=dict(showgrid=True),
        yaxis2=dict(overlaying="y"),
        template="none",
    )
    layout = chart_view.screen_spec(figure)["layout"]
    # the figure's own values stay; what it left unsaid comes from SCREEN_LAYOUT, at any depth
    assert layout["title"] == {"text": "标题", "x": 0.5, "xanchor": "left", "font": {"weight": 700}}
    assert layout["margin"] == {"l": 10, "pad": 6}
    assert layout["xaxis"] == {"showgrid": True, "automargin": True, "zeroline": False}
    assert layout["yaxis"] == {"automargin": True, "ticklabelposition": "outside"}
    assert layout["yaxis2"] == {"overlaying": "y", "automargin": True, "ticklabelposition": "outside"}
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "#FFFFFF"


def test_the_figure_itself_is_not_changed():
    figure = go.Figure(go.Bar(x=[1], y=[2]))
    chart_view.screen_spec(figure)
    assert figure.layout.xaxis.automargin is None


@pytest.mark.parametrize(
    ("base", "url"),
    [("", "/app/static/plotly-dashboard.min.js"), ("/dash/", "/dash/app/static/plotly-dashboard.min.js")],
)
def test_the_bundle_is_fetched_under_the_apps_base_path(base, url):
    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", base)
    try:
        assert chart_view.bundle_url() == f"{url}?v={chart_view.bundle_version()}"
    finally:
        config.set_option("server.baseUrlPath", before)


def test_streamlit_serves_the_static_folder():
    # without it the bundle's URL is a 404 and every chart stays blank
    text = (Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^enableStaticServing = true$", text, re.M)


def test_the_sidebar_starts_loading_the_bundle_before_any_chart(on_tiny):
    at = AppTest.from_file(APP, default_timeout=60).run()
    preload = at.sidebar[0].proto
    assert preload.unsafe_allow_javascript
    assert f'loadPlotly("/app/static/plotly-dashboard.min.js?v={chart_view.bundle_version()}")' in preload.body
    # st.html's sanitiser (DOMPurify) drops a script whose text looks like it holds a tag
    script = re.fullmatch(r"<script>(.*)</script>", preload.body, re.S).group(1)
    assert not re.search(r"<[/\w!]", script)


def test_a_sessions_first_tables_wait_for_its_first_chart(on_tiny):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"town": "T1", "year": "2024"})
    at.run()  # 总览: no tables, so its charts never ask for a second run
    assert not any(data["report_drawn"] for data in chart_data(at))
    at.switch_page("app_pages/pledges.py").run()
    # first run: the five charts, no table yet; only the first chart asks to say when it is drawn
    assert [data["report_drawn"] for data in chart_data(at)] == [True, False, False, False, False]
    assert not at.dataframe
    assert any("表格随图表之后显示" in c.value for c in at.caption)
    # what the chart's trigger does in a browser (chart_view._mark_drawn), then the rerun it starts
    at.session_state[chart_view.DRAWN] = True
    at.run()
    assert at.dataframe and not any("表格随图表之后显示" in c.value for c in at.caption)
    # the rest of the session: tables at once, and no chart asks again
    at.switch_page("app_pages/vanguards.py").run()
    assert at.dataframe
    assert not any(data["report_drawn"] for data in chart_data(at))


def test_a_table_with_no_chart_above_it_does_not_wait():
    def page():
        import polars as pl  # the page runs as a script of its own: it imports what it uses

        from ui import chart_view
        from ui import page as ui

        chart_view.new_run(tables=True)
        ui.table(pl.DataFrame({"n": [1]}), "t", {"n": "数"}, empty="")

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    assert at.dataframe[0].value["数"].to_list() == [1]


# Figures built once per distinct inputs (chart_view.built) ----------------------------------------


CALLS: list = []


def bars(frame: pl.DataFrame, title: str = "") -> go.Figure:
    CALLS.append(frame.height)
    return go.Figure(go.Bar(x=frame["n"].to_list()), layout={"title": {"text": title}})


@pytest.fixture
def calls(monkeypatch):
    monkeypatch.setattr(chart_view, "_built", chart_view.SharedCache(limit=chart_view.BUILT_LIMIT))
    CALLS.clear()
    return CALLS


def test_a_figure_is_built_once_for_the_same_inputs_and_shared(calls):
    first = chart_view.built(bars, pl.DataFrame({"n": [1, 2]}), title="东关镇")
    again = chart_view.built(bars, pl.DataFrame({"n": [1, 2]}), title="东关镇")  # an equal frame, another object
    assert again is first and calls == [2]
    assert first == chart_view.screen_spec(go.Figure(go.Bar(x=[1, 2]), layout={"title": {"text": "东关镇"}}))


def test_other_data_or_another_title_is_never_a_stale_figure(calls):
    base = chart_view.built(bars, pl.DataFrame({"n": [1, 2]}), title="东关镇")
    newer = chart_view.built(bars, pl.DataFrame({"n": [1, 3]}), title="东关镇")  # a publish changed a figure
    other_town = chart_view.built(bars, pl.DataFrame({"n": [1, 2]}), title="西湖乡")
    retyped = chart_view.built(bars, pl.DataFrame({"n": [1.0, 2.0]}), title="东关镇")  # same values, other dtype
    assert calls == [2, 2, 2, 2]
    assert newer["data"][0]["x"] == [1, 3] and base["data"][0]["x"] == [1, 2]
    assert other_town["layout"]["title"]["text"] == "西湖乡"
    assert retyped is not base


def test_what_has_no_content_key_is_refused_rather_than_cached_by_identity(calls):
    with pytest.raises(TypeError, match="no content key"):
        chart_view.built(bars, object())
    with pytest.raises(TypeError, match="module-level"):
        chart_view.built(lambda frame: bars(frame), pl.DataFrame({"n": [1]}))


def test_the_cache_is_bounded(calls, monkeypatch):
    monkeypatch.setattr(chart_view, "_built", chart_view.SharedCache(limit=3))
    for n in range(5):
        chart_view.built(bars, pl.DataFrame({"n": [n]}))
    assert len(chart_view._built) == 3
    chart_view.built(bars, pl.DataFrame({"n": [0]}))  # evicted first: built again
    assert len(calls) == 6
