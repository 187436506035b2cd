"""Two replicas behind nginx in a real Chromium: the first chart draws with plotly.js served by nginx,
an upload reaches the replica that holds the clerk's session, and five wrong passwords on one replica
lock the name on the other (the lock-out file is shared)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from access import auth
from deploy import cluster as deploy
from etl.load import load as etl_load
from tests.conftest import AS_OF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(deploy.NGINX).exists(), reason="nginx is installed by `make test`"),
]
TINY = Path(__file__).parent.parent / "fixtures" / "tiny"
PASSWORD = "县委组织部-correct-horse"


@pytest.fixture
def secured_cluster(tmp_path):
    auth.add_user("li", PASSWORD, "county", None)
    auth.add_user("zhang", PASSWORD, "town", "T1")
    db = tmp_path / "warehouse.duckdb"
    etl_load(TINY, db, as_of=AS_OF)
    with deploy.cluster(db, replicas=2, run_dir=tmp_path / "run", AUDIT_LOG=str(tmp_path / "audit.jsonl")) as running:
        yield running


def _try(page, name: str, password: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_charts_uploads_and_the_lock_out_work_across_replicas(secured_cluster, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})  # the sidebar open: its links
    bundles = []
    page.on("response", lambda r: bundles.append(r) if "/app/static/plotly-dashboard" in r.url else None)
    page.goto(f"{secured_cluster.url}/?town=T1&year=2025")
    _try(page, "li", PASSWORD)
    expect(page.get_by_text("已登录：li")).to_be_visible(timeout=60_000)
    expect(page.locator(".main-svg").first).to_be_visible(timeout=60_000)
    assert bundles and bundles[0].headers.get("server") == "nginx"

    upload = tmp_path / "东关镇党员.csv"
    upload.write_text((TINY / "members.csv").read_text(encoding="utf-8"), encoding="utf-8")
    page.get_by_role("link", name="数据导入").click()  # inside the app: the same session
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    expect(page.get_by_text(upload.name).first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="检查").click()
    # the file went up to the replica that runs this session, which read it: its rows are counted
    expect(page.get_by_text("第三步：确认后发布")).to_be_visible(timeout=60_000)
    page.close()

    first = browser.new_page(viewport={"width": 1024, "height": 768})
    first.goto(secured_cluster.replica_url(0))
    for _ in range(auth.MAX_FAILURES):
        _try(first, "zhang", "wrong password")
        first.wait_for_timeout(300)
    expect(first.get_by_text(auth.LOCKED)).to_be_visible(timeout=30_000)
    first.close()
    second = browser.new_page(viewport={"width": 1024, "height": 768})
    second.goto(secured_cluster.replica_url(1))
    _try(second, "zhang", PASSWORD)  # the right password, on the other process: still locked
    expect(second.get_by_text(auth.LOCKED)).to_be_visible(timeout=30_000)
    second.close()
