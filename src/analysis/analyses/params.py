"""One parameter object per report: the notebook and ``analysis render`` check a report's
parameters with the same object, so a value refused in one is refused in the other, with
the same one-line message.

    p = CityProfileParams.check(city="Vasa", year=None, lang="en")
    p.city, p.year, p.lang         # '905', the latest population year, 'en'

A notebook's tagged ``parameters`` cell declares the defaults; its first code cell calls
``<Report>Params.check(...)`` with them. ``analysis render`` reads the defaults from the
notebook, overlays the values given (``-p``, ``-y``), checks their types against
:attr:`ReportParams.accepts` and then calls the same ``check`` before any kernel starts;
the normalised values (:meth:`ReportParams.values`) name the report's file and key its
cache entry, so ``PORI``, ``Pori`` and ``609`` are one report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import ClassVar

from analysis.analyses import sizeclass
from analysis.core.errors import ParameterError, echo
from analysis.core.langs import DEFAULT_LANG, check_lang
from analysis.data.checks import (
    check_indicator,
    check_municipality,
    check_partnership,
    check_partnerships,
    check_year,
)

NONE = type(None)
YEAR_TYPES = (int, float, str, NONE)  # 2025, 2025.0 (papermill reads "2025.0"), "latest", None


@dataclass(frozen=True)
class ReportParams:
    """Base of the parameter objects: ``check`` validates, ``values`` returns the
    normalised values without the language (set by the pipeline)."""

    notebook: ClassVar[str] = ""
    accepts: ClassVar[dict[str, tuple[type, ...]]] = {}

    @classmethod
    def check(cls, **given) -> ReportParams:
        raise NotImplementedError

    def values(self) -> dict:
        """Normalised values (JSON-ready: tuples as lists), the language left out."""
        return {f.name: (list(v) if isinstance(v, tuple) else v)
                for f in fields(self) if f.name != "lang" for v in [getattr(self, f.name)]}

    def as_dict(self) -> dict:
        return asdict(self)


def _no_extra(cls, extra: dict) -> None:
    if extra:
        name = next(iter(extra))
        known = [f.name for f in fields(cls)]
        raise ParameterError(f"{cls.notebook} has no parameter {echo(name)}; its parameters: "
                             f"{', '.join(known)}")


@dataclass(frozen=True)
class CityProfileParams(ReportParams):
    """``notebooks/city_profile.ipynb``: one municipality (any name or code) in a year."""

    city: str
    year: int
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "city_profile"
    accepts: ClassVar[dict] = {"city": (str, int), "year": YEAR_TYPES}

    @classmethod
    def check(cls, city="Seinäjoki", year=None, lang=DEFAULT_LANG, **extra):
        _no_extra(cls, extra)
        return cls(city=check_municipality(city).code, year=check_year(year),
                   lang=check_lang(lang))


@dataclass(frozen=True)
class PartnershipProfileParams(ReportParams):
    """``notebooks/partnership_profile.ipynb``: one partnership in a population year."""

    partnership: str
    year: int
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "partnership_profile"
    accepts: ClassVar[dict] = {"year": YEAR_TYPES}

    @classmethod
    def check(cls, partnership="growth-cities", year=None, lang=DEFAULT_LANG, **extra):
        _no_extra(cls, extra)
        return cls(partnership=check_partnership(partnership), year=check_year(year),
                   lang=check_lang(lang))


@dataclass(frozen=True)
class SizeClassesParams(ReportParams):
    """``notebooks/size_classes.ipynb``: a class (any bounds) in a year, cities or all
    municipalities, a partnership whose members are marked."""

    year: int
    bounds: tuple[int, ...]
    cities_only: bool
    highlight: str | None
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "size_classes"
    accepts: ClassVar[dict] = {"year": YEAR_TYPES, "bounds": (list, str, tuple),
                               "highlight": (str, NONE)}

    @classmethod
    def check(cls, year=None, bounds=sizeclass.MID_SIZE_BOUNDS, cities_only=True, highlight="",
              lang=DEFAULT_LANG, **extra):
        _no_extra(cls, extra)
        return cls(year=check_year(year), bounds=sizeclass.check_bounds(bounds),
                   cities_only=sizeclass.check_cities_only(cities_only),
                   highlight=sizeclass.check_highlight(highlight), lang=check_lang(lang))


@dataclass(frozen=True)
class NetworkParams(ReportParams):
    """``notebooks/partnership_network.ipynb``: the partnerships drawn, the population year
    and size bounds of the node attributes, the layout's seed and a city to highlight."""

    year: int
    partnerships: tuple[str, ...]
    size_bounds: tuple[int, ...]
    layout_seed: int
    highlight_city: str | None
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "partnership_network"
    accepts: ClassVar[dict] = {"year": YEAR_TYPES, "partnerships": (list, str, tuple, NONE),
                               "size_bounds": (list, str, tuple),
                               "highlight_city": (str, int, NONE)}

    @classmethod
    def check(cls, year=None, partnerships="all", size_bounds=sizeclass.MID_SIZE_BOUNDS,
              layout_seed=1, highlight_city="", lang=DEFAULT_LANG, **extra):
        _no_extra(cls, extra)
        if isinstance(layout_seed, bool) or not isinstance(layout_seed, int) or layout_seed < 0:
            raise ParameterError(f"layout_seed={echo(layout_seed)} must be a non-negative integer")
        city = None
        if highlight_city not in (None, ""):
            city = check_municipality(highlight_city).code
        return cls(year=check_year(year), partnerships=tuple(check_partnerships(partnerships)),
                   size_bounds=sizeclass.check_bounds(size_bounds), layout_seed=layout_seed,
                   highlight_city=city, lang=check_lang(lang))


