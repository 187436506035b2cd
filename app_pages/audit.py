"""审计日志: sign-ins, downloads of tables with members' names, and SQL queries, for 县级 accounts."""

import polars as pl
import streamlit as st

from analytics import audit, session

session.require(session.current().can_read_audit, "审计日志（仅县级账号）")
st.title("审计日志")
EVENTS = {
    "sign_in": "登录",
    "sign_in_refused": "登录被拒",
    "sign_out": "退出登录",
    "session_expired": "登录超时",
    "account_removed": "账号已删除",
    "download": "下载（含姓名的表格）",
    "sql": "SQL 查询",
    "submission": "提交数据",
    "rollback": "回滚仓库",
}
entries = audit.recent(limit=2000)
if not entries:
    st.info("审计日志中还没有记录。")
    st.stop()
kinds = st.multiselect("事件", list(EVENTS), default=list(EVENTS), format_func=EVENTS.get, key="audit_kinds")
who = st.text_input("用户（包含）", key="audit_who").strip()
rows = [
    {
        "时间（UTC）": e.get("at", ""),
        "事件": EVENTS.get(e.get("event"), e.get("event")),
        "用户": str(e.get("who", "")),
        "详情": "；".join(f"{k}={v}" for k, v in e.items() if k not in ("at", "event", "who")),
    }
    for e in entries
    if e.get("event") in kinds and (not who or who in str(e.get("who", "")))
]
st.caption(f"最近 {len(entries)} 条中符合条件的 {len(rows)} 条，新的在前。")
st.dataframe(pl.DataFrame(rows) if rows else pl.DataFrame(), hide_index=True, width="stretch")
