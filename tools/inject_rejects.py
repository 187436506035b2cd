"""A copy of a demo folder with errors the member checks must catch, to compare two loaders on it.

    python tools/inject_rejects.py bench/cache/county /tmp/dirty
    (then load /tmp/dirty with both loaders and run tools/compare_warehouses.py on the results)

Every 97th member gets an impossible 入党日期 (so its pledges and awards name a rejected member);
among member pledges, every 89th names a member that does not exist, every 83rd is filed under
another organisation, every 101st has a bad year and a missing member, every 71st has stray spaces
round its member id, every 73rd a full-width space after its organisation; every 211th is repeated
at the end with a member that does not exist; every 13th award with a member names a missing one.
The demo's pledge and award lines hold no quoted commas, so splitting on commas is safe here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def inject(source: Path, out: Path) -> None:
    shutil.copytree(source, out)
    members = (out / "members.csv").read_bytes().decode("gb18030").splitlines()
    rows = [members[0]]
    for i, line in enumerate(members[1:], 1):
        fields = line.split(",")
        if i % 97 == 0:
            fields[5] = "2010-02-30"
        rows.append(",".join(fields))
    (out / "members.csv").write_bytes(("\n".join(rows) + "\n").encode("gb18030"))

    pledges = (out / "pledges.csv").read_text(encoding="utf-8-sig").splitlines()
    rows, repeated = [pledges[0]], []
    for i, line in enumerate(pledges[1:], 1):
        fields = line.split(",")
        if fields[2] == "党员":
            if i % 89 == 0:
                fields[4] = f"M999{i}"
            elif i % 83 == 0:
                fields[3] = "T0001-000"
            elif i % 101 == 0:
                fields[1], fields[4] = "二〇二五", f"MX{i}"
            elif i % 71 == 0:
                fields[4] = f" {fields[4]} "
            elif i % 73 == 0:
                fields[3] += "\u3000"
            if i % 211 == 0:
                repeated.append(",".join([*fields[:4], f"MDUP{i}", *fields[5:]]))
        rows.append(",".join(fields))
    (out / "pledges.csv").write_text("\ufeff" + "\n".join(rows + repeated) + "\n", encoding="utf-8")

    awards = (out / "awards.csv").read_text(encoding="utf-8").splitlines()
    rows = [awards[0]]
    for i, line in enumerate(awards[1:], 1):
        fields = line.split(",")
        if fields[3] and i % 13 == 0:
            fields[3] = f"MA{i}"
        rows.append(",".join(fields))
    (out / "awards.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    inject(Path(sys.argv[1]), Path(sys.argv[2]))
