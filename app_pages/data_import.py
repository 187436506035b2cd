"""数据导入: a township's files uploaded, checked and previewed in the clerk's terms, then published;
rejects back as an XLSX to fix; the history of submissions, and rollback for the county."""

import streamlit as st

from access import audit, session
from ui import imports
from ui.app_data import warehouse
from ui.imports import LoadRefused, submissions
from ui.page import town_names

access = session.current()
session.require(access.can_submit, "数据导入（县级和乡镇账号）")
st.title("数据导入")
names = town_names()
if access.town_id is not None:  # a township submits for its own town only
    town_id = access.town_id
    st.markdown(f"提交乡镇：**{names.get(town_id, town_id)}**")
else:
    town_id = st.selectbox("提交乡镇", list(names), format_func=names.get, key="import_town")
db = warehouse().path

st.markdown("#### 第一步：下载模板")
st.caption("每类数据一个文件，表头用模板的中文列名；CSV（UTF-8 或 GB18030）或 XLSX 均可，文件名不限。")
imports.template_buttons()

st.markdown("#### 第二步：上传并检查")
state = st.session_state
files = st.file_uploader(
    "选择本乡镇的数据文件（可多选）",
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    max_upload_size=submissions.MAX_UPLOAD_BYTES >> 20,  # the browser says and enforces the server's limit
    key=f"import_files_{state.get('import_round', 0)}",  # a new key empties the box after a publish
)
if st.button("检查", type="primary", disabled=not files, key="import_check"):
    if "import_preview" in state:
        submissions.cancel(state.pop("import_preview"))
    with st.status("正在读取和检查……", expanded=False) as status:
        try:
            uploads = [submissions.Upload(f.name, f.getvalue()) for f in files]
            state["import_preview"] = submissions.prepare(db, town_id, uploads)
            status.update(label="检查完成", state="complete")
        except LoadRefused as refused:
            status.update(label="文件无法使用", state="error")
            st.error(f"未提交，现有数据保持不变：{refused}")

preview = state.get("import_preview")
if preview is not None and preview.town_id == town_id:
    st.markdown(f"#### 第三步：确认后发布（{preview.town_name}）")
    imports.show(preview)
    publish, cancel, _ = st.columns([1, 1, 4])
    if publish.button("发布", type="primary", disabled=preview.rows_loaded == 0, key="import_publish"):
        with st.status("正在发布……", expanded=False) as status:
            try:
                load_id = submissions.commit(db, town_id, preview.staging, who=access.who)
            except LoadRefused as refused:
                status.update(label="发布失败", state="error")
                st.error(f"未发布，现有数据保持不变：{refused}")
            else:
                status.update(label="已发布", state="complete")
                audit.record("submission", who=access.who, town=town_id, load_id=load_id)
                state.pop("import_preview")
                state["import_round"] = state.get("import_round", 0) + 1
                state["import_done"] = f"已发布（{load_id}）：各页面的数字已更新。"
                st.rerun()
    if cancel.button("取消", key="import_cancel"):
        submissions.cancel(state.pop("import_preview"))
        state["import_round"] = state.get("import_round", 0) + 1
        st.rerun()
if "import_done" in state:
    st.success(state.pop("import_done"))

st.markdown("#### 提交记录")
entries = [e for e in submissions.history(db) if access.town_id is None or e.get("town_id") == access.town_id]
if entries:
    st.dataframe(imports.history_table(entries, names), hide_index=True, width="stretch")
else:
    st.caption("还没有提交记录。")
if access.town_id is None:
    kept = submissions.available_versions(db)
    with st.expander("回滚到之前的版本（县级）"):
        target = st.selectbox("恢复到哪次装载发布的仓库", kept, key="rollback_to")
        sure = st.checkbox("我确认：之后的提交将从仓库中撤下（文件仍保留在原始库中）", key="rollback_sure")
        if st.button("回滚", disabled=not (target and sure), key="rollback_go"):
            try:
                submissions.rollback(db, target, who=access.who)
            except LoadRefused as refused:
                st.error(str(refused))
            else:
                audit.record("rollback", who=access.who, to=target)
                state["import_done"] = f"已恢复到 {target}。"
                st.rerun()
