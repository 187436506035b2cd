"""Faults: the loader, a submission and a rollback killed anywhere; a crash between the publish's
steps; a disk that fills during the build. The live file must always be exactly the old version or
exactly the new one, pass `etl verify` (checksum, read-only open, structure, data tests), and the
next writer must start without anyone cleaning up.

Expected contents are counted by hand from tests/fixtures/tiny (its README): towns T1 T2 → 2;
organisations O1–O6 → 6; members M1–M6 → 6; pledges P1–P12 → 12; awards A1–A5 → 5; assessments of
O1 and O6 → 2. Version B drops pledge P11 (T2's pending 2025 pledge, referred to by nothing): 11
pledges, the rest the same. T2's pledges are P8 P9 P11 P12; a T2 submission of P8 P9 P12 leaves
12 − 1 = 11 in the warehouse, one of all four leaves 12.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.warehouse import open_read_only
from etl import load as load_module
from etl.load import load
from etl.verify import verify
from tests.faults.reader import fingerprint

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "fixtures" / "tiny"
KILLS = 20  # random moments per command, besides one kill inside each step of the publish
SEED = 19
COUNTS_A = {"towns": 2, "orgs": 6, "members": 6, "pledges": 12, "awards": 5, "assessments": 2}
COUNTS_B = {**COUNTS_A, "pledges": 11}
PUBLISH_STEPS = ["before-fsync", "before-checksum", "before-replace", "before-dir-fsync", "before-keep-version"]
ROLLBACK_STEPS = ["rollback-before-replace", "rollback-before-dir-fsync"]


def _without_p11(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("P11,"))


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sources")
    a, b = root / "a", root / "b"
    shutil.copytree(TINY, a)
    shutil.copytree(TINY, b)
    (b / "pledges.csv").write_text(_without_p11((TINY / "pledges.csv").read_text(encoding="utf-8")), encoding="utf-8")
    # T2's pledges (organisations O5 O6): all four, or without P11.
    lines = (TINY / "pledges.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    t2 = [lines[0]] + [line for line in lines[1:] if line.split(",")[3] in ("O5", "O6")]
    assert [line.split(",")[0] for line in t2[1:]] == ["P8", "P9", "P11", "P12"]
    for name, rows in (("t2_all", t2), ("t2_less", [line for line in t2 if not line.startswith("P11,")])):
        (root / name).mkdir()
        (root / name / "pledges.csv").write_text("".join(rows), encoding="utf-8")
    return {"a": a, "b": b, "t2_all": root / "t2_all" / "pledges.csv", "t2_less": root / "t2_less" / "pledges.csv"}


def counts(fp: str) -> dict[str, int]:
    return {k: v for k, v in json.loads(fp).items() if k not in ("loads", "n_loads")}


_TESTED: set[str] = set()  # checksums of files that passed the data tests


def live_state(db: Path) -> str:
    """Verify the live file as `etl verify` does, then read its fingerprint read-only.

    The data tests run once per published file: the checksum proves later checks see the same bytes.
    """
    verdict = verify(db, data_tests=False)
    assert verdict.ok and verdict.load_id, verdict.report()  # every file published here has its checksum
    if verdict.digest not in _TESTED:
        verdict = verify(db)
        assert verdict.ok, verdict.report()
        _TESTED.add(verdict.digest)
    con = open_read_only(db)
    try:
        return fingerprint(con)
    finally:
        con.close()


def leftovers(db: Path) -> list[str]:
    found = [*db.parent.glob(f".{db.name}.building-*"), *db.parent.glob(f".{db.name}.rollback-*")]
    found += [*(db.parent / "versions").glob(".*")]
    return sorted(p.name for p in found)


# A writer process whose imports are done before its turn: it waits for its arguments on stdin, then
# runs `python -m etl` with them. So the kills land in the command's work, not in Python's start-up,
# and the next process starts importing while the current one runs (the tests take a third as long).
PRELUDE = """
import json, os, sys
import etl.__main__, etl.load, etl.submissions, etl.verify
print("ready", flush=True)
sys.stdout = open(os.devnull, "w")
order = json.loads(sys.stdin.readline())
os.environ.update(order["env"])
sys.exit(etl.__main__.main(order["argv"]))
"""


class Writers:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.spare = self._spawn()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", PRELUDE],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        """The spare, given its command once its imports are done (the clock of a kill starts here)."""
        proc, self.spare = self.spare, self._spawn()
        assert proc.stdout.readline() == "ready\n", proc.stderr.read()
        proc.stdout.close()
        proc.stdin.write(json.dumps({"argv": args, "env": env or {}}) + "\n")
        proc.stdin.close()
        return proc

    def close(self) -> None:
        self.spare.kill()
        self.spare.wait()


def run_killed_at(writers: Writers, args: list[str], moment: float) -> int | None:
    """Start the command and SIGKILL it `moment` seconds later; its return code if it ended first."""
    proc = writers.start(args)
    try:
        proc.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        return None
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == 0, err
    return proc.returncode


def run_killed_inside(writers: Writers, args: list[str], step: str, mark: Path) -> None:
    """Start the command; it stops at `step` of the publish (tests only: ETL_FAULT_AT), and is killed there."""
    mark.unlink(missing_ok=True)
    proc = writers.start(args, {"ETL_FAULT_AT": step, "ETL_FAULT_ACTION": "wait", "ETL_FAULT_MARK": str(mark)})
    deadline = time.monotonic() + 60
    while not mark.exists():
        assert proc.poll() is None, f"ended before reaching {step}: {proc.stderr.read()}"
        assert time.monotonic() < deadline, f"never reached {step}"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()


class Reader:
    """tests/faults/reader.py in its own process, holding the live file open and querying it throughout."""

    def __init__(self, db: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.reader", str(db)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        first = self.proc.stdout.readline()
        assert first.startswith("PINNED "), first + self.proc.stdout.read()

    def finish(self) -> tuple[set[str], list[str], int]:
        out, _ = self.proc.communicate("", timeout=60)
        lines = out.splitlines()
        seen = {line[4:] for line in lines if line.startswith("SAW ")}
        errors = [line for line in lines if not line.startswith(("SAW ", "QUERIES "))]
        queries = next(int(line.split()[1]) for line in lines if line.startswith("QUERIES "))
        return seen, errors, queries


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETL_FAULT")}
    return {**env, "SUBMISSIONS_DIR": str(tmp_path / "store"), "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("command", ["load", "submit", "rollback"])
def test_killed_anywhere_the_live_file_is_old_or_new_and_the_next_writer_starts(command, sources, tmp_path):
    env = _env(tmp_path)
    os.environ["SUBMISSIONS_DIR"] = env["SUBMISSIONS_DIR"]  # the in-process set-up loads into the same store
    db = tmp_path / "warehouse.duckdb"
    load(sources["b"], db)
    versions = {}
    if command == "rollback":
        for source in ("b", "a"):
            time.sleep(1.1)  # a later second: another load id
            load_id = load(sources[source], db).load_id
            versions[load_id] = live_state(db)
    else:
        load(sources["a"], db)
    rng = random.Random(f"{SEED}-{command}")

    def args(i: int) -> tuple[list[str], dict[str, int] | str]:
        """The i-th run's arguments and what the new version must hold."""
        if command == "load":
            source = "a" if i % 2 else "b"
            return ["load", str(sources[source]), "--db", str(db), "--show-rejects", "0"], (
                COUNTS_A if source == "a" else COUNTS_B
            )
        if command == "submit":
            # a submission adds by default (补充修正): P11 comes back with t2_all; taking it out again
            # is a replacement of the file's year, confirmed (one removal, or none if it is gone)
            if i % 2:
                return ["submit", str(sources["t2_all"]), "--town", "T2", "--db", str(db)], COUNTS_A
            replace = ["--replace", "--confirm-removals", "1"]
            return ["submit", str(sources["t2_less"]), "--town", "T2", "--db", str(db), *replace], COUNTS_B
        target = sorted(versions)[i % 2]
        return ["rollback", target, "--db", str(db)], versions[target]

    # How long one run takes here, now: the random moments spread over it (the machine may be busy).
    writers = Writers(env)
    durations = []
    for i in (0, 1):  # two runs (one per version), timed from the moment each is given its command
        proc = writers.start(args(i)[0])
        started = time.monotonic()
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
        proc.stderr.close()
        durations.append(time.monotonic() - started)
    duration = max(durations)
    states = [live_state(db)]
    reader = Reader(db, env)
    states.append(live_state(db))
    steps = ROLLBACK_STEPS if command == "rollback" else PUBLISH_STEPS
    # Spread over the whole run, and some past its end, so that some runs finish and the next starts
    # on what they left.
    plan = [rng.uniform(0.0, duration * 1.5) for _ in range(KILLS)] + steps
    rng.shuffle(plan)
    finished = 0
    for i, moment in enumerate(plan, start=1):
        old = states[-1]
        arguments, expected = args(i)
        if isinstance(moment, str):
            run_killed_inside(writers, arguments, moment, tmp_path / "mark")
        else:
            finished += run_killed_at(writers, arguments, moment) == 0
        now = live_state(db)
        if now != old:  # the new version, whole
            if command == "rollback":
                assert now == expected, (moment, now)
            else:
                assert counts(now) == expected, (moment, now)
                assert json.loads(now)["n_loads"] == json.loads(old)["n_loads"] + 1
        states.append(now)
    # The next writer, after the last kill, starts and finishes with nobody cleaning up.
    assert run_killed_at(writers, args(len(plan) + 1)[0], 300) == 0
    writers.close()
    states.append(live_state(db))
    assert leftovers(db) == []
    seen, errors, queries = reader.finish()
    assert errors == []
    assert seen <= set(states), seen - set(states)
    assert queries > len(plan)  # it really was reading throughout
    print(
        f"{command}: {len(plan)} kills over a {duration:.2f} s run, {finished} runs ended before their kill, "
        f"{len(set(states))} versions live, reader {queries} queries"
    )


