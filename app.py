"""创先争优看板: the frame only: page config, navigation, the town and year selectors."""

import streamlit as st

st.set_page_config(page_title="创先争优看板", page_icon="🚩", layout="wide")

pages = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="", default=True),
    st.Page("pages/sql_workbench.py", title="SQL 工作台", icon=":material/terminal:", url_path="sql"),
]
st.navigation(pages).run()
