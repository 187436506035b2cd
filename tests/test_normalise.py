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
