"""Charts on the pages, drawn by our own build of plotly.js instead of st.plotly_chart's.

Why: the first st.plotly_chart of a visit makes the browser fetch and evaluate Streamlit's plotly
chunk, which is all of plotly.js (4.7 MB): measured, 1.5–2 s of the projector machine's cold page,
the reason the first chart came later than 2.5 s (issue 6). The pages draw only bars, funnels,
heatmaps and (in the SQL workbench) lines and points, so `static/plotly-dashboard.min.js` holds the
same plotly.js version as the Python package (4.1.1) with those traces alone: 1.2 MB, 0.4 MB
gzipped. Streamlit serves it from `static/` (`server.enableStaticServing`), and a v2 component,
mounted in the page's own DOM (not an iframe), loads it once per browser tab and draws with
`Plotly.react`, so a rerun updates a chart in place.

The figure is sent as plotly's own JSON. st.plotly_chart also laid its theme under every figure in
the browser; the parts our charts relied on (axes that make room for their labels, titles at the
left in bold, no vertical grid) are laid under here as `SCREEN_LAYOUT`, the figure's own settings
winning. Its full-screen button is not carried over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

BUNDLE = Path(__file__).parent.parent / "static" / "plotly-dashboard.min.js"
PLOTLY_VERSION = "4.1.1"  # the bundle's plotly.js; tests check it against the Python package's
DEFAULT_HEIGHT = 450  # plotly's own default, reserved before the script arrives so nothing jumps
BASE_CONFIG = {"displaylogo": False, "responsive": True}
# What st.plotly_chart's theme gave every chart and ours count on; a figure's own value wins.
SCREEN_LAYOUT = {
    "title": {"x": 0, "xanchor": "left", "font": {"weight": 700}},
    "margin": {"pad": 6},
    "paper_bgcolor": "#FFFFFF",
    "plot_bgcolor": "#FFFFFF",
}
SCREEN_AXES = {
    "x": {"automargin": True, "showgrid": False, "zeroline": False},
    "y": {"automargin": True, "ticklabelposition": "outside"},
}
AXIS = re.compile(r"^([xy])axis\d*$")

_LOADER = """
function loadPlotly(src) {
  // One script element per tab, shared by every chart and every rerun; a failed load may be retried.
  // (No angle brackets in this code: st.html's sanitiser drops a script whose text has a tag in it.)
  if (!window.__dashboardPlotly) {
    window.__dashboardPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__dashboardPlotly = null;
        reject(new Error("图表脚本未能载入：" + src));
      };
      document.head.appendChild(script);
    });
  }
  return window.__dashboardPlotly;
}
"""

_JS = (
    _LOADER
    + """
function inTurn(draw) {
  // Charts are drawn one per task, in the order they were mounted (the page's order), each after a
  // frame: the first chart is on screen while the others are still being drawn, instead of all of
  // them appearing together after one long task.
  const previous = window.__dashboardDraws || Promise.resolve();
  window.__dashboardDraws = previous.then(
    () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
      try { draw(); } finally { resolve(); }
    }, 0)))
  );
}

export default function ({ data, parentElement, setTriggerValue }) {
  let holder = parentElement.querySelector(".dashboard-chart");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "dashboard-chart";
    holder.style.width = "100%";
    parentElement.appendChild(holder);
  }
  holder.style.height = data.height + "px";
  let unmounted = false;
  loadPlotly(data.src)
    .then((Plotly) => inTurn(() => {
      try {
        if (!unmounted) Plotly.react(holder, data.figure.data, data.figure.layout, data.config);
      } finally {
        // the page's tables were held back until now (see tables_wait), drawn or not; a frame first
        if (data.report_drawn) requestAnimationFrame(() => setTriggerValue("drawn", true));
      }
    }))
    .catch((error) => {
      holder.textContent = error.message;
      if (data.report_drawn) setTriggerValue("drawn", true);  // no chart: the tables need not wait
    });
  return () => {
    unmounted = true;
    if (window.Plotly) window.Plotly.purge(holder);
  };
}
"""
)

_mount = st.components.v2.component("dashboard_chart", js=_JS, isolate_styles=False)

# Session state: the browser of this session has drawn a chart (its chunks and plotly.js are in);
# how many charts this script run has shown so far, and whether tables follow them (`new_run`).
DRAWN = "chart_view_drawn"
CHARTS_THIS_RUN = "chart_view_charts_this_run"
TABLES_FOLLOW = "chart_view_tables_follow"


@cache
def bundle_version() -> str:
    """The bundle's content hash: in its URL, so a proxy may cache it for a year (deploy/nginx)."""
    return hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]


