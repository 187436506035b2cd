"""创先争优看板: the frame only: page config, navigation, the town and year selectors."""

import streamlit as st

st.set_page_config(page_title="创先争优看板", page_icon="🚩", layout="wide")

pages = [
    st.Page("app_pages/overview.py", title="总览", icon=":material/dashboard:", url_path="", default=True),
    st.Page("app_pages/pledges.py", title="承诺践诺", icon=":material/handshake:", url_path="pledges"),
    st.Page("app_pages/vanguards.py", title="先锋风采", icon=":material/military_tech:", url_path="vanguards"),
    st.Page("app_pages/readiness.py", title="示范单位创建", icon=":material/flag:", url_path="readiness"),
    st.Page("app_pages/compare.py", title="乡镇对比", icon=":material/leaderboard:", url_path="compare"),
    st.Page("app_pages/report.py", title="工作总结", icon=":material/description:", url_path="report"),
    st.Page("app_pages/present.py", title="放映模式", icon=":material/slideshow:", url_path="present"),
    st.Page("app_pages/sql_workbench.py", title="SQL 工作台", icon=":material/terminal:", url_path="sql"),
]
st.navigation(pages).run()
