"""Hostile and random input, by Hypothesis: any bytes, any CSV shape, any XLSX cell, a damaged
standard or users file. A load either accounts for every row (read = loaded + rejected) or refuses
with a Chinese message; nothing raises anything else, and nothing hangs (each example has a deadline).

`make test` runs the modest "ci" profile (50 examples a property); `make soak` sets
HYPOTHESIS_PROFILE=soak (1,000 examples).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access import auth
from etl import normalise
from etl.criteria import read_standard
from etl.load import find_input_files, load, validate_folder
from etl.readers import LoadRefused
from etl.verify import verify

TINY = Path(__file__).parent / "fixtures" / "tiny"
STANDARD = Path(__file__).parent / "fixtures" / "standard"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

_common = {"suppress_health_check": [HealthCheck.too_slow], "derandomize": False, "print_blob": True}
settings.register_profile("ci", max_examples=50, deadline=dt.timedelta(seconds=20), **_common)
settings.register_profile("soak", max_examples=1000, deadline=dt.timedelta(seconds=20), **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PLEDGES_HEADER = (TINY / "pledges.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
MEMBERS_HEADER = (TINY / "members.csv").read_text(encoding="utf-8").splitlines()[0].split(",")

# Cells as offices and attackers send them: quotes, separators, line breaks, NULs, a BOM in the
# middle, full-width digits, dates in several spellings, and a 100,000-character cell.
awkward = st.sampled_from(
    ['"', '""', ",", "\n", "\r\n", "\x00", "\ufeff", "１２３", "2024年3月5日", "2024.3.5", "=1+1", "已通过", "O1", "M1"]
)
cell = st.one_of(
    st.text(max_size=12),
    awkward,
    st.lists(awkward | st.text(max_size=3), max_size=4).map("".join),
    st.just("长" * 100_000),
)
csv_row = st.lists(cell, min_size=0, max_size=len(PLEDGES_HEADER) + 3)  # ragged: short and long rows


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.sampled_from(["real", "shuffled", "random"]))
    if header == "real":
        names = PLEDGES_HEADER
    elif header == "shuffled":
        names = draw(st.permutations(PLEDGES_HEADER))
    else:
        names = draw(st.lists(cell, max_size=6))
    rows = draw(st.lists(csv_row, max_size=8))
    quoted = draw(st.booleans())
    lines = [",".join(_csv_cell(c) if quoted else c for c in row) for row in [names, *rows]]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _folder_with(name: str, data: bytes, root: Path) -> Path:
    folder = root / "in"
    shutil.copytree(TINY, folder)
    for stale in folder.glob(f"{Path(name).stem}.*"):
        stale.unlink()
    (folder / name).write_bytes(data)
    return folder


def _accounted_or_refused(folder: Path) -> None:
    """validate_folder is the whole load short of writing the warehouse (the readers, normalisers and
    validator); it must account for every row read, or refuse in Chinese."""
    try:
        checked = validate_folder(find_input_files(folder))
    except LoadRefused as refused:
        assert CHINESE.search(str(refused)), str(refused)
        return
    for c in checked.values():
        assert c.rows_read == c.rows_loaded + c.rows_rejected, (c.file, c.rows_read, c.rows_loaded, c.rows_rejected)
        if c.rows_rejected:
            assert all(CHINESE.search(r) for r in c.rejects["reason"].to_list())


@given(data=st.binary(max_size=4096))
def test_any_bytes_as_a_csv_are_accounted_for_or_refused(data):
    with tempfile.TemporaryDirectory() as root:
        _accounted_or_refused(_folder_with("pledges.csv", data, Path(root)))


@given(data=csv_files())
def test_any_csv_shape_is_accounted_for_or_refused(data):
    with tempfile.TemporaryDirectory() as root:
        _accounted_or_refused(_folder_with("pledges.csv", data, Path(root)))


xlsx_cell = st.one_of(
    st.none(),
    st.text(max_size=20).map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s)),  # openpyxl refuses these
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.sampled_from(["M1", "O3", "男", "是", "否", "1970-01-01", "=SUM(1,2)"]),
)


@given(rows=st.lists(st.lists(xlsx_cell, max_size=len(MEMBERS_HEADER) + 2), max_size=6), title=st.booleans())
def test_any_xlsx_cell_types_are_accounted_for_or_refused(rows, title):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["党员名册（2024年）"])
    sheet.append(MEMBERS_HEADER)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as root:
        folder = _folder_with("members.csv", b"", Path(root))
        (folder / "members.csv").unlink()
        book.save(folder / "members.xlsx")
        _accounted_or_refused(folder)


@given(values=st.lists(st.text(max_size=30) | awkward, max_size=30))
def test_the_normalisers_take_any_text(values):
    series = pl.Series("v", values, pl.String)
    frame = series.to_frame()
    for expr in (
        normalise.parse_date(pl.col("v")),
        normalise.parse_int(pl.col("v")),
        normalise.parse_bool(pl.col("v")),
        normalise.parse_enum(pl.col("v"), "review_status"),
        normalise.clean_text(pl.col("v"), "name"),
        normalise.clean_text(pl.col("v"), "id"),
    ):
        assert frame.select(expr).height == len(values)


@given(data=st.one_of(st.binary(max_size=2048), csv_files()), which=st.sampled_from(["items", "bands"]))
def test_any_standard_file_is_read_or_refused(data, which):
    with tempfile.TemporaryDirectory() as root:
        items, bands = Path(root) / "small.csv", Path(root) / "small_bands.csv"
        shutil.copy(STANDARD / "small.csv", items)
        shutil.copy(STANDARD / "small_bands.csv", bands)
        (items if which == "items" else bands).write_bytes(data)
        try:
            read_standard(items)
        except LoadRefused as refused:
            assert CHINESE.search(str(refused))


@given(data=st.binary(max_size=512) | st.text(max_size=200).map(str.encode))
def test_any_users_file_gives_accounts_or_a_message_without_a_path(data):
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "users.json"
        path.write_bytes(data)
        previous = os.environ.get("USERS_FILE")
        os.environ["USERS_FILE"] = str(path)
        try:
            auth.users()
            auth.demo_mode()
        except auth.AccountProblem as problem:
            assert CHINESE.search(str(problem)) and root not in str(problem)
        finally:
            os.environ["USERS_FILE"] = previous or ""


@settings(max_examples=8)
@given(data=csv_files())
def test_a_whole_load_of_a_random_file_publishes_whole_or_refuses(data):
    with tempfile.TemporaryDirectory() as root:
        folder = _folder_with("pledges.csv", data, Path(root))
        db = Path(root) / "warehouse.duckdb"
        try:
            result = load(folder, db)
        except LoadRefused as refused:
            assert CHINESE.search(str(refused)) and not db.exists()
            return
        for c in result.checked.values():
            assert c.rows_read == c.rows_loaded + c.rows_rejected
        assert verify(db).ok
