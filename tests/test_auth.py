"""Accounts, passwords, lock-out and expiry, without Streamlit."""

from __future__ import annotations

import pytest

from access import auth

PASSWORD = "东关镇-correct-horse"


def test_the_users_file_holds_only_a_strong_hash(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    monkeypatch.setenv("USERS_FILE", str(path))
    auth.add_user("zhang", PASSWORD, "乡镇", "T1", "张书记")
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert '"hash": "$argon2id$' in text
    assert path.stat().st_mode & 0o077 == 0  # readable by the server's account only
    assert auth.users()["zhang"] == auth.User("zhang", "town", "T1", "张书记")


def test_wrong_password_and_unknown_user_get_the_same_answer(tmp_path):
    auth.add_user("zhang", PASSWORD, "town", "T1")
    assert auth.sign_in("zhang", "wrong-password-1") == (None, auth.WRONG)
    assert auth.sign_in("nobody", PASSWORD) == (None, auth.WRONG)
    assert auth.sign_in("", "") == (None, auth.WRONG)
    user, problem = auth.sign_in("zhang", PASSWORD)
    assert problem == "" and user.town_id == "T1"


def test_five_failures_lock_a_name_real_or_not(tmp_path):
    auth.add_user("zhang", PASSWORD, "town", "T1")
    for name in ("zhang", "nobody"):
        answers = [auth.sign_in(name, f"wrong-{i}")[1] for i in range(auth.MAX_FAILURES)]
        assert answers == [auth.WRONG] * (auth.MAX_FAILURES - 1) + [auth.LOCKED]
    # locked: even the right password is refused, with the same words as for an unknown name
    assert auth.sign_in("zhang", PASSWORD) == (None, auth.LOCKED)
    assert auth.sign_in("nobody", PASSWORD) == (None, auth.LOCKED)
    auth.unlock("zhang")
    assert auth.sign_in("zhang", PASSWORD)[0] is not None


def test_a_right_password_clears_earlier_failures(tmp_path):
    auth.add_user("zhang", PASSWORD, "town", "T1")
    for i in range(auth.MAX_FAILURES - 1):
        auth.sign_in("zhang", f"wrong-{i}")
    assert auth.sign_in("zhang", PASSWORD)[0] is not None
    assert auth.sign_in("zhang", "wrong-again")[1] == auth.WRONG  # counting starts again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a", PASSWORD, "town", "T1"), "用户名应为"),
        (("zhang", PASSWORD, "管理员", None), "角色应为"),
        (("zhang", PASSWORD, "town", None), "乡镇账号必须指定一个乡镇"),
        (("zhang", PASSWORD, "county", "T1"), "乡镇账号必须指定一个乡镇"),
        (("zhang", "short", "county", None), "密码至少 10 个字符"),
    ],
)
def test_bad_accounts_are_refused(args, message):
    with pytest.raises(auth.AccountProblem, match=message):
        auth.add_user(*args)


def test_a_damaged_users_file_refuses_instead_of_opening_demo_mode(tmp_path, monkeypatch):
    path = tmp_path / "users.json"
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("USERS_FILE", str(path))
    with pytest.raises(auth.AccountProblem, match="无法读取"):
        auth.demo_mode()


def test_sessions_expire_when_idle_or_too_old():
    idle, whole = auth.IDLE_LIMIT.total_seconds(), auth.SESSION_LIMIT.total_seconds()
    assert not auth.session_expired(0, 0, idle)
    assert auth.session_expired(0, 0, idle + 1)
    assert not auth.session_expired(0, whole - 10, whole)
    assert auth.session_expired(0, whole, whole + 1)


def test_roles_decide_the_scope():
    township = auth.Access(auth.User("zhang", "town", "T1"), demo=False)
    county = auth.Access(auth.User("li", "county", None), demo=False)
    analyst = auth.Access(auth.User("wang", "analyst", None), demo=False)
    assert (township.town_id, township.can_compare_towns, township.can_read_audit) == ("T1", False, False)
    assert (county.town_id, county.can_compare_towns, county.can_read_audit) == (None, True, True)
    assert (analyst.town_id, analyst.can_compare_towns, analyst.can_read_audit) == (None, True, False)


def test_a_server_that_requires_sign_in_refuses_to_start_open(monkeypatch):
    monkeypatch.setenv("AUTH_REQUIRED", "1")
    with pytest.raises(auth.AccountProblem, match="AUTH_REQUIRED"):
        auth.demo_mode()
    auth.add_user("li", PASSWORD, "county")
    assert auth.demo_mode() is False