def test_a_crash_between_any_two_steps_of_the_publish_leaves_old_or_new(sources, tmp_path):
    """A power cut is a crash with no clean-up: the process ends at the step (os._exit), nothing else runs."""
    env = _env(tmp_path)
    db = tmp_path / "warehouse.duckdb"
    load(sources["b"], db)
    for step in PUBLISH_STEPS:
        old = live_state(db)
        proc = subprocess.run(
            [sys.executable, "-m", "etl", "load", str(sources["a"]), "--db", str(db)],
            cwd=ROOT,
            env={**env, "ETL_FAULT_AT": step, "ETL_FAULT_ACTION": "exit"},
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 70, proc.stderr
        now = live_state(db)
        # Before the rename the old file is live; from the rename on, the new one.
        assert (now == old) == (step in ("before-fsync", "before-checksum", "before-replace")), step
        if now != old:
            assert counts(now) == COUNTS_A
        load(sources["b"], db)  # the next load starts as it is
        assert leftovers(db) == []


def test_the_publish_syncs_the_file_before_the_rename_and_the_folder_after(sources, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = load_module.fsync_path, os.replace

    def fsync(path):
        events.append(("fsync", Path(path).name))
        real_fsync(path)

    def replace(src, dst):
        events.append(("replace", f"{Path(src).name}>{Path(dst).name}"))
        real_replace(src, dst)

    monkeypatch.setattr(load_module, "fsync_path", fsync)
    monkeypatch.setattr(load_module.os, "replace", replace)
    load(sources["a"], db)
    building = next(name for kind, name in events if kind == "fsync" and ".building-" in name)
    swap = events.index(("replace", f"{building}>{db.name}"))
    assert events.index(("fsync", building)) < swap
    assert ("fsync", tmp_path.name) in events[swap + 1 :]  # the folder holding the live name
    checksum = next(i for i, (kind, name) in enumerate(events) if kind == "replace" and ".sha256" in name)
    assert checksum < swap  # the checksum is on disk before the file it describes goes live


FILL = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from etl.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


def _sha(path: Path) -> str:
    return load_module.sha256(path)


def test_a_disk_that_fills_refuses_the_load_and_keeps_the_live_file(sources, tmp_path):
    """No file may grow past 2 MB (RLIMIT_FSIZE): the new warehouse (about 7 MB) cannot be written."""
    db = tmp_path / "warehouse.duckdb"
    load(sources["b"], db)
    before = _sha(db)
    proc = subprocess.run(
        [sys.executable, "-c", FILL, str(2 << 20), "load", str(sources["a"]), "--db", str(db)],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "约需" in proc.stderr and " MB" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _sha(db) == before
    assert leftovers(db) == []
    assert verify(db).ok


@pytest.fixture
def small_disk(tmp_path):
    """A 12 MB tmpfs (needs root, as in CI's container; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode(errors='replace').strip()})")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_file_system_refuses_the_load_naming_the_space_needed(sources, tmp_path, small_disk):
    """The first load (about 7 MB) fits in 12 MB; the second needs as much again, and about 5 MB is free."""
    db = small_disk / "warehouse.duckdb"
    load(sources["b"], db)
    before = _sha(db)
    proc = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(sources["a"]), "--db", str(db)],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "约需" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _sha(db) == before
    assert leftovers(db) == []
    assert verify(db).ok


def test_a_dead_writers_lock_and_files_are_no_obstacle(sources, tmp_path):
    """What a writer killed long ago leaves: its pid in the lock file, its building file, write-ahead
    log and spill folder, a half-made rollback link and a half-kept version. The next load just runs."""
    db = tmp_path / "warehouse.duckdb"
    load(sources["b"], db)
    before = live_state(db)
    dead = 4_000_000  # above any pid_max: no process has it
    (tmp_path / f".{db.name}.lock").write_text(f"{dead}\n")
    (tmp_path / f".{db.name}.building-{dead}").write_bytes(b"half a warehouse")
    (tmp_path / f".{db.name}.building-{dead}.wal").write_bytes(b"log")
    (tmp_path / f".{db.name}.building-{dead}.tmp").mkdir()
    (tmp_path / f".{db.name}.rollback-{dead}").write_bytes(b"link")
    (tmp_path / "versions" / ".20240101T000000-x.duckdb.partial").write_bytes(b"link")
    load(sources["a"], db)
    assert leftovers(db) == []
    after = live_state(db)
    assert counts(after) == COUNTS_A and json.loads(after)["n_loads"] == json.loads(before)["n_loads"] + 1
    assert (tmp_path / f".{db.name}.lock").read_text().strip() == str(os.getpid())  # the last holder
