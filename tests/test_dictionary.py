"""docs/data-dictionary.md is what the warehouse's own comments say today."""

from pathlib import Path

from etl.dictionary import PUBLIC_VIEWS, dictionary_markdown

DICTIONARY = Path(__file__).parent.parent / "docs" / "data-dictionary.md"


def test_the_committed_data_dictionary_is_current(tiny_db):
    expected = dictionary_markdown(tiny_db)
    assert DICTIONARY.read_text(encoding="utf-8") == expected, (
        "docs/data-dictionary.md is stale: run `python -m etl dictionary --db data/warehouse.duckdb`"
    )


def test_the_dictionary_lists_every_contract_view_with_its_columns(tiny_db):
    text = dictionary_markdown(tiny_db)
    for view in PUBLIC_VIEWS:
        assert f"### `{view}`" in text
    assert "| `fulfilment_rate` | double | 兑现率 = fulfilled / approved；无已通过承诺时为空 |" in text
    assert "| `rank` | bigint | 县内排名" in text
