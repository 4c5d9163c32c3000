"""The read set: every table, slice and file a report actually reads, recorded as it reads.

Why recorded and not declared: hand lists (one per notebook in the renderer, one in each
footer) drift from what the code reads, and a report whose list misses a table is shown as
up to date after that table changed. Here the data layer notes each read itself, inside
the kernel that runs the report; the render worker collects the notes after the notebook
ran (:func:`collected`), the renderer hashes each noted item (:func:`digest`) and keys the
report on them. A notebook dropped into ``notebooks/`` therefore needs no registration.

What is noted:

- ``("table", name)``: the whole table (an accessor such as ``data.population()``);
- ``("column", name, column)``: only the distinct values of one column (the years a table
  holds: ``data.population_years()``);
- ``("rows", name, column, values)``: only the rows whose ``column`` is in ``values``, noted
  when the library narrows a read with :func:`rows` right where it filters (a city profile
  reads its own population series and every municipality's figure in the profile year);
- ``("file", relpath)``: a whole file of the snapshot (boundaries, datapackage.json).

Accessors call :func:`reading` around their body, so a read nested in another accessor
(``population()`` calls ``load()``) is noted once, as the outer one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from contextvars import ContextVar

from .paths import DATAPACKAGE_FILE

_NOTED: set[tuple] = set()
# table -> (column, values) while a library function narrows its reads (see rows()).
_NARROW: ContextVar[dict] = ContextVar("readset_narrow", default={})
_DEPTH: ContextVar[int] = ContextVar("readset_depth", default=0)
# Open recordings (see remembered()): each also receives every read noted.
_RECORDERS: ContextVar[tuple] = ContextVar("readset_recorders", default=())


def start() -> None:
    """Forget what was noted (the worker calls this before each report)."""
    _NOTED.clear()


def note(kind: str, name: str, *detail) -> None:
    """Note one read; a whole-table read inside :func:`rows` is noted as that slice."""
    if _DEPTH.get():
        return  # inside another accessor: the outer one noted the read
    if kind == "table" and name in _NARROW.get():
        column, values = _NARROW.get()[name]
        item = ("rows", name, column, values)
    else:
        item = (kind, name, *detail)
    _NOTED.add(item)
    for recording in _RECORDERS.get():
        recording.add(item)


def remembered(fn):
    """Compute ``fn(*args)`` once per data snapshot and arguments in this process, and let
    every later call note the reads the first one noted: a report's read set must not
    depend on what an earlier report in the same kernel computed. For the functions every
    profile calls with the same arguments (each city's peer comparison needs every
    municipality's values, the same for all of them). Results are returned as copies."""
    import functools

    cache: dict = {}

    @functools.wraps(fn)
    def wrapper(*args):
        from .data import snapshot_token

        if _DEPTH.get():  # its reads would not be noted, so not recorded: no caching
            return fn(*args)
        key = (snapshot_token(), args)
        if key not in cache:
            recording: set = set()
            token = _RECORDERS.set((*_RECORDERS.get(), recording))
            try:
                result = fn(*args)
            finally:
                _RECORDERS.reset(token)
            if len(cache) >= 16:
                cache.clear()
            cache[key] = (result, frozenset(recording))
        result, reads = cache[key]
        _NOTED.update(reads)
        for outer in _RECORDERS.get():
            outer.update(reads)
        return result.copy()

    wrapper.cache_clear = cache.clear
    return wrapper


@contextlib.contextmanager
def reading(kind: str, name: str, *detail):
    """Note a read and silence the reads nested in it (an accessor's body)."""
    note(kind, name, *detail)
    token = _DEPTH.set(_DEPTH.get() + 1)
    try:
        yield
    finally:
        _DEPTH.reset(token)


def table(name: str):
    return reading("table", name)


@contextlib.contextmanager
def rows(table_name: str, column: str, values):
    """Within this block, reading ``table_name`` reads only the rows whose ``column`` is in
    ``values`` (the caller filters right after reading: say so where the filter is)."""
    values = tuple(sorted({v if isinstance(v, (int, str)) else str(v) for v in values},
                          key=lambda v: (str(type(v)), v)))
    token = _NARROW.set({**_NARROW.get(), table_name: (column, values)})
    try:
        yield
    finally:
        _NARROW.reset(token)


def collected() -> list[list]:
    """What was noted, JSON-ready and in a stable order."""
    return sorted(([*item[:3], list(item[3])] if item[0] == "rows" else list(item)
                   for item in _NOTED), key=json.dumps)


def tables_read(reads: list[list] | None = None) -> list[str]:
    """Names of the tables (and files, by stem) a report read: the footer's data list."""
    from pathlib import PurePath

    names = []
    for item in (collected() if reads is None else reads):
        if item[1] == "*":
            from .paths import TABLE_FILES

            found = list(TABLE_FILES)
        else:
            found = [PurePath(item[1]).stem if item[0] == "file" else item[1]]
        names += [name for name in found if name not in names]
    return sorted(names)


def label(item: list) -> str:
    """How a read is named when it changed: ``population (code 609)``."""
    kind, name = item[0], item[1]
    if name == "*":
        return "all tables"
    if kind == "rows":
        values = ", ".join(map(str, item[3][:5])) + (" …" if len(item[3]) > 5 else "")
        return f"{name} ({item[2]} {values})"
    if kind == "column":
        return f"{name} ({item[2]} values)"
    return name


def _package_digest(path) -> str:
    """What a report reads from datapackage.json is provenance (sources, years, periods),
    not the checksums of tables whose rows are keyed on their own: leave those out, so that
    a changed row re-renders only the reports that read it."""
    if not path.exists():
        return "-"
    package = json.loads(path.read_text(encoding="utf-8"))
    for item in package.get("resources", []):
        item.pop("hash", None), item.pop("bytes", None)
    return hashlib.sha256(json.dumps(package, sort_keys=True).encode()).hexdigest()


class Digests:
    """Hashes of noted reads against one data folder, each computed once (main process)."""

    def __init__(self, directory=None):
        from . import data

        self.folder = data.data_dir(directory)
        self._directory = directory
        self._snap = None
        self._done: dict[str, str] = {}

    @property
    def snap(self):
        if self._snap is None:
            from . import data

            self._snap = data.load(self._directory)
        return self._snap

    @staticmethod
    def _frame(frame) -> str:
        import pandas as pd

        digest = hashlib.sha256("|".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        return digest.hexdigest()

    def digest(self, item: list) -> str:
        key = json.dumps(item)
        if key not in self._done:
            kind, name = item[0], item[1]
            if kind == "file" and name == DATAPACKAGE_FILE:
                value = _package_digest(self.folder / name)
            elif kind == "file":
                path = self.folder / name
                value = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"
            elif name == "*":  # data.load(): every table
                from .paths import TABLE_FILES

                value = hashlib.sha256("".join(self.digest(["table", t])
                                               for t in sorted(TABLE_FILES)).encode()).hexdigest()
            elif not hasattr(self.snap, name):
                value = "-"  # a table this snapshot no longer has: changed
            else:
                frame = getattr(self.snap, name)
                if kind == "table":
                    value = self._frame(frame)
                elif kind == "column":
                    value = self._frame(frame[[item[2]]].drop_duplicates().sort_values(item[2]))
                elif kind == "rows":
                    picked = frame[frame[item[2]].isin(item[3])]
                    value = self._frame(picked.sort_values(list(picked.columns)))
                else:
                    value = "-"
            self._done[key] = value
        return self._done[key]
