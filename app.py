"""创先争优看板: the frame only: page config, sign-in, navigation by role."""

import streamlit as st

# isort: off
from ui import thread_safe_imports  # noqa: F401  (first of ours: see that module)

# isort: on
from access import session
from ui import as_of, chart_view, screen

# "auto": closed on a phone; ui/screen.py closes it below 1200 px as well
st.set_page_config(page_title="创先争优看板", page_icon="🚩", layout="wide", initial_sidebar_state="auto")
access = session.gate()

pages = [
    st.Page("app_pages/overview.py", title="总览", icon=":material/dashboard:", url_path="", default=True),
    st.Page("app_pages/pledges.py", title="承诺践诺", icon=":material/handshake:", url_path="pledges"),
    st.Page("app_pages/vanguards.py", title="先锋风采", icon=":material/military_tech:", url_path="vanguards"),
    st.Page("app_pages/readiness.py", title="示范单位创建", icon=":material/flag:", url_path="readiness"),
    st.Page("app_pages/compare.py", title="乡镇对比", icon=":material/leaderboard:", url_path="compare"),
    st.Page("app_pages/report.py", title="工作总结", icon=":material/description:", url_path="report"),
    st.Page("app_pages/present.py", title="放映模式", icon=":material/slideshow:", url_path="present"),
    st.Page("app_pages/sql_workbench.py", title="SQL 工作台", icon=":material/terminal:", url_path="sql"),
    st.Page("app_pages/data_import.py", title="数据导入", icon=":material/upload_file:", url_path="import"),
]
audit_page = st.Page("app_pages/audit.py", title="审计日志", icon=":material/policy:", url_path="audit")
if access is None:
    # Nobody signed in: the sign-in form and nothing else. The navigation is still declared (hidden,
    # never run) so that a deep link such as /sql?… opens where it pointed once the password is right.
    st.navigation([*pages, audit_page], position="hidden")
    session.sign_in_form()
    st.stop()
# A township account sees neither the county ranking nor the audit log: not in its navigation, and
# each of those pages checks again on its own.
shown = [p for p in pages if access.can_compare_towns or p.url_path != "compare"]
shown = [p for p in shown if access.can_submit or p.url_path != "import"]
shown += [audit_page] if access.can_read_audit else []
page = st.navigation(shown)
chart_view.preload()
screen.fit_every_screen()
session.banner(access, compact=page.url_path == "present")
as_of.sidebar_note()
page.run()
