"""Security hardening found by an outside review (issue 19, item 7), and the XLSX and upload limits.

Each test names what an attacker or a slip of the hand would otherwise get.
"""

from __future__ import annotations

import io
import json
import os
import stat
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import openpyxl
import pytest

from access import audit, auth
from etl.contract import FILES
from etl.readers import LoadRefused, open_table
from etl.submissions import MAX_UPLOAD_BYTES
from workbench.__main__ import main as workbench_main
from workbench.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "东关镇-correct-horse"
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_password_typed_as_the_name_is_never_written(tmp_path):
    auth.add_user("zhang", PASSWORD, "town", "T1")
    auth.sign_in(PASSWORD, "anything")  # the password typed into 用户名
    auth.sign_in("zhang", "wrong-password")
    failures = (tmp_path / "users" / ".sign-in-failures.json").read_text(encoding="utf-8")
    assert PASSWORD not in failures and PASSWORD.casefold() not in failures
    names = json.loads(failures)["names"]
    assert "zhang" in names  # a known account is counted under its name, for `users unlock`
    assert len(names) == 2 and sum(k.startswith("?") for k in names) == 1


def test_audit_log_and_lock_out_file_are_the_servers_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "logs" / "audit.jsonl"))
    old = os.umask(0o022)  # the usual umask, which gave 0644 before
    try:
        audit.record("sign_in_refused", who=auth.UNKNOWN, reason=auth.WRONG)
        auth.sign_in("nobody", "wrong-password")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "logs" / "audit.jsonl") == 0o600
    assert _mode(tmp_path / "users" / ".sign-in-failures.json") == 0o600


def test_an_existing_0644_lock_out_file_is_narrowed(tmp_path):
    path = tmp_path / "users" / ".sign-in-failures.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    path.chmod(0o644)
    auth.sign_in("nobody", "wrong-password")
    assert _mode(path) == 0o600


def test_the_lock_out_file_stays_bounded_and_never_drops_an_account(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "MAX_UNKNOWN_NAMES", 5)
    auth.add_user("zhang", PASSWORD, "town", "T1")
    for i in range(auth.MAX_FAILURES - 1):
        auth.sign_in("zhang", f"wrong-{i}")
    for i in range(40):  # an attacker sending a new name each time
        auth._fail(f"name-{i}")
    names = json.loads((tmp_path / "users" / ".sign-in-failures.json").read_text(encoding="utf-8"))["names"]
    assert sum(k.startswith("?") for k in names) == 5
    assert len(names["zhang"]) == auth.MAX_FAILURES - 1
    assert auth.sign_in("zhang", "wrong-again") == (None, auth.LOCKED)  # the count held through the flood


def test_messages_shown_before_sign_in_name_no_path_and_no_parser_position(tmp_path, monkeypatch):
    users = tmp_path / "users" / "users.json"
    users.parent.mkdir(parents=True)
    users.write_text('{"users": {"zhang": ', encoding="utf-8")
    with pytest.raises(auth.AccountProblem) as damaged:
        auth.users()
    assert "无法读取" in str(damaged.value)
    assert str(tmp_path) not in str(damaged.value) and "line" not in str(damaged.value)
    assert str(users) in damaged.value.detail and "line 1" in damaged.value.detail  # for the log
    users.unlink()
    monkeypatch.setenv("AUTH_REQUIRED", "1")
    with pytest.raises(auth.AccountProblem) as required:
        auth.demo_mode()
    assert "AUTH_REQUIRED" in str(required.value) and str(tmp_path) not in str(required.value)


def test_a_town_session_cannot_learn_server_paths_from_settings(tiny_db):
    sandbox = Sandbox(tiny_db, "T1")
    try:
        frame = sandbox.run("select name, value from duckdb_settings()").frame
    finally:
        sandbox.close()
    values = " ".join(str(v) for v in frame["value"].to_list())
    assert frame.height > 50  # the settings are there to read; only the paths are gone
    for secret in (str(Path.home()), str(tiny_db.parent), str(ROOT)):
        assert secret not in values, secret
    assert dict(zip(frame["name"], frame["value"], strict=True))["secret_directory"] == ""


def test_the_cli_writes_map_list_and_struct_columns_as_csv(tiny_db, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    assert workbench_main(["sql", "select * from duckdb_databases()", "--db", str(tiny_db), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("database_name,")
    query = "select map {'a': 1} as m, [1, 2] as l, {'x': 1, 'y': '东'} as s"
    assert workbench_main(["sql", query, "--db", str(tiny_db), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "m,l,s"
    assert '"[1, 2]"' in out[1] and '""y"": ""东""' in out[1], out[1]


def test_uploads_are_capped_at_the_import_limit_and_xsrf_and_agent_api_are_stated():
    server = CONFIG["server"]
    assert server["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["enableAgentApi"] is False


def _billion_laughs_xlsx() -> bytes:
    """A towns workbook whose sheet declares nine nested entities (10⁹ "lol"s) and uses the last."""
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    dtd = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">{entities}]>'
    book = openpyxl.Workbook()
    book.active.append(["乡镇编码", "乡镇名称", "所属县"])
    book.active.append(["T1", "东关镇", "示范县"])
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                body = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
                assert "<t>T1</t>" in body  # openpyxl writes strings inline: the entity goes in the cell
                data = (dtd + body.replace("<t>T1</t>", "<t>&lol9;</t>")).encode()
            zf.writestr(item, data)
    return out.getvalue()


def test_a_billion_laughs_workbook_is_refused_quickly(tmp_path):
    assert openpyxl.xml.DEFUSEDXML  # defusedxml installed: openpyxl parses through it
    path = tmp_path / "towns.xlsx"
    path.write_bytes(_billion_laughs_xlsx())
    started = time.monotonic()
    with pytest.raises(LoadRefused, match="无法作为 XLSX 打开"), open_table(path, FILES["towns"]) as table:
        list(table.batches())
    assert time.monotonic() - started < 10


@pytest.mark.browser
def test_the_agent_api_and_its_page_listing_are_off_on_a_running_server(tiny_db):
    from bench.serving import serve

    with serve(tiny_db) as base:
        schema = urllib.request.urlopen(base + "/_stcore/agent/openapi.json", timeout=10).read().decode()
        request = urllib.request.Request(
            base + "/_stcore/agent/interact", data=b"{}", headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
    assert "app_pages" not in schema and "data_import" not in schema  # no page names listed
    body = refused.value.read().decode()
    assert refused.value.code in (403, 404, 503) and ("off" in body or "not_available" in body), body
