"""Streamlit glue for sign-in: the gate app.py runs before any page, the sign-in form, sign-out,
expiry, the demo-mode banner, and the current session's Access for pages.

Everything is decided on the server from the session's state; nothing a browser sends (URL, widget
values) can widen what a session sees.
"""

from __future__ import annotations

import time

import streamlit as st

from access import audit, auth

STATE_USER = "auth_user"
STATE_SIGNED_IN = "auth_signed_in_at"
STATE_SEEN = "auth_last_seen_at"
STATE_ACCESS = "auth_access"
DEMO_BANNER = (
    "**演示模式**：尚未配置用户，任何能打开本页的人都能看到全部乡镇的数据。"
    "正式使用前请在项目目录运行 `bin/access users add 管理员 --role 县级` 建立账号"
    "（即 `.venv/bin/python -m access users add …`）。"
)


def _oidc_configured() -> bool:
    """An identity provider is set up in .streamlit/secrets.toml ([auth]); st.login needs it."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_user() -> auth.User | None:
    """The account an identity-provider sign-in maps to: by e-mail, in the users file; else none."""
    if not _oidc_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    return auth.user_for_email(str(st.user.get("email") or ""))


def sign_in_form() -> None:
    _, middle, _ = st.columns([1, 2, 1])  # a form the width of a form, not of the screen
    with middle:
        _sign_in_form()


def _sign_in_form() -> None:
    st.title("创先争优看板 · 登录")
    with st.form("sign_in"):
        name = st.text_input("用户名", key="sign_in_name", max_chars=60)
        # no key: the password is not kept in the session; bounded, as argon2 hashes what it is given
        password = st.text_input("密码", type="password", max_chars=256)
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        user, problem = auth.sign_in(name, password)
        if user is None:
            # A name that is no account may be a password typed into the wrong field: never written.
            who = name.strip()[:60] if auth.is_known(name) else auth.UNKNOWN
            audit.record("sign_in_refused", who=who, reason=problem)
            st.error(problem)
        else:
            now = time.time()
            st.session_state.update({STATE_USER: user, STATE_SIGNED_IN: now, STATE_SEEN: now})
            audit.record("sign_in", who=user.username, role=user.role, town=user.town_id)
            st.rerun()
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):  # known to the provider, not to us
            st.info("该统一身份认证账号尚未登记为本系统用户，请联系县委组织部管理员。")
        st.button("使用统一身份认证登录", on_click=st.login)
    st.caption("忘记密码请联系县委组织部管理员重置。")


def sign_out(reason: str = "sign_out") -> None:
    user = st.session_state.get(STATE_USER)
    if user is not None:
        audit.record(reason, who=user.username)
    # Everything the session holds goes: the next person at this browser must not find the last
    # one's query results, history or choices.
    st.session_state.clear()
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def gate() -> auth.Access | None:
    """The session's Access, or None when somebody has to sign in first (app.py then shows the form)."""
    try:
        demo = auth.demo_mode()
    except auth.AccountProblem as problem:
        st.error(str(problem))
        st.stop()
    if demo:
        access = auth.Access(None, True)
        st.session_state[STATE_ACCESS] = access
        return access
    user = st.session_state.get(STATE_USER)
    now = time.time()
    if user is not None and auth.session_expired(st.session_state[STATE_SIGNED_IN], st.session_state[STATE_SEEN], now):
        sign_out("session_expired")
        st.info("登录已超时，请重新登录。")
        user = None
    if user is None:
        user = _oidc_user()
        if user is not None:
            st.session_state.update({STATE_USER: user, STATE_SIGNED_IN: now})
            audit.record("sign_in", who=user.username, role=user.role, town=user.town_id, method="oidc")
    if user is None:
        return None
    # The account may have been removed or changed since sign-in: the users file decides, every run.
    current = auth.users().get(user.username)
    if current is None:
        sign_out("account_removed")
        st.rerun()
    st.session_state[STATE_SEEN] = now
    access = auth.Access(current, False)
    st.session_state[STATE_ACCESS] = access
    return access


def current() -> auth.Access:
    """The Access app.py established for this run; a page run without the gate gets nothing."""
    access = st.session_state.get(STATE_ACCESS)
    if access is None:
        if auth.demo_mode():  # a page run on its own (tests, `streamlit run` of one file): demo rules
            return auth.Access(None, True)
        st.error("请从首页登录后使用。")
        st.stop()
    return access


DEMO_BADGE = (
    '<div style="position:fixed;top:6px;right:10px;z-index:1000;background:#C8102E;color:#fff;'
    'padding:2px 10px;border-radius:4px;font-size:16px">演示模式</div>'
)


def banner(access: auth.Access, compact: bool = False) -> None:
    """Demo mode on every page, unmissable (a badge on the projector's slides, which have no room for
    a paragraph); otherwise who is signed in, and the way out."""
    if access.demo:
        if compact:
            st.markdown(DEMO_BADGE, unsafe_allow_html=True)
        else:
            st.warning(DEMO_BANNER, icon=":material/warning:")
        return
    st.sidebar.caption(f"已登录：{access.user.label}")
    if st.sidebar.button("退出登录", key="sign_out"):
        sign_out()
        st.rerun()


def require(allowed: bool, what: str) -> None:
    """Stop a page the session may not see (the navigation hides it; this guards a direct run)."""
    if not allowed:
        st.error(f"当前账号无权查看{what}。")
        st.stop()