def bundle_url() -> str:
    """Where Streamlit serves the bundle, under the app's base path if it has one, with its version."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = "/" + "/".join(part for part in (base, "app/static", BUNDLE.name) if part)
    return f"{path}?v={bundle_version()}"


def preload() -> None:
    """Start fetching the bundle with the page's first elements rather than with its first chart.

    The component's own script waits for Streamlit's component chunks (BidiComponent, and the
    Arrow code they pull in), and on pages with tables for the table chunks too (1.2 MB): measured,
    the bundle was requested 1.7 s (总览) to 2.6 s (乡镇对比) into a cold visit. A script in the
    sidebar's first element requests it at once; the component then finds it loading or loaded.
    """
    # a failed load is retried, and reported, by the first chart
    script = f"<script>(() => {{{_LOADER}\nloadPlotly({json.dumps(bundle_url())}).catch(() => {{}});\n}})();</script>"
    st.sidebar.html(script, unsafe_allow_javascript=True)


def new_run(*, tables: bool) -> None:
    """A page starts: no chart shown yet in this run; `tables`: the page has tables below its charts
    (a page without, such as 总览, never asks for the second run)."""
    st.session_state[CHARTS_THIS_RUN] = 0
    st.session_state[TABLES_FOLLOW] = tables


def tables_wait() -> bool:
    """Whether this run's tables should wait for the browser to draw the page's first chart.

    A table's chunks (Streamlit's DataFrame code, 1.2 MB) are fetched and evaluated at the same
    moment as plotly.js on a first visit, and cost the first chart 0.3–0.6 s (measured on
    示范单位创建). So on a session's first page with a chart above its tables, the tables come in a
    second run, which the first chart starts once it is drawn (or has failed). Later pages of the
    session, and pages with no chart, show their tables at once.
    """
    return st.session_state.get(CHARTS_THIS_RUN, 0) > 0 and not st.session_state.get(DRAWN, False)


def _mark_drawn() -> None:
    st.session_state[DRAWN] = True


def _under(defaults: dict, own: dict) -> dict:
    """`own` with `defaults` filled in wherever it says nothing, at any depth."""
    merged = dict(defaults)
    for name, value in own.items():
        below = merged.get(name)
        merged[name] = _under(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def screen_spec(figure: go.Figure) -> dict:
    """The figure as plotly.js takes it, with `SCREEN_LAYOUT` under its layout."""
    spec = json.loads(figure.to_json())
    layout = spec.get("layout", {})
    axes = {"xaxis", "yaxis"} | {name for name in layout if AXIS.match(name)}
    defaults = {**SCREEN_LAYOUT, **{name: SCREEN_AXES[name[0]] for name in axes}}
    spec["layout"] = _under(defaults, layout)
    return spec


# Figures built once per distinct inputs and shared by every session of the process: building a
# figure through plotly's validators was most of a warm page run once the queries were cached.
BUILT_LIMIT = 512
_built: OrderedDict[tuple, dict] = OrderedDict()
_built_lock = threading.Lock()


def fingerprint(value: Any) -> tuple:
    """A key that changes whenever `value`'s content does (a frame by its bytes, not its identity)."""
    if isinstance(value, pl.DataFrame):
        return ("frame", hashlib.sha256(value.serialize(format="binary")).hexdigest())
    if isinstance(value, dict):
        return ("dict", tuple((k, fingerprint(v)) for k, v in sorted(value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return (type(value).__name__, repr(value))
    raise TypeError(f"no content key for {type(value).__name__}: build this figure with show(builder(...))")


def built(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> dict:
    """The screen spec of `builder(*args, **kwargs)`, built once for the same inputs (by content:
    another town, year or warehouse version gives other frames, so another key). Shared: read-only."""
    if "<" in builder.__qualname__:  # a lambda or a closure: its name does not say what it draws
        raise TypeError(f"built() takes a module-level figure function, not {builder.__qualname__}")
    key = (builder.__module__, builder.__qualname__, fingerprint(args), fingerprint(kwargs))
    with _built_lock:
        if key in _built:
            _built.move_to_end(key)
            return _built[key]
    spec = screen_spec(builder(*args, **kwargs))
    with _built_lock:
        _built[key] = spec
        while len(_built) > BUILT_LIMIT:
            _built.popitem(last=False)
    return spec


def show(figure: go.Figure | dict, where: Any = None, *, config: dict | None = None, key: str | None = None) -> None:
    """Draw `figure` (or a spec from `built`) the width of `where` (a column or container; the page
    itself when None)."""
    spec = figure if isinstance(figure, dict) else screen_spec(figure)
    height = spec.get("layout", {}).get("height") or DEFAULT_HEIGHT
    shown = st.session_state.get(CHARTS_THIS_RUN, 0) + 1
    st.session_state[CHARTS_THIS_RUN] = shown
    data = {
        "figure": spec,
        "config": {**BASE_CONFIG, **(config or {})},
        "height": height,
        "src": bundle_url(),
        "report_drawn": shown == 1 and st.session_state.get(TABLES_FOLLOW, True) and not st.session_state.get(DRAWN),
    }
    with where if where is not None else nullcontext():
        _mount(data=data, key=key, width="stretch", height="content", on_drawn_change=_mark_drawn)
