"""docs/contract.md, the input contract and metric definitions a county reads, stays true: it names
every column the loader's contract (etl/contract.py) reads, and it agrees with the design folder's
shared/domain/contract.md when that folder is beside the clone (as in CI and on the team's machines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.contract import FILES

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "contract.md"
SHARED = ROOT.parent / "shared" / "domain" / "contract.md"


def _body(text: str) -> str:
    """The text without our leading comment (which says where the copy comes from)."""
    if text.startswith("<!--"):
        text = text[text.index("-->") + 3 :]
    return text.strip()


def test_every_column_of_the_loader_contract_is_in_the_document():
    text = DOC.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    missing = []
    for kind, spec in FILES.items():
        row = rows.get(kind, "")
        missing += [f"{kind}.{c.name}" for c in spec.columns if f"`{c.name}` {c.label}" not in row]
    assert missing == [], f"not in docs/contract.md with their Chinese header: {missing}"


def test_the_document_agrees_with_the_design_folder():
    if not SHARED.is_file():
        pytest.skip(f"no design folder beside the clone ({SHARED} absent): nothing to compare with")
    assert _body(DOC.read_text(encoding="utf-8")) == _body(SHARED.read_text(encoding="utf-8")), (
        "docs/contract.md and shared/domain/contract.md differ: copy the corrected one over the other"
    )
