"""Serve the app on a warehouse with `streamlit run` on a free port, for the browser tests and benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, log: Path | None = None, **env: str):
    """Yield the base URL of the app serving `db`; stop it afterwards.

    The server's output goes to `log` (a temporary file by default), never to an unread pipe: a
    pipe fills up and stalls the server, and a file is there to read when a browser test fails.
    """
    port = free_port()
    if log is None:
        log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    log.parent.mkdir(parents=True, exist_ok=True)
    output = log.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deploy.server",  # streamlit run, with Nagle's algorithm off (deploy/server.py)
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
        env={**os.environ, "WAREHOUSE_PATH": str(db), **env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    proc.kill()
                    output.flush()
                    raise RuntimeError(
                        "streamlit did not start: " + log.read_bytes().decode(errors="replace")[-2000:]
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        output.close()
