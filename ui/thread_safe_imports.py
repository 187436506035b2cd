"""Modules that must be wholly imported before two script runs can overlap.

Streamlit runs each rerun of a session (and each other session) on its own thread, and imports
pandas and numpy lazily, the first time a table or chart needs them. Plotly checks for them with
`sys.modules.get(...)`, which takes no import lock: while one thread is still importing pandas,
another thread building a chart finds the half-made module and fails on `pandas.Series`
(AttributeError "partially initialized module"). CI met this once, on 先锋风采 after a rerun.
Importing them here, first thing in app.py, means the first run finishes the import under
Python's module lock before any chart is built, and every later run finds them whole.
"""

import numpy  # noqa: F401
import pandas  # noqa: F401
