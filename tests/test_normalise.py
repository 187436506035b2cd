import datetime as dt

import polars as pl
import pytest

from etl.normalise import clean_text, parse_bool, parse_date, parse_enum, parse_int


def _apply(values: list[str | None], kind: str, parse) -> list:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(parse(clean_text(pl.col("v"), kind))).to_series().to_list()


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05",
        "2024年3月5日",
        "2024年03月05日",
        "2024.3.5",
        "2024/03/05",
        "2024-3-5",
        "2024/3/5",
        "20240305",
        "45356",  # Excel serial date: 45356 days after 1899-12-30
        "2024-03-05 00:00:00",  # what a date cell becomes when read as text
        "２０２４－０３－０５",  # full-width digits and dash
        " 2024-03-05\u3000",  # stray half- and full-width spaces
    ],
)
def test_every_office_date_form_reads_as_the_same_day(text):
    assert _apply([text], "date", parse_date) == [dt.date(2024, 3, 5)]


@pytest.mark.parametrize("text", ["2024-02-30", "2024-13-01", "abc", "1800-01-01", "3月5日"])
def test_impossible_or_unreadable_dates_are_null(text):
    assert _apply([text], "date", parse_date) == [None]


def test_integers_accept_full_width_digits_and_excel_floats_but_not_fractions():
    assert _apply(["12", "１２", "3.0", " 7 ", "1.5", "x", None], "int", parse_int) == [12, 12, 3, 7, None, None, None]


def test_enumerations_accept_chinese_labels_english_codes_and_full_width_brackets():
    got = _apply(
        ["村（社区）党组织", "village", "Village", "机关支部", "非公", "其他"],
        "enum",
        lambda e: parse_enum(e, "branch_type"),
    )
    assert got == ["village", "village", "village", "organ", "non_public", None]
    assert _apply(["已通过", "approved", "退回"], "enum", lambda e: parse_enum(e, "review_status")) == [
        "已通过",
        "已通过",
        "退回修改",
    ]


def test_booleans():
    assert _apply(["是", "否", "Y", "no", "也许"], "bool", parse_bool) == [True, False, True, False, None]


def test_names_lose_alignment_spaces_but_latin_words_keep_one():
    frame = pl.DataFrame({"v": ["张  三", "\u3000李四 ", "Tom   Lee", "刘 䶮"]})
    assert frame.select(clean_text(pl.col("v"), "name")).to_series().to_list() == ["张三", "李四", "Tom Lee", "刘䶮"]


def test_empty_text_becomes_null():
    frame = pl.DataFrame({"v": ["", "   ", "\u3000"]})
    assert frame.select(clean_text(pl.col("v"), "id")).to_series().to_list() == [None, None, None]


def test_clean_and_dirty_cells_in_one_column_each_get_their_own_value():
    # The cleaning runs only on cells that need it; a column mixing both must still come out
    # cell by cell as the single-value cases above say.
    codes = pl.DataFrame({"v": ["T01", " T02", "Ｔ０３", "T04\u200b", None, "", "T\u300005"]})
    assert codes.select(clean_text(pl.col("v"), "id")).to_series().to_list() == [
        "T01",
        "T02",
        "T03",
        "T04",
        None,
        None,
        "T05",
    ]
    text = pl.DataFrame({"v": ["走访 群众", " 走访", "走访  群众", "走访\t群众\n", "走访\u00a0群众", "走访"]})
    assert text.select(clean_text(pl.col("v"), "text")).to_series().to_list() == [
        "走访 群众",
        "走访",
        "走访 群众",
        "走访 群众",
        "走访 群众",
        "走访",
    ]


def test_a_column_of_mixed_date_forms_reads_each_cell():
    got = _apply(
        ["2024-03-05", "1980年5月1日", "2024.3.5", "+2024-03-05", "45356", None, "2024-02-30"], "date", parse_date
    )
    assert got == [dt.date(2024, 3, 5), dt.date(1980, 5, 1), dt.date(2024, 3, 5), None, dt.date(2024, 3, 5), None, None]


def test_mixed_integer_and_lookup_columns():
    assert _apply(["2024", "2024.0", "+5", "05", "1e3"], "int", parse_int) == [2024, 2024, 5, 5, None]
    assert _apply(
        ["已通过", "Approved", "PENDING", None, "通过"], "enum", lambda e: parse_enum(e, "review_status")
    ) == [
        "已通过",
        "已通过",
        "待审核",
        None,
        "已通过",
    ]
    assert _apply(["是", "YES", "否", "No", None], "bool", parse_bool) == [True, True, False, False, None]
