"""Tidy tables for analysts: every row carries the municipality code and its names in
Finnish, Swedish and English side by side, so a table can be filtered, joined or pivoted
without looking anything up.

    >>> import analysis
    >>> pop = analysis.tables.population(codes=["Seinäjoki", "Vasa"])
    >>> pop.columns.tolist()
    ['code', 'name_fi', 'name_sv', 'name_en', 'year', 'population']
    >>> pop.drop_duplicates("code")[["code", "name_fi", "name_sv"]].values.tolist()
    [['743', 'Seinäjoki', 'Seinäjoki'], ['905', 'Vaasa', 'Vasa']]

Years and codes may be given as Python or numpy integers (``pop["year"].max()``) or as
text; municipalities by any name, Swedish name or code. A value the data does not hold
raises :class:`~analysis.core.errors.ParameterError` with the same one-line message as
``analysis render``. Every function returns a fresh DataFrame of plain numbers (no
formatting), sorted by its key; the data are the validated snapshot of :mod:`analysis.data`.
"""

from __future__ import annotations

from numbers import Integral

import pandas as pd

from analysis import data
from analysis.core.errors import ParameterError
from analysis.data.checks import check_municipality, check_year

NAME_COLUMNS = ["code", "name_fi", "name_sv", "name_en"]


def _names() -> pd.DataFrame:
    return data.municipalities()[NAME_COLUMNS]


