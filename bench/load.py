"""`python -m bench.load --url URL --sessions N --duration S [--think S]`: many viewers at once,
at the protocol level.

Each session does what a browser does, without drawing: it opens the page (cookies: nginx's replica
cookie, Streamlit's XSRF cookie), opens the app's WebSocket, and asks for script runs with
`BackMsg.rerun_script` (a page by its script hash, the town and year in the query string, as a link
or a sidebar choice gives them); a run ends at `ForwardMsg.script_finished`. After a session's first
chart it sends the component's "drawn" trigger, as the browser's chart does, so pages with tables
do the work a real first visit does. Between runs it waits a think time (±50 %).

Bounded: at most `--sessions` sessions for `--duration` seconds, and only to loopback addresses.
Reports runs, errors, p50/p95/p99 run time, runs per second, and the CPU time and resident memory
of the server processes it finds (`--server-pattern`, default every `python -m deploy.server run`).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import random
import socket
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

PAGES = ["", "pledges", "vanguards", "readiness", "compare"]  # url paths; "" is 总览
MAX_SESSIONS = 500
MAX_DURATION_S = 3600


class RunFailed(Exception):
    """A run that ended in an error element, a compile error, or no answer in time."""


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def loopback_only(url: str) -> None:
    """Refuse any target but this machine: a load test never leaves the loopback range."""
    host = urllib.parse.urlsplit(url).hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"只对本机（回环地址）做负载测试：{host} 不是回环地址")


def trigger_id(component_id: str, event: str = "events") -> str:
    """The widget id through which a v2 component's browser code reports its events."""
    return f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{component_id}{EVENT_DELIM}{event}"


# what a browser meets when its server goes away mid-session, and recovers from by reconnecting
GONE = (RunFailed, TimeoutError, OSError, ConnectionClosed, InvalidStatus)


@dataclass
class Run:
    seconds: float
    page: str
    texts: list[str]


