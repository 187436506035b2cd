"""A reader for the kill tests: holds the live warehouse open (as the app does) and queries it
without pause until stdin closes, printing each fingerprint it sees and every error.

Two handles: `Warehouse`, which follows each publish as the app does, and one connection opened at
start and kept on the file it first saw (a publish must never change what an open handle reads).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from analytics.warehouse import Warehouse, open_read_only

# One statement, so one snapshot: the load history and the six tables' row counts.
FINGERPRINT = """
select (select md5(string_agg(load_id, ',' order by loaded_at, load_id)) from loads) as loads,
       (select count(*) from loads) as n_loads,
       (select count(*) from towns) as towns, (select count(*) from orgs) as orgs,
       (select count(*) from members) as members, (select count(*) from pledges) as pledges,
       (select count(*) from awards) as awards, (select count(*) from assessments) as assessments
"""


def fingerprint(con) -> str:
    cur = con.cursor()
    try:
        cur.execute("use warehouse").fetchall()
        cur.execute(FINGERPRINT)
        names = [d[0] for d in cur.description]
        return json.dumps(dict(zip(names, cur.fetchone(), strict=True)), sort_keys=True)
    finally:
        cur.close()


def main(path: str) -> None:
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    warehouse = Warehouse(Path(path))
    first = open_read_only(Path(path))
    pinned = fingerprint(first)
    print("PINNED " + pinned, flush=True)
    seen: set[str] = set()
    queries = 0
    while not stop.is_set():
        try:
            if fingerprint(first) != pinned:
                print("ERROR the handle opened at start now reads different content", flush=True)
            print_new = fingerprint(warehouse.connection())
        except Exception as exc:  # every error is a finding: report it, keep reading
            print(f"ERROR {type(exc).__name__}: {exc}", flush=True)
            continue
        queries += 1
        time.sleep(0.005)  # leave the writers some of a busy machine's two cores
        if print_new not in seen:
            seen.add(print_new)
            print("SAW " + print_new, flush=True)
    print(f"QUERIES {queries}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
