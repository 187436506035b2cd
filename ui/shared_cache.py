"""A bounded cache shared by every session of the process, handing out the very object it holds.

Why not `st.cache_data`: on every hit it hashes the arguments with Streamlit's own hasher and
unpickles a copy of the value. For a page that reads fifteen cached query results that was a fifth
of a warm run (乡镇对比, profiled: 11 of 50 ms). Query results and figure specs are never changed
in place by the pages (polars frames are immutable; specs are copied before use), so one shared
object serves every session.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedCache(OrderedDict):
    """At most `limit` values (and, with `weigh`, at most `max_bytes` of them), the least recently
    used dropped first; thread-safe.

    A value is made once per key even when many sessions ask for it at the same moment (one makes
    it, the others wait for it), as `st.cache_data` does: after a publish fifty sessions would
    otherwise run the same query fifty times. A `make` that raises caches nothing.
    """

    def __init__(self, limit: int, max_bytes: int | None = None, weigh: Callable[[Any], int] | None = None) -> None:
        super().__init__()
        self.limit, self.max_bytes, self._weigh = limit, max_bytes, weigh
        self.bytes = 0  # what `weigh` says the values held weigh, when it is given
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        found, making = self._look_up(key)
        if making is None:
            return found
        with making:
            found, _ = self._look_up(key, wait=False)
            if found is not _MISSING:  # made by the session that held the lock before us
                return found
            try:
                value = make()
            except BaseException:
                with self._lock:
                    self._making.pop(key, None)
                raise
            with self._lock:  # stored and its lock let go at once: nobody makes it a second time
                self[key] = value
                self.bytes += self._weight(value)
                self._making.pop(key, None)
                while len(self) > self.limit or (self.max_bytes is not None and self.bytes > self.max_bytes):
                    self.bytes -= self._weight(self.popitem(last=False)[1])
            return value

    def forget(self) -> None:
        """Drop every value (a new warehouse file is published)."""
        with self._lock:
            self.clear()
            self.bytes = 0

    def _weight(self, value: Any) -> int:
        return self._weigh(value) if self._weigh is not None else 0

    def _look_up(self, key: Hashable, wait: bool = True) -> tuple[Any, threading.Lock | None]:
        with self._lock:
            if key in self:
                self.move_to_end(key)
                return self[key], None
            return _MISSING, self._making.setdefault(key, threading.Lock()) if wait else None


_MISSING = object()
