"""A real `streamlit run` on a free port and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Flags the closed network needs: no background calls home, no component updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_app(tiny_db, tmp_path):
    """The app on the tiny warehouse; yields its base URL and stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "WAREHOUSE_PATH": str(tiny_db), "AUDIT_LOG": str(tmp_path / "audit.jsonl")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "make test installs Debian's chromium; run it through make test"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def no_page_not_found(page) -> None:
    """A deep link opens its page inside the app's frame, without Streamlit's "Page not found" dialog
    (which a folder named `pages/` used to cause: Streamlit took it for old-style pages)."""
    page.wait_for_timeout(800)
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0


# Every element that scrolls, and the document if it does: a slide must have none at either size.
SCROLLING = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if ((s.overflowY === 'auto' || s.overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 2) {
      found.push((el.dataset.testid || el.tagName) + ' ' + el.scrollHeight + '>' + el.clientHeight);
    }
  }
  if (document.documentElement.scrollHeight > window.innerHeight + 2) found.push('document');
  return found;
}"""
