"""Python's garbage collector, held off while a ledger is read.

Reading a ledger makes millions of containers (a list per CSV row, a tuple per database row), none
of them garbage. Each collection the allocations trigger walks them all again: at 10^5
organisations, 5 of the 13.6 s that reading and validating took. Reference counting still frees
everything that is dropped; cycles made meanwhile wait for the next collection.

Several threads of one server may read at once: the collector is turned off by the first and back
on by the last, and only if it was on to begin with.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused"]

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Hold the garbage collector off inside the ``with`` block (see the module's docstring)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
