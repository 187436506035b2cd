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
from collections.abc import Callable
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ui.shared_cache import SharedCache

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

// --- every screen (issue 21): the browser knows the chart's width, the server does not -------------

function touchOrProjector() {
  // no mode bar on touch (it covered every chart's title on a phone) nor on a projector-sized screen
  return window.matchMedia("(hover: none), (pointer: coarse)").matches || window.innerWidth < data_WIDE;
}

function scaleFonts(node, factor) {
  // every font size in a layout or a trace, scaled (axis text 18 px → 14 px on a phone)
  if (Array.isArray(node)) { node.forEach((item) => scaleFonts(item, factor)); return; }
  if (!node || typeof node !== "object") return;
  for (const [name, value] of Object.entries(node)) {
    if (/font$/i.test(name) && value && typeof value.size === "number") {
      value.size = Math.max(12, Math.round(value.size * factor));
    }
    if (value && typeof value === "object") scaleFonts(value, factor);
  }
}

function shaped(data, width, top) {
  // the figure for this width: its narrow form below its threshold, smaller text on a phone
  const narrow = data.narrow && width < data.narrow.below;
  const figure = JSON.parse(JSON.stringify(narrow ? data.narrow.figure : data.figure));
  const layout = figure.layout;
  const phone = window.innerWidth < data_PHONE;
  if (phone) {
    scaleFonts(layout, 0.78);
    scaleFonts(figure.data, 0.78);
    layout.margin = layout.margin || {};
    if (layout.margin.r > 90) layout.margin.r = 90;
    if (layout.margin.t > 44) layout.margin.t = 44;  // the title smaller, so is its room
  }
  let height = layout.height || data.height;
  if (data.fill) {
    // a slide's chart takes the screen's height below it, less the footer (`fill` px)
    height = Math.max(300, window.innerHeight - data.fill - top);
  } else if (phone && height <= data_PHONE_CAP_ABOVE) {
    height = Math.min(height, data_PHONE_HEIGHT);  // so a phone's first screen holds the first chart
  }
  layout.height = height;
  return { figure, narrow, height };
}

function overlapping(texts, letter) {
  const boxes = texts.map((t) => t.getBoundingClientRect()).filter((b) => b.width > 0 && b.height > 0);
  boxes.sort((a, b) => (letter === "x" ? a.left - b.left : a.top - b.top));
  for (let i = 1; i < boxes.length; i++) {
    const a = boxes[i - 1], b = boxes[i];
    const apart = letter === "x" ? b.left >= a.right - 1 : b.top >= a.bottom - 1;
    const sideBySide = letter === "x" ? b.bottom <= a.top + 1 || b.top >= a.bottom - 1 : false;
    if (!apart && !sideBySide) return true;
  }
  return false;
}

function tickFixes(holder) {
  // for every axis whose tick labels touch: numbers thinned, categories turned
  const full = holder._fullLayout;
  const update = {};
  if (!full) return update;
  for (const name of Object.keys(full).filter((key) => /^[xy]axis[0-9]*$/.test(key))) {
    const axis = full[name];
    if (!axis || !axis._id || axis.visible === false) continue;
    const letter = axis._id[0];
    const texts = [...holder.querySelectorAll("g." + axis._id + "tick text")];
    if (texts.length < 2 || !overlapping(texts, letter)) continue;
    if (axis.type === "category") {
      if (letter === "x") {
        const angle = typeof axis.tickangle === "number" ? axis.tickangle : 0;
        if (angle > -45) update[name + ".tickangle"] = -45;
        else if (angle > -90) update[name + ".tickangle"] = -90;
        else update[name + ".tickfont.size"] = Math.max(10, Math.round(axis.tickfont.size * 0.85));
      } else {
        update[name + ".tickfont.size"] = Math.max(10, Math.round(axis.tickfont.size * 0.85));
      }
    } else if (axis.tickmode === "array" && Array.isArray(axis.tickvals) && axis.tickvals.length > 2) {
      const kept = (_, i) => i % 2 === 0;
      update[name + ".tickvals"] = axis.tickvals.filter(kept);
      if (Array.isArray(axis.ticktext)) update[name + ".ticktext"] = axis.ticktext.filter(kept);
    } else {
      update[name + ".nticks"] = Math.max(2, Math.floor(texts.length / 2));
    }
  }
  return update;
}

async function fitTicks(Plotly, holder) {
  for (let round = 0; round < 4; round++) {
    const update = tickFixes(holder);
    if (!Object.keys(update).length) return;
    await Plotly.relayout(holder, update);
  }
}

