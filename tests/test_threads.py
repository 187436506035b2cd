"""Two script runs overlapping must not break a chart: the race CI met once on 先锋风采.

Plotly looks pandas up with `sys.modules.get`, without the import lock, so a chart built while another
thread is still importing pandas fails on a half-made module. The app imports pandas and numpy first
(`ui.thread_safe_imports`); this replays the race in a fresh interpreter: one thread builds
bars while the main thread does what Streamlit does lazily, `import pandas`. Without the app's first
import the same script fails on every run tried (AttributeError: partially initialized module).
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

RACE = """
import threading
import ui.thread_safe_imports  # what app.py does first
import plotly.graph_objects as go

failures = []
drawing = threading.Event()
stop = threading.Event()

def draw():
    while not stop.is_set():
        try:
            go.Bar(x=["a"], y=[1], hovertemplate="%{y}")
        except Exception as error:
            failures.append(repr(error))
            return
        drawing.set()

painter = threading.Thread(target=draw)
painter.start()
drawing.wait(10)
import pandas  # Streamlit's lazy import, on another script run's thread
import numpy
stop.set()
painter.join()
print(failures)
"""


def test_a_chart_built_while_another_run_imports_pandas_does_not_fail():
    done = subprocess.run([sys.executable, "-c", RACE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_app_imports_them_before_anything_that_builds_a_chart():
    # the race above is only closed if app.py's first import of the project's own code brings them in
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    ours = {"ui", "access", "analytics", "workbench"}
    first = next(node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module in ours)
    assert first.module == "ui"
    assert "thread_safe_imports" in {alias.name for alias in first.names}


# No Python function inside polars in the server's process --------------------------------------------
# polars runs a Python function given to map_elements / map_batches on its worker threads, which then
# wait for the GIL; a session thread holding the GIL while it waits for those workers (st.dataframe's
# to_pandas does) and the whole server froze: seen with py-spy under 50 protocol-level sessions
# (polars issue 26821). The write side's cleaning does use them, so the import page runs it in a
# process of its own (ui/imports.apart).
SERVER_SIDE = ("app.py", "app_pages", "ui", "analytics", "access", "workbench")
PYTHON_IN_POLARS = {"map_elements", "map_batches", "map_rows", "map_groups", "apply"}


def _python_inside_polars(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PYTHON_IN_POLARS:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}(…)")
    return found


def test_no_python_function_runs_inside_polars_in_the_server_process():
    files = [ROOT / "app.py"] + [p for d in SERVER_SIDE[1:] for p in (ROOT / d).rglob("*.py")]
    assert len(files) > 30
    assert [hit for path in files for hit in _python_inside_polars(path)] == []


def test_the_check_can_see_one():
    assert _python_inside_polars(ROOT / "etl" / "normalise.py")  # the write side's cleaning has them


def test_the_import_page_checks_and_publishes_in_another_process(tmp_path, monkeypatch):
    import re

    from etl import apart as child
    from etl import submissions
    from etl.load import load
    from tests.conftest import AS_OF
    from ui import imports

    # the child runs only the write side's named functions, and its refusal comes back as a refusal
    assert set(child.ALLOWED) == {"prepare", "commit"}
    db = tmp_path / "w.duckdb"
    load(ROOT / "tests" / "fixtures" / "tiny", db, as_of=AS_OF)
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "store"))
    bad = submissions.Upload("党员.pdf", b"%PDF-1.4")
    try:
        imports.apart("prepare", db, "T1", [bad])
    except submissions.LoadRefused as refused:
        assert "类型不受支持" in str(refused)
    else:
        raise AssertionError("a PDF was accepted")
    source = (ROOT / "ui" / "imports.py").read_text(encoding="utf-8")
    for function in ("prepare", "commit"):
        assert re.search(rf'apart\(\s*"{function}",', source)
    assert "submissions.prepare(" not in source and "submissions.commit(" not in source


def test_a_check_process_that_dies_is_told_in_the_clerks_terms(monkeypatch, tmp_path):
    import subprocess as sp

    from ui import imports

    def killed(*args, **kwargs):  # as when the kernel kills the child for memory: no answer written
        return sp.CompletedProcess(args[0], -9, b"", b"Killed")

    monkeypatch.setattr(imports.subprocess, "run", killed)

    class File:
        name, getvalue = "党员.csv", staticmethod(lambda: b"x")

    preview, why = imports.check(tmp_path / "w.duckdb", "T1", [File()], "merge")
    assert preview is None and "未提交，现有数据保持不变" in why
