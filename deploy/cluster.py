"""`python -m deploy.cluster --replicas N --port PORT --db PATH`: N Streamlit processes on loopback
ports and nginx in front on PORT, supervised until interrupted (what `make serve` runs).

A replica that dies is taken out of rotation by nginx at once (its sessions reconnect to another)
and started again here; every replica reads the one published warehouse file and shares the audit
log, the lock-out file and the submissions store, which are written under file locks.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import streamlit

from etl.submissions import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static" / "static"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(ports: list[int], listen: str, run_dir: Path) -> str:
    """The nginx configuration for replicas on `ports` (loopback), nginx listening on `listen`."""
    names = [f"replica_{i + 1}" for i in range(len(ports))]
    fill = {
        "run_dir": str(run_dir),
        "user_line": "user root;" if os.geteuid() == 0 else "",
        "mime_types": str(MIME_TYPES),
        "pin_map": "\n".join(f"        {n} {n};" for n in names),
        # $upstream_addr lists every server tried ("a, b" or "a : b" after @pool): the last one answered
        "served_map": "\n".join(f'        "~127\\.0\\.0\\.1:{p}$" {n};' for n, p in zip(names, ports, strict=True)),
        "upstreams": "\n".join(
            f"    upstream {n} {{\n        server 127.0.0.1:{p};\n    }}" for n, p in zip(names, ports, strict=True)
        ),
        "pool_servers": "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports),
        "listen": listen,
        "max_body": str(MAX_UPLOAD_BYTES),
        "streamlit_static": str(STREAMLIT_STATIC),
        "app_static": str(ROOT / "static"),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fill.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        raise ValueError("nginx.conf.template has a placeholder that render() does not fill")
    return text


def check(conf: Path, run_dir: Path) -> None:
    """`nginx -t` on the rendered file; raises with nginx's own words when it is refused."""
    done = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(run_dir)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nginx 拒绝了配置：{done.stderr.strip()}")


def cookie_secret(run_dir: Path) -> str:
    """One secret for every replica (kept 0600 in the run folder): Streamlit signs its XSRF and
    sign-in cookies with it, so a session that moves to another replica is still recognised."""
    path = run_dir / "cookie-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


@dataclass
class Cluster:
    """The running processes; `url` is nginx's address."""

    db: Path
    run_dir: Path
    ports: list[int]
    listen_port: int
    env: dict[str, str] = field(default_factory=dict)
    replicas: list[subprocess.Popen | None] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def start_replica(self, index: int) -> None:
        log = (self.run_dir / f"replica-{index + 1}.log").open("ab")
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(self.db),
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret(self.run_dir),
            **self.env,
        }
        command = [sys.executable, "-m", "deploy.server", "run", str(ROOT / "app.py")]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        command += ["--server.port", str(self.ports[index])]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.replicas[index] = process

    def wait_healthy(self, index: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = self.replica_url(index) + "/_stcore/health"
        while True:
            with suppress(OSError):
                if urllib.request.urlopen(url, timeout=1).read() == b"ok":
                    return
            process = self.replicas[index]
            if time.monotonic() > deadline or (process is not None and process.poll() is not None):
                log = (self.run_dir / f"replica-{index + 1}.log").read_bytes().decode(errors="replace")
                raise RuntimeError(f"第 {index + 1} 个副本未能启动：{log[-1500:]}")
            time.sleep(0.2)

    def kill_replica(self, index: int) -> None:
        process = self.replicas[index]
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def restart_dead(self) -> list[int]:
        """Start again every replica whose process has ended; returns their indexes."""
        dead = [i for i, p in enumerate(self.replicas) if p is None or p.poll() is not None]
        for index in dead:
            self.start_replica(index)
        return dead

    def stop(self) -> None:
        processes = [p for p in [self.nginx, *self.replicas] if p is not None]
        for process in processes:
            with suppress(ProcessLookupError):
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def cluster(
    db: Path,
    replicas: int = 2,
    port: int | None = None,
    run_dir: Path | None = None,
    listen_host: str = "127.0.0.1",
    **env: str,
) -> Iterator[Cluster]:
    """Start nginx and `replicas` Streamlit processes serving `db`; stop them all afterwards."""
    run_dir = Path(run_dir or ROOT / "data" / "run").resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    ports = [free_port() for _ in range(replicas)]
    listen_port = port or free_port()
    running = Cluster(Path(db).resolve(), run_dir, ports, listen_port, env=env, replicas=[None] * replicas)
    conf = run_dir / "nginx.conf"
    conf.write_text(render(ports, f"{listen_host}:{listen_port}", run_dir), encoding="utf-8")
    check(conf, run_dir)
    try:
        for index in range(replicas):
            running.start_replica(index)
        for index in range(replicas):
            running.wait_healthy(index)
        nginx_log = (run_dir / "nginx-stdout.log").open("ab")
        command = [NGINX, "-c", str(conf), "-p", str(run_dir), "-g", "daemon off;"]
        running.nginx = subprocess.Popen(command, stdout=nginx_log, stderr=subprocess.STDOUT)
        _wait_url(running.url + "/_stcore/health", running.nginx)
        yield running
    finally:
        running.stop()


def _wait_url(url: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with suppress(OSError):
            if urllib.request.urlopen(url, timeout=1).status == 200:
                return
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"nginx 未能在 {url} 上应答")
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description="nginx + 多个 Streamlit 副本")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--db", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--host", default="0.0.0.0", help="nginx 监听的地址（默认所有地址）")
    parser.add_argument("--run-dir", type=Path, default=None, help="配置、日志与进程文件（默认 data/run）")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas 至少为 1")
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with cluster(args.db, args.replicas, args.port, args.run_dir, listen_host=args.host) as running:
        print(f"nginx 在 {args.host}:{args.port}，{args.replicas} 个副本 {running.ports}", flush=True)
        while not stop:
            for index in running.restart_dead():
                print(f"第 {index + 1} 个副本已退出，重新启动", file=sys.stderr, flush=True)
            if running.nginx is not None and running.nginx.poll() is not None:
                print("nginx 已退出", file=sys.stderr)
                return 1
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