function draw(Plotly, holder, data) {
  const width = holder.getBoundingClientRect().width || holder.parentElement.getBoundingClientRect().width;
  const top = holder.getBoundingClientRect().top + window.scrollY;
  const { figure, narrow, height } = shaped(data, width, top);
  holder.style.height = height + "px";
  holder.dataset.form = narrow ? "narrow" : "wide";
  holder.dataset.drawnWidth = String(Math.round(width));
  const config = { ...data.config };
  if (touchOrProjector()) config.displayModeBar = false;
  delete holder.dataset.fitted;
  return Plotly.react(holder, figure.data, figure.layout, config)
    .then(() => fitTicks(Plotly, holder))
    .finally(() => { holder.dataset.fitted = "1"; });  // the tests wait for this rather than a guess
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
  let observer = null;
  loadPlotly(data.src)
    .then((Plotly) => inTurn(() => {
      try {
        if (!unmounted) {
          draw(Plotly, holder, data);
          // a new width (a turned phone, the sidebar opened or closed) may want the other form
          let last = holder.getBoundingClientRect().width;
          let timer = null;
          observer = new ResizeObserver(() => {
            const now = holder.getBoundingClientRect().width;
            if (Math.abs(now - last) < 24) return;
            last = now;
            clearTimeout(timer);
            timer = setTimeout(() => { if (!unmounted) draw(Plotly, holder, data); }, 150);
          });
          observer.observe(holder);
        }
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
    if (observer) observer.disconnect();
    if (window.Plotly) window.Plotly.purge(holder);
  };
}
"""
)

WIDE_SCREEN = 1200  # px of window: below it (a projector's 1024, a phone) no mode bar, sidebar closed
PHONE_CHART = 640  # px of window (a phone): text 0.78 of its size, short charts capped in height
PHONE_HEIGHT = 280  # px: the cap, so a phone's first screen holds the headline and the first chart
PHONE_CAP_ABOVE = 480  # px: taller charts (small multiples, long rankings) keep their height
_JS = (
    _JS.replace("data_WIDE", str(WIDE_SCREEN))
    .replace("data_PHONE_CAP_ABOVE", str(PHONE_CAP_ABOVE))
    .replace("data_PHONE_HEIGHT", str(PHONE_HEIGHT))
    .replace("data_PHONE", str(PHONE_CHART))
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
    """The figure as plotly.js takes it, with `SCREEN_LAYOUT` under its layout; a narrow form the
    figure carries (analytics.charts.with_narrow) comes out as `narrow`, made the same way."""
    spec = json.loads(figure.to_json())
    narrow = (spec.get("layout", {}).pop("meta", None) or {}).get("narrow")
    if narrow:
        spec["narrow"] = {"below": narrow["below"], "figure": _laid(narrow["figure"])}
    return _laid(spec)


def _laid(spec: dict) -> dict:
    layout = spec.get("layout", {})
    axes = {"xaxis", "yaxis"} | {name for name in layout if AXIS.match(name)}
    defaults = {**SCREEN_LAYOUT, **{name: SCREEN_AXES[name[0]] for name in axes}}
    spec["layout"] = _under(defaults, layout)
    return spec


# Figures built once per distinct inputs and shared by every session of the process: building a
# figure through plotly's validators was most of a warm page run once the queries were cached.
BUILT_LIMIT = 4096  # the demo county's every figure of every town and year: 672
_built = SharedCache(limit=BUILT_LIMIT)


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


def forget_built() -> None:
    """Drop every built figure (a new warehouse file is published: the next runs build theirs)."""
    _built.forget()


def built(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> dict:
    """The screen spec of `builder(*args, **kwargs)`, built once for the same inputs (by content:
    another town, year or warehouse version gives other frames, so another key). Shared: read-only."""
    if "<" in builder.__qualname__:  # a lambda or a closure: its name does not say what it draws
        raise TypeError(f"built() takes a module-level figure function, not {builder.__qualname__}")
    key = (builder.__module__, builder.__qualname__, fingerprint(args), fingerprint(kwargs))
    return _built.get_or_make(key, lambda: screen_spec(builder(*args, **kwargs)))


def show(
    figure: go.Figure | dict,
    where: Any = None,
    *,
    config: dict | None = None,
    key: str | None = None,
    fill: int | None = None,
) -> None:
    """Draw `figure` (or a spec from `built`) the width of `where` (a column or container; the page itself when None).

    `fill`: the chart grows to the window's bottom less `fill` px (a slide's chart at 1920×1080).
    """
    # a spec from `built` is shared by every session: copied before its narrow form is taken out
    spec = dict(figure) if isinstance(figure, dict) else screen_spec(figure)
    narrow = spec.pop("narrow", None)
    height = spec.get("layout", {}).get("height") or DEFAULT_HEIGHT
    shown = st.session_state.get(CHARTS_THIS_RUN, 0) + 1
    st.session_state[CHARTS_THIS_RUN] = shown
    data = {
        "figure": spec,
        "narrow": narrow,
        "fill": fill,
        "config": {**BASE_CONFIG, **(config or {})},
        "height": height,
        "src": bundle_url(),
        "report_drawn": shown == 1 and st.session_state.get(TABLES_FOLLOW, True) and not st.session_state.get(DRAWN),
    }
    with where if where is not None else nullcontext():
        _mount(data=data, key=key, width="stretch", height="content", on_drawn_change=_mark_drawn)