@dataclass
class Session:
    """One viewer: a cookie jar, a WebSocket, the app's pages by url path."""

    url: str
    timeout_s: float = 30.0
    jar: CookieJar = field(default_factory=CookieJar)
    pages: dict[str, str] = field(default_factory=dict)
    drawn: bool = False
    socket: object = None

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def _get(self, path: str) -> bytes:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        with opener.open(self.url + path, timeout=self.timeout_s) as response:
            return response.read()

    async def open(self) -> None:
        await asyncio.to_thread(self._get, "/")
        await asyncio.to_thread(self._get, "/_stcore/health")
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        protocols = ["streamlit", self.cookie("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"]
        self.socket = await connect(
            ws_url,
            subprotocols=protocols,
            additional_headers={"Cookie": cookies, "Origin": self.url},
            max_size=None,
            open_timeout=self.timeout_s,
        )

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def run(self, page: str = "", query: str = "", widgets: list | None = None) -> Run:
        """One script run of `page` (url path) with `query`; returns its time and the texts shown."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        if page in self.pages:
            state.page_script_hash = self.pages[page]
        else:
            state.page_name = page
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        texts, components, problem = [], [], None
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), self.timeout_s)
            if isinstance(raw, str):
                continue
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    problem = f"{element.exception.type}: {element.exception.message}"
                elif which == "markdown":
                    texts.append(element.markdown.body)
                elif which == "metric":
                    texts.append(f"{element.metric.label} {element.metric.body}")
                elif which == "bidi_component":
                    components.append(element.bidi_component.id)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problem = problem or "compile error"
                break
        seconds = time.perf_counter() - started
        if problem:
            raise RunFailed(problem)
        done = Run(seconds, page, texts)
        if components and not self.drawn:
            # the browser's first chart says it is drawn; the tables of the page come in that run
            self.drawn = True
            from streamlit.proto.WidgetStates_pb2 import WidgetState

            drawn = WidgetState(id=trigger_id(components[0]))
            drawn.json_trigger_value = json.dumps([{"event": "drawn", "value": True}])
            second = await self.run(page, query, [drawn])
            done = Run(seconds + second.seconds, page, texts + second.texts)
        return done


@dataclass
class Tally:
    runs: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    recoveries: list[float] = field(default_factory=list)  # from a failed run to the same page shown again


async def resumed(url: str, jar: CookieJar, page: str, query: str, until: float) -> tuple[Session, Run]:
    """What a browser does when its server went away: reconnect with the same cookies, retrying
    every 0.2 s, and run the same page and selection (they are in its URL)."""
    while True:
        session = Session(url, jar=jar)
        try:
            await session.open()
            return session, await session.run(page, query)
        except GONE:
            await session.close()
            if time.monotonic() > until:
                raise
            await asyncio.sleep(0.2)


async def viewer(
    url: str, until: float, think_s: float, towns: list[str], years: list[int], rng: random.Random, tally: Tally
) -> None:
    """One session: open, then visit pages with a town and year until `until`."""
    session = Session(url)
    try:
        await session.open()
        while time.monotonic() < until:
            page, town, year = rng.choice(PAGES), rng.choice(towns), rng.choice(years)
            try:
                run = await session.run(page, f"town={town}&year={year}")
                tally.runs.append(run.seconds)
            except GONE as problem:
                failed_at = time.monotonic()
                tally.errors.append(f"{page}: {type(problem).__name__}: {problem}")
                await session.close()
                session, run = await resumed(url, session.jar, page, f"town={town}&year={year}", until + 30)
                tally.recoveries.append(time.monotonic() - failed_at)
                tally.runs.append(run.seconds)
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
    except Exception as problem:
        tally.errors.append(f"session: {type(problem).__name__}: {problem}")
    finally:
        await session.close()


# How the app's servers are started (make run, make serve, the benchmarks): deploy/server.py.
SERVER_PATTERN = "deploy.server run"


def server_processes(pattern: str) -> dict[int, tuple[float, int]]:
    """CPU seconds and resident bytes of every process whose command line contains `pattern`."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            if pattern not in command or "bench.load" in command:
                continue
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as f:
                resident = int(f.read().split()[1]) * page
            found[int(entry)] = ((int(fields[11]) + int(fields[12])) / tick, resident)
        except OSError:
            continue
    return found


async def load(
    url: str,
    sessions: int,
    duration_s: float,
    think_s: float,
    towns: list[str],
    years: list[int],
    seed: int = 1,
    ramp_s: float = 2.0,
) -> dict:
    """Run the load; returns the report as a dict (what `main` prints)."""
    rng = random.Random(seed)
    tally = Tally()
    started = time.monotonic()
    until = started + duration_s
    tasks = []
    for _ in range(sessions):
        tasks.append(asyncio.create_task(viewer(url, until, think_s, towns, years, random.Random(rng.random()), tally)))
        await asyncio.sleep(ramp_s / max(sessions, 1))
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - started
    return summary(tally, elapsed, sessions)


def summary(tally: Tally, elapsed_s: float, sessions: int) -> dict:
    return {
        "sessions": sessions,
        "runs": len(tally.runs),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:5],
        "p50_s": percentile(tally.runs, 50),
        "p95_s": percentile(tally.runs, 95),
        "p99_s": percentile(tally.runs, 99),
        "runs_per_s": len(tally.runs) / elapsed_s if elapsed_s > 0 else math.nan,
        "elapsed_s": elapsed_s,
        "recoveries": len(tally.recoveries),
        "recovery_max_s": max(tally.recoveries, default=math.nan),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description="协议级并发会话负载测试（仅限本机）")
    parser.add_argument("--url", required=True)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30.0, help="秒")
    parser.add_argument("--think", type=float, default=0.5, help="两次操作之间的思考时间（秒，±50%%）")
    parser.add_argument("--towns", default="T0001,T0002,T0003,T0008,T0014")
    parser.add_argument("--years", default="2025,2026")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server-pattern", default=SERVER_PATTERN)
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS or not 0 < args.duration <= MAX_DURATION_S:
        parser.error(f"会话数 1–{MAX_SESSIONS}，时长 0–{MAX_DURATION_S} 秒")
    url = args.url.rstrip("/")
    loopback_only(url)
    before = server_processes(args.server_pattern)
    report = asyncio.run(
        load(
            url,
            args.sessions,
            args.duration,
            args.think,
            args.towns.split(","),
            [int(y) for y in args.years.split(",")],
            args.seed,
        )
    )
    after = server_processes(args.server_pattern)
    report["servers"] = [
        {"pid": pid, "cpu_s": cpu - before.get(pid, (0.0, 0))[0], "rss_mb": rss / 2**20}
        for pid, (cpu, rss) in sorted(after.items())
    ]
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(
            f"{report['sessions']} 个会话 {report['elapsed_s']:.0f} 秒：{report['runs']} 次运行，"
            f"{report['errors']} 个错误，p50 {report['p50_s']:.3f} s，p95 {report['p95_s']:.3f} s，"
            f"p99 {report['p99_s']:.3f} s，{report['runs_per_s']:.2f} 次/秒"
        )
        for server in report["servers"]:
            print(f"  进程 {server['pid']}：CPU {server['cpu_s']:.1f} s，常驻内存 {server['rss_mb']:.0f} MB")
        for problem in report["first_errors"]:
            print(f"  错误：{problem}", file=sys.stderr)
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
