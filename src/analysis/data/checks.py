"""Checks of parameters that need the data: a year the data holds, a municipality by any
name or code, a partnership id. Shared by the notebooks, the tidy tables and
``analysis render`` (which runs them before any kernel starts). Each raises
:class:`~analysis.core.errors.ParameterError` with a one-line message that says what is
valid. The language check, which needs no data, is :func:`analysis.core.langs.check_lang`."""

from __future__ import annotations

import difflib
from numbers import Integral

import numpy as np

from analysis.core.errors import ParameterError, echo
from analysis.core.langs import check_lang  # noqa: F401 - one import for the notebooks' checks
from analysis.core.text import format_years
from analysis.data import readset
from analysis.data import snapshot as data
from analysis.data.names import UnknownMunicipalityError, resolve


def check_year(year, table: str = "population") -> int:
    """A year the table holds (``None`` = the latest)."""
    with readset.reading("column", table, "year"):  # only which years exist
        frame = getattr(data, table)()  # population, jobs, commuting or unemployment
    years = sorted(int(y) for y in frame["year"].unique())
    if year is None or year == "latest":
        return years[-1]
    if isinstance(year, float) and year.is_integer():  # papermill reads "2025.0" as a float
        year = int(year)
    # numbers.Integral, not int: a year taken from a DataFrame (``pop["year"].max()``) is a
    # numpy integer, and an analyst should not have to cast it.
    if (isinstance(year, (bool, np.bool_)) or not isinstance(year, (Integral, str))
            or not str(year).strip().isdecimal()):  # '²⁰²⁵' is digits, but no number
        raise ParameterError(f"year={echo(year)} is not a year; available {table} years: "
                             f"{format_years(years)}")
    if int(year) not in years:
        raise ParameterError(f"year {int(year)} is not in the {table} data; available years: "
                             f"{format_years(years)}")
    return int(year)


def check_municipality(name):
    """The municipality named (any language, or code); unknown names get suggestions."""
    readset.note("table", "municipalities")  # the resolver caches its index of names
    try:
        return resolve(name)
    except UnknownMunicipalityError as exc:
        raise ParameterError(str(exc)) from None


def partnership_ids() -> list[str]:
    return list(data.partnerships()["partnership_id"])


def check_partnership(pid) -> str:
    valid = partnership_ids()
    if pid not in valid:
        close = difflib.get_close_matches(str(pid), valid, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ParameterError(f"unknown partnership {echo(pid)}; {hint}valid ids: "
                             f"{', '.join(valid)}")
    return pid


def check_partnerships(ids) -> list[str]:
    """Partnership ids: a list, or text separated by commas; ``None``, ``"all"``, ``""`` or
    an empty list mean all of them. Each id once, in the order of the partnerships table,
    so that ``"c6,c6"`` and ``"c6"`` are one selection."""
    if isinstance(ids, str):
        ids = [part.strip() for part in ids.split(",") if part.strip()]
    if ids is None or list(ids) in ([], ["all"]):
        return partnership_ids()
    chosen = {check_partnership(pid) for pid in ids}
    return [pid for pid in partnership_ids() if pid in chosen]


def check_indicator(name) -> str:
    """An indicator of :data:`analysis.data.catalogue.INDICATORS` (its id, e.g.
    ``unemployment_rate``); an unknown one gets a suggestion and the valid ids."""
    from analysis.data.catalogue import INDICATORS

    valid = list(INDICATORS)
    if name not in valid:
        close = difflib.get_close_matches(str(name), valid, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ParameterError(f"unknown indicator {echo(name)}; {hint}valid ids: {', '.join(valid)}")
    return name
