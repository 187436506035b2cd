"""Every screen the pages are read on (issue 21): a projector at 1024×768, desks at 1366 and 1920, a
phone at 390×844. One stylesheet and one small script, laid on every page by app.py.

- KPI cards, labels and buttons wrap or shrink; nothing ends in an ellipsis.
- On a phone, KPI cards sit three to a row (one card a row pushed 总览's first chart three screens
  down) and the page's padding shrinks.
- The sidebar starts closed below 1200 px (Streamlit's "auto" closes it only on a phone: at
  1024×768 it left the page 724 px), and on a phone it closes again after a page or a value has
  been chosen in it (it covered 77 % of the screen, with a 28 px « to close it).
"""

from __future__ import annotations

import streamlit as st

WIDE_SCREEN = 1200  # px: below it the sidebar starts closed (ui/chart_view.py hides the mode bar there too)
PHONE = 640  # px: Streamlit stacks columns below this width

CSS = f"""
<style>
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}}
[data-testid="stMetricValue"] {{ font-size: clamp(1.5rem, 3.2vw, 2.25rem) !important; line-height: 1.15; }}
[data-testid="stMetricDelta"] {{ font-size: 0.95rem; }}
.stButton button, .stDownloadButton button, .stLinkButton a, [data-testid="stPageLink"] a {{
  white-space: normal !important; height: auto !important; min-height: 2.5rem; max-width: 100%;
}}
.stButton button *, .stDownloadButton button *, .stLinkButton a *, [data-testid="stPageLink"] a *,
[data-testid="stWidgetLabel"] *, [data-testid="stCaptionContainer"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
@media (max-width: {PHONE}px) {{
  [data-testid="stMainBlockContainer"] {{ padding: 3.9rem 0.75rem 2rem 0.75rem !important; }}
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] p {{ font-size: 0.95rem; line-height: 1.5; }}
  [data-testid="stMain"] h1 {{ font-size: 1.45rem !important; padding: 0.25rem 0 !important; }}
  [data-testid="stMain"] h3 {{ font-size: 1.15rem !important; padding: 0.25rem 0 !important; }}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {{
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.4rem 0.6rem !important;
  }}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] {{
    flex: 1 1 calc(33% - 0.6rem) !important; min-width: calc(33% - 0.6rem) !important; width: auto !important;
  }}
  [data-testid="stMetric"] {{ padding: 0 !important; }}
  [data-testid="stMetricDelta"] {{ font-size: 0.75rem !important; }}
  [data-testid="stMain"] [data-testid="stAlert"] p {{ font-size: 0.85rem !important; line-height: 1.4; }}
  [data-testid="stMain"] [data-testid="stAlertContainer"] {{ padding: 0.5rem 0.75rem !important; }}
  [data-testid="stMetricValue"] {{ font-size: 1.25rem !important; }}
  [data-testid="stMetricLabel"] p {{ font-size: 0.8rem !important; }}
}}
</style>
"""

# One listener per tab. (No angle brackets in the code: st.html's sanitiser drops such a script.)
SCRIPT = f"""<script>(() => {{
  if (window.__dashboardScreen) return;
  window.__dashboardScreen = true;
  const sidebar = () => document.querySelector('[data-testid="stSidebar"]');
  const isOpen = () => {{ const s = sidebar(); return !!s && s.getAttribute('data-collapsed') === 'false'; }};
  const close = () => {{
    if (!isOpen()) return;
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
      || document.querySelector('[data-testid="stSidebarCollapseButton"]');
    if (button) button.click();
  }};
  const closeSoon = (ms) => setTimeout(close, ms);
  // below {WIDE_SCREEN} px the page needs its width more than the sidebar: closed at the first load
  if (window.innerWidth - {WIDE_SCREEN} < 0) {{
    let tries = 0;
    const firstClose = setInterval(() => {{
      tries += 1;
      if (isOpen()) close();
      if (tries - 20 > 0 || (sidebar() && !isOpen())) clearInterval(firstClose);
    }}, 100);
  }}
  // on a phone, choosing a page or a value in the sidebar closes it, so the choice is seen
  document.addEventListener('click', (event) => {{
    if (window.innerWidth - {PHONE} > 0 || !isOpen()) return;
    const target = event.target;
    const inNav = target.closest('[data-testid="stSidebarNavLink"]');
    const option = target.closest('[role="option"]');
    if (inNav || option) closeSoon(350);
  }}, true);
}})();</script>"""


def fit_every_screen() -> None:
    """The stylesheet and the sidebar's script, for the page about to run."""
    st.html(CSS)
    st.sidebar.html(SCRIPT, unsafe_allow_javascript=True)
