"""Many viewers: nginx in front of two Streamlit replicas (deploy/), driven at the protocol level by
the load generator's sessions (bench/load.py). Tiny fixture: 东关镇 (T1) has 1 pledge in 2025."""

from __future__ import annotations

import asyncio
import math
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from bench.load import Session, Tally, load, loopback_only, percentile, summary, trigger_id
from deploy import cluster as deploy
from etl.load import load as etl_load
from etl.submissions import MAX_UPLOAD_BYTES
from tests.conftest import AS_OF

TINY = Path(__file__).parent / "fixtures" / "tiny"
pytestmark = pytest.mark.skipif(not Path(deploy.NGINX).exists(), reason="nginx is installed by `make test`")
T1_2025 = "town=T1&year=2025"


def _run(coroutine):
    return asyncio.run(coroutine)


def test_the_rendered_config_passes_nginx_t_and_says_what_it_must(tmp_path):
    text = deploy.render([41001, 41002, 41003], "127.0.0.1:48000", tmp_path)
    conf = tmp_path / "nginx.conf"
    conf.write_text(text)
    deploy.check(conf, tmp_path)  # raises with nginx's words if refused
    assert f"client_max_body_size {MAX_UPLOAD_BYTES};" in text
    for port in (41001, 41002, 41003):
        assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_read_timeout 1d;" in text
    assert f"alias {deploy.ROOT / 'static'}/;" in text


