"""数据导入: a township's files uploaded, checked and previewed in the clerk's terms, then published;
rejects back as an XLSX to fix; the history of submissions, and rollback for the county."""

import streamlit as st

from access import audit, session
from ui import imports
from ui.app_data import warehouse
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
    max_upload_size=imports.MAX_UPLOAD_MB,  # the browser says and enforces the server's limit
    key=f"import_files_{state.get('import_round', 0)}",  # a new key empties the box after a publish
)
mode = st.radio(
    "提交方式",
    list(imports.MODE_CHOICES),
    format_func=imports.MODE_CHOICES.get,
    key=f"import_mode_{state.get('import_round', 0)}",  # back to 补充修正 after each publish
    help=imports.MODE_HELP,
)
if st.button("检查", type="primary", disabled=not files, key="import_check"):
    if "import_preview" in state:
        imports.cancel(state.pop("import_preview"))
    with st.spinner("正在读取和检查……"):
        state["import_preview"], state["import_refused"] = imports.check(db, town_id, files, mode)
if state.get("import_refused"):
    st.error(state["import_refused"], icon=":material/block:")  # in the open, not in a collapsed box

preview = state.get("import_preview")
if preview is not None and preview.town_id == town_id:
    st.markdown(f"#### 第三步：确认后发布（{preview.town_name}）")
    imports.show(preview)
    confirmed = imports.removal_confirmation(preview)
    county = access.town_id is None
    blocked = imports.blocking(preview, confirmed, county)
    for reason in blocked[len(preview.refusals()) :]:  # the file refusals are shown with their file
        st.info(reason, icon=":material/info:")
    publish, cancel, _ = st.columns([1, 1, 4])
    if publish.button("发布", type="primary", disabled=bool(blocked), key="import_publish"):
        with st.spinner("正在发布……"):
            load_id, refused = imports.publish(db, preview, access.who, confirmed, county)
        if refused:
            st.error(refused, icon=":material/block:")
        else:
            audit.record("submission", who=access.who, town=town_id, load_id=load_id, mode=preview.files[0].mode)
            state.pop("import_preview")
            state["import_round"] = state.get("import_round", 0) + 1
            state["import_done"] = f"已发布（{load_id}）：各页面的数字已更新。"
            st.rerun()
    if cancel.button("取消", key="import_cancel"):
        imports.cancel(state.pop("import_preview"))
        state["import_round"] = state.get("import_round", 0) + 1
        st.rerun()
if "import_done" in state:
    st.success(state.pop("import_done"))

st.markdown("#### 提交记录")
table = imports.history(db, access.town_id, names)
if table is not None:
    st.dataframe(table, hide_index=True, width="stretch")
else:
    st.caption("还没有提交记录。")
if access.town_id is None:
    kept = imports.versions(db)
    with st.expander("回滚到之前的版本（县级）"):
        target = st.selectbox("恢复到哪次装载发布的仓库", kept, key="rollback_to")
        sure = st.checkbox("我确认：之后的提交将从仓库中撤下（文件仍保留在原始库中）", key="rollback_sure")
        if st.button("回滚", disabled=not (target and sure), key="rollback_go"):
            refused = imports.rollback(db, target, access.who)
            if refused:
                st.error(refused)
            else:
                audit.record("rollback", who=access.who, to=target)
                state["import_done"] = f"已恢复到 {target}。"
                st.rerun()