@dataclass(frozen=True)
class IndicatorParams(ReportParams):
    """``notebooks/indicator.ipynb``: one indicator across the country (its id in
    :data:`analysis.data.catalogue.INDICATORS`) with a group outlined on it: the cities of
    a size class (bounds), a partnership (id) or nothing (``""``)."""

    indicator: str
    outline: tuple[int, ...] | str | None
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "indicator"
    accepts: ClassVar[dict] = {"indicator": (str,), "outline": (list, tuple, str, NONE)}

    @classmethod
    def check(cls, indicator="unemployment_rate", outline=sizeclass.MID_SIZE_BOUNDS,
              lang=DEFAULT_LANG, **extra):
        from analysis.analyses.indicators import check_outline

        _no_extra(cls, extra)
        return cls(indicator=check_indicator(indicator), outline=check_outline(outline),
                   lang=check_lang(lang))


@dataclass(frozen=True)
class CompareParams(ReportParams):
    """``notebooks/compare.ipynb``: 2 to 10 municipalities side by side (any names, Swedish
    names or codes, as a list or as text separated by commas; normalised to their codes,
    sorted, each once) in a population year."""

    places: tuple[str, ...]
    year: int
    lang: str = DEFAULT_LANG
    notebook: ClassVar[str] = "compare"
    accepts: ClassVar[dict] = {"places": (list, tuple, str, int), "year": YEAR_TYPES}

    @classmethod
    def check(cls, places="Seinäjoki, Vasa, 272", year=None, lang=DEFAULT_LANG, **extra):
        from analysis.analyses.compare import check_places

        _no_extra(cls, extra)
        return cls(places=tuple(check_places(places)), year=check_year(year),
                   lang=check_lang(lang))


REPORTS: dict[str, type[ReportParams]] = {
    cls.notebook: cls for cls in (CityProfileParams, PartnershipProfileParams,
                                  SizeClassesParams, NetworkParams, IndicatorParams,
                                  CompareParams)}
"""Notebook name -> its parameter object."""
