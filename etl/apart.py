"""`python -m etl.apart IN OUT`: run one of the write side's functions in a process of its own.

The Streamlit server calls the submission check and publish through this (ui/imports.apart): they
clean and type cells with Python functions inside polars expressions (etl/normalise.py), which in
the server's process can deadlock against another session's polars call (see ui/imports.apart).
multiprocessing's spawn would start the child by re-running the server's main module, which under
`streamlit run` is the app script itself; a plain `python -m` child runs only this.

IN holds the pickled (function name, args, kwargs), written by the server; OUT receives the pickled
("ok", result) or ("refused", exception). Only the functions named in ALLOWED can be run.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from etl import submissions

ALLOWED = {"prepare": submissions.prepare, "commit": submissions.commit}


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    name, args, kwargs = pickle.loads(source.read_bytes())  # written by our own server for this run
    try:
        outcome = ("ok", ALLOWED[name](*args, **kwargs))
    except submissions.LoadRefused as refused:
        outcome = ("refused", refused)
    target.write_bytes(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
