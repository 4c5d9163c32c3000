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
import json
from contextvars import ContextVar

_NOTED: set[tuple] = set()
# table -> (column, values) while a library function narrows its reads (see rows()).
_NARROW: ContextVar[dict] = ContextVar("readset_narrow", default={})  # noqa: B039 - never mutated
_DEPTH: ContextVar[int] = ContextVar("readset_depth", default=0)
# Open recordings (see recording()): each also receives every read noted.
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


def nested() -> bool:
    """True inside an accessor's body, where reads are not noted (the outer one was)."""
    return bool(_DEPTH.get())


@contextlib.contextmanager
def recording():
    """Collect into the set yielded every read noted within the block (they are noted as
    usual too): what a cached computation must replay (:mod:`analysis.data.memo`)."""
    found: set = set()
    token = _RECORDERS.set((*_RECORDERS.get(), found))
    try:
        yield found
    finally:
        _RECORDERS.reset(token)


def replay(reads) -> None:
    """Note ``reads`` again, as recorded by :func:`recording`."""
    _NOTED.update(reads)
    for outer in _RECORDERS.get():
        outer.update(reads)


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
            from analysis.core.paths import TABLE_FILES

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
