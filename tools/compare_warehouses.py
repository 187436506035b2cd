"""Two warehouses compared row for row: the six tables, `rejects` (without its load id) and every
`mart.*` table, with EXCEPT ALL both ways (duplicates count). Prints each table and IDENTICAL or not.

Used to check that a change to the loader leaves what it loads unchanged:
    python tools/compare_warehouses.py before.duckdb after.duckdb

A table that differs only in the last bits of its doubles is compared again with them rounded to
10 decimals and reported as such: a sum of doubles depends on the order of its additions, which a
parallel engine does not fix (two loads of one tree agree exactly; views computed side by side
may not, in the 16th digit).
"""

from __future__ import annotations

import sys

import duckdb

TABLES = ("towns", "orgs", "members", "pledges", "awards", "assessments")
REJECT_COLUMNS = "file, row_number, column_name, value, reason"


def differences(a: str, b: str) -> dict[str, tuple[int, int, int]]:
    """Table → (rows in a, rows of a not in b, rows of b not in a)."""
    con = duckdb.connect()
    con.execute("attach ? as a (read_only)", [a]).fetchall()
    con.execute("attach ? as b (read_only)", [b]).fetchall()
    marts = con.sql(
        "select table_name from duckdb_tables() where database_name = 'a' and schema_name = 'mart' order by 1"
    ).fetchall()
    found, rounded = {}, {}
    # table names come from the contract and from the file's own catalogue, never from user text
    for table in [*TABLES, "rejects", *(f"mart.{m}" for (m,) in marts)]:
        cols = REJECT_COLUMNS if table == "rejects" else "*"
        rows = con.sql(f"select count(*) from a.{table}").fetchall()[0][0]
        found[table] = (rows, *_only_in_each(con, table, cols))
        if found[table][1] or found[table][2]:
            rounded[table] = _rounded_differences(con, table, found[table][0])
    return found, rounded


def _rounded_differences(con: duckdb.DuckDBPyConnection, table: str, rows: int) -> tuple[int, int, int]:
    schema, name = table.split(".") if "." in table else ("main", table)
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'a' and schema_name = ? "
        "and table_name = ? order by column_index",
        [schema, name],
    ).fetchall()
    cols = ", ".join(
        f'round("{c}", 10)' if kind in ("DOUBLE", "FLOAT") else f'"{c}"'
        for c, kind in columns
        if table != "rejects" or c != "load_id"
    )
    return (rows, *_only_in_each(con, table, cols))


def _only_in_each(con: duckdb.DuckDBPyConnection, table: str, cols: str) -> tuple[int, int]:
    """Rows of `table` in a and not in b, and in b and not in a (EXCEPT ALL: duplicates count)."""
    one = con.sql(f"select count(*) from (select {cols} from a.{table} except all select {cols} from b.{table})")
    other = con.sql(f"select count(*) from (select {cols} from b.{table} except all select {cols} from a.{table})")
    return one.fetchall()[0][0], other.fetchall()[0][0]


if __name__ == "__main__":
    found, rounded = differences(sys.argv[1], sys.argv[2])
    for table, (rows, one, other) in found.items():
        line = f"{table}: {rows} rows; only in the first {one}; only in the second {other}"
        if table in rounded:
            line += f" (doubles to 10 decimals: {rounded[table][1]}; {rounded[table][2]})"
        print(line)
    if all(one == other == 0 for _, one, other in found.values()):
        print("IDENTICAL")
    elif all(one == other == 0 for _, one, other in rounded.values()):
        print("IDENTICAL to 10 decimals (doubles summed in another order)")
    else:
        print("DIFFERENT")
