"""Checks for notebook parameters, shared by the notebooks and by ``analysis render``
(which runs them before any kernel starts). Each raises :class:`ParameterError` with a
one-line message that says what is valid."""

from __future__ import annotations

import difflib
from numbers import Integral

import numpy as np

from . import data, readset
from .i18n import LANGS, format_years
from .names import UnknownMunicipalityError, resolve


class ParameterError(ValueError):
    """A notebook or command parameter is invalid; the message is meant for the user."""


def check_lang(lang) -> str:
    if lang not in LANGS:
        raise ParameterError(f"lang={lang!r} is not available; use one of: {', '.join(LANGS)}")
    return lang


def check_year(year, table: str = "population") -> int:
    """A year the table holds (``None`` = the latest)."""
    with readset.reading("column", table, "year"):  # only which years exist
        frame = data.population() if table == "population" else data.jobs()
    years = sorted(int(y) for y in frame["year"].unique())
    if year is None or year == "latest":
        return years[-1]
    # numbers.Integral, not int: a year taken from a DataFrame (``pop["year"].max()``) is a
    # numpy integer, and an analyst should not have to cast it.
    if (isinstance(year, (bool, np.bool_)) or not isinstance(year, (Integral, str))
            or not str(year).strip().isdigit()):
        raise ParameterError(f"year={year!r} is not a year; available {table} years: "
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
        raise ParameterError(f"unknown partnership {pid!r}; {hint}valid ids: {', '.join(valid)}")
    return pid


def check_partnerships(ids) -> list[str]:
    """A list of partnership ids (``None``, ``"all"`` or ``[]`` = all of them)."""
    if ids is None or ids == "all" or ids == []:
        return partnership_ids()
    if isinstance(ids, str):
        ids = [part.strip() for part in ids.split(",") if part.strip()]
    return [check_partnership(pid) for pid in ids]


def _yaml_loader():
    """PyYAML's safe loader, except that a number with a leading zero stays text.

    YAML 1.1 reads ``020`` as the octal number 16, so ``city: 020`` (Akaa) would render
    Asikkala (016); municipality codes are three-digit strings, so ``020`` stays ``"020"``.
    Other integers, floats and booleans are read as usual."""
    import re

    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*))$"),
                                 list("-+0123456789"))
    return Loader


def load_parameters_file(path) -> dict:
    """A papermill-style YAML parameters file as a dict; one-line ParameterError otherwise."""
    import yaml
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ParameterError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                             f"offset {exc.start}); save it as UTF-8") from None
    try:
        value = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ParameterError(f"cannot read {path}: {' '.join(str(exc).split())}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParameterError(f"{path} holds a {type(value).__name__}; a parameters file maps "
                             "names to values, e.g. 'city: Pori'")
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise ParameterError(f"{path}: parameter name {bad[0]!r} is not text")
    return value