def test_a_broken_template_is_refused_by_nginx_t(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(deploy.render([41001], "127.0.0.1:48000", tmp_path).replace("least_conn;", "least_conn"))
    with pytest.raises(RuntimeError, match="nginx 拒绝了配置"):
        deploy.check(conf, tmp_path)


# The load generator's own arithmetic ------------------------------------------------------------


def test_percentiles_are_nearest_rank():
    runs = [0.5, 0.1, 0.4, 0.2, 0.3, 1.0, 0.9, 0.8, 0.7, 0.6]  # sorted: 0.1 … 1.0
    assert percentile(runs, 50) == 0.5  # rank ceil(5.0) = 5
    assert percentile(runs, 95) == 1.0  # rank ceil(9.5) = 10
    assert percentile(runs, 10) == 0.1
    assert math.isnan(percentile([], 50))


def test_the_summary_counts_runs_errors_and_rate():
    tally = Tally(runs=[0.2, 0.4, 0.6, 0.8], errors=["x"])
    report = summary(tally, elapsed_s=2.0, sessions=3)
    assert (report["runs"], report["errors"], report["runs_per_s"]) == (4, 1, 2.0)
    assert (report["p50_s"], report["p99_s"]) == (0.4, 0.8)


def test_only_loopback_is_a_target():
    loopback_only("http://127.0.0.1:8501")
    loopback_only("http://localhost:8501")
    with pytest.raises(SystemExit):
        loopback_only("http://10.0.0.1:8501")


def test_a_component_trigger_id_is_the_one_streamlit_reads():
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    assert trigger_id("abc") == _make_trigger_id("abc", "events")


def test_the_generator_times_runs_against_a_fake_server():
    """A fake app that answers every rerun after 0.05, 0.10, 0.15 … s: the times it reports are those."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.server import serve

    delays = [0.05, 0.10, 0.15, 0.20]

    async def app(connection):
        for delay in delays:
            BackMsg().ParseFromString(await connection.recv())
            await asyncio.sleep(delay)
            finished = ForwardMsg()
            finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
            await connection.send(finished.SerializeToString())

    async def scenario():
        async with serve(app, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            session = Session(f"http://127.0.0.1:{port}")
            from websockets.asyncio.client import connect

            session.socket = await connect(f"ws://127.0.0.1:{port}/_stcore/stream")
            times = [(await session.run("", "")).seconds for _ in delays]
            await session.close()
            return times

    times = _run(scenario())
    for measured, delay in zip(times, delays, strict=True):
        assert delay <= measured < delay + 0.2


# Two replicas behind nginx -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    where = tmp_path_factory.mktemp("cluster")
    db = where / "warehouse.duckdb"
    etl_load(TINY, db, as_of=AS_OF)
    with deploy.cluster(db, replicas=2, run_dir=where / "run", AUDIT_LOG=str(where / "audit.jsonl")) as running:
        yield running


def _metric(texts: list[str], label: str) -> str:
    return next(t for t in texts if t.startswith(label + " "))


def test_nginx_serves_the_static_files_itself_with_long_cache_headers(served):
    from ui.chart_view import BUNDLE, bundle_version

    request = urllib.request.Request(
        f"{served.url}/app/static/{BUNDLE.name}?v={bundle_version()}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["server"] == "nginx"  # not Streamlit's server
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"


def test_a_session_stays_on_its_replica_and_resumes_on_another_when_it_dies(served):
    async def scenario():
        session = Session(served.url)
        await session.open()
        home = session.cookie("dashboard_replica")
        first = await session.run("", T1_2025)
        assert _metric(first.texts, "承诺数") == "承诺数 1"
        for _ in range(3):  # every later request of this browser is sent to the same replica
            await asyncio.to_thread(session._get, "/_stcore/health")
            assert session.cookie("dashboard_replica") == home
        index = int(home.removeprefix("replica_")) - 1
        other = 1 - index
        served.kill_replica(other)  # the other replica's death does not touch this session
        assert _metric((await session.run("pledges", T1_2025)).texts, "承诺数") == "承诺数 1"
        served.restart_dead()
        served.wait_healthy(other)

        served.kill_replica(index)
        with pytest.raises(Exception):  # noqa: B017  (its WebSocket is gone with its process)
            await session.run("", T1_2025)
        killed = time.monotonic()
        resumed = Session(served.url, jar=session.jar)  # the same browser reconnects: same cookies
        await resumed.open()
        again = await resumed.run("", T1_2025)  # the same page and selection, from the URL
        took = time.monotonic() - killed
        assert resumed.cookie("dashboard_replica") == f"replica_{other + 1}"
        assert _metric(again.texts, "承诺数") == "承诺数 1"
        await resumed.close()
        return took

    took = _run(scenario())
    served.restart_dead()
    served.wait_healthy(0)
    served.wait_healthy(1)
    assert took < 5.0


def test_a_publish_shows_on_every_replica_at_its_next_run(served, tmp_path):
    async def on_each(query: str) -> list[str]:
        shown = []
        for index in range(2):
            session = Session(served.replica_url(index))
            await session.open()
            shown.append(_metric((await session.run("", query)).texts, "承诺数"))
            await session.close()
        return shown

    assert _run(on_each(T1_2025)) == ["承诺数 1", "承诺数 1"]
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    with (folder / "pledges.csv").open("a", encoding="utf-8") as out:
        out.write("P99,2025,组织,O1,,推动发展,新增一件实事,2025-02-01,2025-12-31,已通过,,2025-02-10,,,,未兑现,,,\n")
    etl_load(folder, served.db, as_of=AS_OF)
    assert _run(on_each(T1_2025)) == ["承诺数 2", "承诺数 2"]
    etl_load(TINY, served.db, as_of=AS_OF)  # as the module found it


def test_a_short_load_through_nginx_has_no_errors(served):
    report = _run(load(served.url, sessions=3, duration_s=4, think_s=0.2, towns=["T1", "T2"], years=[2024, 2025]))
    assert report["errors"] == 0, report["first_errors"]
    assert report["runs"] >= 3


def test_the_generator_resumes_a_killed_replica_s_sessions_and_times_it(served):
    """Sessions are spread over both replicas (least_conn); one replica dies 1.5 s in: each of its
    sessions fails one run, reconnects with its cookies and is shown the same page again."""
    import threading

    timer = threading.Timer(1.5, served.kill_replica, args=(0,))
    timer.start()
    try:
        report = _run(load(served.url, sessions=4, duration_s=4, think_s=0.2, towns=["T1"], years=[2025]))
    finally:
        timer.join()
        served.restart_dead()
        served.wait_healthy(0)
    assert 1 <= report["errors"] <= 4, report["first_errors"]
    assert report["recoveries"] == report["errors"]  # every failed session came back
    assert report["recovery_max_s"] < 5.0


WRITER = """
import sys
from access import audit
for i in range(int(sys.argv[2])):
    audit.record("query", who=sys.argv[1], sql="select " + "x" * 3000, n=i)
"""


def test_replicas_append_to_one_audit_log_without_tearing_a_line(tmp_path, monkeypatch):
    """Two processes (as two replicas) write 300 long entries each at once: 600 whole lines."""
    import json
    import subprocess
    import sys

    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("AUDIT_LOG", str(log))
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name, "300"], cwd=deploy.ROOT) for name in ("副本一", "副本二")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == 600
    for name in ("副本一", "副本二"):
        assert sorted(e["n"] for e in entries if e["who"] == name) == list(range(300))
