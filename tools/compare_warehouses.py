"""Two warehouses compared row for row: the six tables, `rejects` (without its load id) and every
`mart.*` table, with EXCEPT ALL both ways (duplicates count). Prints each table and IDENTICAL or not.

Used to check that a change to the loader leaves what it loads unchanged:
    python tools/compare_warehouses.py before.duckdb after.duckdb
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
    found = {}
    # table names come from the contract and from the file's own catalogue, never from user text
    for table in [*TABLES, "rejects", *(f"mart.{m}" for (m,) in marts)]:
        cols = REJECT_COLUMNS if table == "rejects" else "*"
        rows = con.sql(f"select count(*) from a.{table}").fetchall()[0][0]
        one = con.sql(f"select count(*) from (select {cols} from a.{table} except all select {cols} from b.{table})")
        other = con.sql(f"select count(*) from (select {cols} from b.{table} except all select {cols} from a.{table})")
        found[table] = (rows, one.fetchall()[0][0], other.fetchall()[0][0])
    return found


if __name__ == "__main__":
    found = differences(sys.argv[1], sys.argv[2])
    for table, (rows, one, other) in found.items():
        print(f"{table}: {rows} rows; only in the first {one}; only in the second {other}")
    print("IDENTICAL" if all(one == other == 0 for _, one, other in found.values()) else "DIFFERENT")