def _with_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with a ``code`` column) with the three names right after the code."""
    rest = [c for c in frame.columns if c not in NAME_COLUMNS]
    return _names().merge(frame[["code", *rest]], on="code", how="right")[NAME_COLUMNS + rest]


def _as_list(value) -> list:
    """One value or several: a string or number is one, a list/tuple/Series/array several."""
    if value is None:
        return []
    if isinstance(value, (str, Integral)) or not hasattr(value, "__iter__"):
        return [value]
    return list(value)


def _codes(codes) -> list[str] | None:
    """Codes of the municipalities named (any name or code), None for all."""
    if codes is None:
        return None
    return [check_municipality(c).code for c in _as_list(codes)]


def _years(years, table: str = "population") -> list[int] | None:
    if years is None:
        return None
    return [check_year(y, table) for y in _as_list(years)]


def municipalities() -> pd.DataFrame:
    """One row per municipality of the snapshot's division: code, names fi/sv/en, region,
    sub-region, urban–rural class, language status, ``is_city``, areas and location.

    >>> munis = municipalities()
    >>> munis.loc[munis["code"] == "091", ["name_fi", "name_sv", "name_en"]].values.tolist()
    [['Helsinki', 'Helsingfors', 'Helsinki']]
    >>> len(munis) == len(set(munis["code"]))
    True
    """
    return data.municipalities().sort_values("code").reset_index(drop=True)


def population(years=None, codes=None) -> pd.DataFrame:
    """Population on 31 December: code, name_fi, name_sv, name_en, year, population.

    ``years``: a year, a list of years, ``"latest"`` or None (every year held);
    ``codes``: municipalities by any name or code (one or a list), None for all.

    >>> latest = population()["year"].max()        # a numpy integer, accepted as a year
    >>> hml = population(years=latest, codes="Tavastehus")
    >>> hml[["code", "name_fi", "year"]].values.tolist() == [["109", "Hämeenlinna", latest]]
    True
    >>> int(hml["population"].iloc[0]) > 60_000
    True
    >>> population(years=1900)
    Traceback (most recent call last):
    ...
    analysis.core.errors.ParameterError: year 1900 is not in the population data; available years: ...
    """
    frame = data.population()
    wanted_years, wanted_codes = _years(years), _codes(codes)
    if wanted_years is not None:
        frame = frame[frame["year"].isin(wanted_years)]
    if wanted_codes is not None:
        frame = frame[frame["code"].isin(wanted_codes)]
    frame = frame.sort_values(["code", "year"]).reset_index(drop=True)
    return _with_names(frame[["code", "year", "population"]])


def _select(frame: pd.DataFrame, table: str, years, codes, columns: list[str]) -> pd.DataFrame:
    wanted_years, wanted_codes = _years(years, table), _codes(codes)
    if wanted_years is not None:
        frame = frame[frame["year"].isin(wanted_years)]
    if wanted_codes is not None:
        frame = frame[frame["code"].isin(wanted_codes)]
    keys = ["code", "period"] if "period" in columns else ["code", "year"]
    return _with_names(frame.sort_values(keys).reset_index(drop=True)[columns])


def jobs(years=None, codes=None) -> pd.DataFrame:
    """Jobs located in each municipality (the employed who work there, by workplace):
    code, names fi/sv/en, year, jobs. ``years`` and ``codes`` as in :func:`population`.

    >>> table = jobs(years="latest")
    >>> table.columns.tolist()
    ['code', 'name_fi', 'name_sv', 'name_en', 'year', 'jobs']
    >>> bool((table["jobs"] > 0).all()) and table["code"].is_unique
    True
    >>> int(jobs(codes="Seinäjoki")["year"].min())
    1987
    """
    return _select(data.jobs(), "jobs", years, codes, ["code", "year", "jobs"])


def commuting(years=None, codes=None) -> pd.DataFrame:
    """The jobs in two parts: code, names, year, local_workers (working in their home
    municipality), in_commuters (commuting in), and in_commuter_share (in_commuters /
    jobs, 0..1): how far the municipality is a centre its area commutes into.

    >>> row = commuting(years=2021, codes="Seinäjoki").iloc[0]
    >>> int(row["local_workers"] + row["in_commuters"]), round(float(row["in_commuter_share"]), 3)
    (32683, 0.281)
    """
    frame = data.commuting()
    frame["in_commuter_share"] = frame["in_commuters"] / (frame["local_workers"]
                                                          + frame["in_commuters"])
    return _select(frame, "commuting", years, codes,
                   ["code", "year", "local_workers", "in_commuters", "in_commuter_share"])


def unemployment(years=None, codes=None) -> pd.DataFrame:
    """The unemployment rate at the end of each month held: code, names, period
    (``2007M01``), year, month, value (%), missing_reason (why a value is empty). Months no
    source holds are not rows (a gap stays a gap).

    >>> rate = unemployment(years=2024, codes="Kajaani")
    >>> len(rate), rate["period"].iloc[0]
    (12, '2024M01')
    """
    return _select(data.unemployment(), "unemployment", years, codes,
                   ["code", "period", "year", "month", "value", "missing_reason"])


def indicators(indicator=None) -> pd.DataFrame:
    """Tidy indicators: code, names, indicator, period, year, value, unit, source_table,
    missing_reason (why a value is empty). ``indicator``: one name, a list, or None for all.

    >>> rate = indicators("unemployment_rate")
    >>> rate["unit"].unique().tolist(), rate["code"].is_unique
    (['%'], True)
    >>> indicators("unemployment")
    Traceback (most recent call last):
    ...
    analysis.core.errors.ParameterError: unknown indicator 'unemployment'; did you mean ...
    """
    frame = data.indicators()
    if indicator is not None:
        known = sorted(frame["indicator"].unique())
        for name in _as_list(indicator):
            if name not in known:
                import difflib

                close = difflib.get_close_matches(str(name), known, n=2, cutoff=0.5)
                hint = f"did you mean {', '.join(close)}? " if close else ""
                raise ParameterError(f"unknown indicator {name!r}; {hint}"
                                     f"available: {', '.join(known)}")
        frame = frame[frame["indicator"].isin(_as_list(indicator))]
    frame = frame.sort_values(["indicator", "code", "period"]).reset_index(drop=True)
    return _with_names(frame)


def memberships() -> pd.DataFrame:
    """Who belongs to which partnership: partnership_id, its names fi/en and kind, then
    code, names fi/sv/en, role, status, status_date, source_id, evidence, source_lines.

    >>> ms = memberships()
    >>> sorted(ms.loc[ms["name_fi"] == "Seinäjoki", "partnership_id"])[:1]
    ['growth-cities']
    """
    parts = data.partnerships()[["partnership_id", "name_fi", "name_en", "kind"]]
    parts = parts.rename(columns={"name_fi": "partnership_fi", "name_en": "partnership_en",
                                  "kind": "partnership_kind"})
    frame = data.memberships().merge(parts, on="partnership_id", how="left")
    frame = frame.sort_values(["partnership_id", "code"]).reset_index(drop=True)
    first = ["partnership_id", "partnership_fi", "partnership_en", "partnership_kind"]
    named = _with_names(frame)
    rest = [c for c in named.columns if c not in first + NAME_COLUMNS]
    return named[first + NAME_COLUMNS + rest]


def classes(year=None, bounds=None, cities_only: bool = False) -> pd.DataFrame:
    """Every municipality (or city) in ``year`` with its population size class:
    code, names, year, population, class_index (-1 outside every class), class_lo,
    class_hi, class_label_fi/_en, region, sub-region, is_city.

    ``bounds`` None is the standard all-Finland scheme (the last class open-ended); explicit
    bounds (``[40000, 100000]`` or ``"40 000, 100 000"``) classify between their first and
    last edge, lower edge included, upper excluded.

    >>> mid = classes(bounds=[40_000, 100_000], cities_only=True)
    >>> inside = mid[mid["class_index"] == 0]
    >>> bool(inside["population"].between(40_000, 99_999).all()), "Seinäjoki" in set(inside["name_fi"])
    (True, True)
    >>> classes(bounds=[100_000, 40_000])
    Traceback (most recent call last):
    ...
    analysis.analyses.sizeclass.BoundsError: bounds=[100000, 40000]: edges must increase, ...
    """
    from analysis.analyses import sizeclass  # classification is sizeclass's
    from analysis.present.i18n import class_label  # the class named as the reports name it

    frame = sizeclass.classify(year, bounds, cities_only)
    frame.insert(4, "year", frame.attrs["year"])
    inside = frame["class_index"] >= 0
    for lang in ("fi", "en"):
        frame[f"class_label_{lang}"] = [class_label(lo, hi, lang) if ok else None for lo, hi, ok
                                        in zip(frame["class_lo"], frame["class_hi"], inside)]
    attrs = dict(frame.attrs)
    out = frame.sort_values("code").reset_index(drop=True)
    out.attrs.update(attrs)
    return out


def network_nodes(year=None, bounds=None) -> pd.DataFrame:
    """Nodes of the city–partnership graph (:func:`analysis.analyses.network.bipartite_graph`), one
    row each: node id, kind (municipality / partnership), names, population in ``year``,
    jobs, size band for ``bounds`` (default the mid-size class), number of groupings.

    >>> nodes = network_nodes()
    >>> nodes.loc[nodes["node"] == "743", ["kind", "name_fi", "name_sv"]].values.tolist()
    [['municipality', 'Seinäjoki', 'Seinäjoki']]
    >>> "p:growth-cities" in set(nodes["node"])
    True
    """
    from analysis.analyses import network
    from analysis.analyses.sizeclass import MID_SIZE_BOUNDS

    graph = network.bipartite_graph(year, None, MID_SIZE_BOUNDS if bounds is None else bounds)
    rows = [{"node": node, **attrs} for node, attrs in graph.nodes(data=True)]
    frame = pd.DataFrame(rows)
    for column in ("members", "groupings", "size_band"):  # counts, empty on the other kind
        frame[column] = frame[column].astype("Int64")
    first = ["node", "kind", "code", "partnership_id", "name_fi", "name_sv", "name_en"]
    return frame[first + [c for c in frame.columns if c not in first]]


def network_edges() -> pd.DataFrame:
    """Edges of the city–partnership graph: one per membership, from the municipality
    (code, names fi/sv/en) to the partnership (id, names fi/en), with role and status.

    >>> edges = network_edges()
    >>> len(edges) == len(memberships())
    True
    >>> edges.columns.tolist()[:6]
    ['code', 'name_fi', 'name_sv', 'name_en', 'partnership_id', 'partnership_fi']
    """
    ms = memberships()
    columns = [*NAME_COLUMNS, "partnership_id", "partnership_fi", "partnership_en", "role",
               "status", "status_date", "source_id"]
    return ms[columns].sort_values(["code", "partnership_id"]).reset_index(drop=True)
