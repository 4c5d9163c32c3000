"""One translation table for every label, title and sentence the reports show (fi, en,
sv), and number formatting the Finnish, English or Swedish way.

    >>> t("unit.residents", "fi")
    'asukasta'
    >>> fmt_int(1234567, "fi")
    '1\u00a0234\u00a0567'
    >>> fmt_pct(0.125, "fi")
    '12,5\u00a0%'
    >>> fmt_float(-1234.5, "sv")
    '−1\u00a0234,5'

Keys live in ``translations/*.yaml`` beside this module (one file per report family; a
key may be defined once only); a test fails when a key lacks a language. Notebooks hold no
sentence of their own: they call :func:`t`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from analysis.core.langs import DEFAULT_LANG, LANGS, check_lang  # noqa: F401
from analysis.core.text import format_years  # noqa: F401 - number and year formats in one place
from analysis.data.names import name_column

NBSP = "\u00a0"  # thousands separator and the space before % in Finnish and Swedish
TRANSLATIONS_DIR = Path(__file__).with_name("translations")


@lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted(TRANSLATIONS_DIR.glob("*.yaml")):
        # libyaml's loader where PyYAML was built with it: several times faster, and every
        # command (`analysis render` with nothing to do too) reads these files first.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = path.read_text(encoding="utf-8")
        for key, value in (yaml.load(text, Loader=loader) or {}).items():  # noqa: S506
            if str(key) in table:
                raise ValueError(f"{path.name}: translation key {key!r} defined twice")
            table[str(key)] = value
    return table


def missing_translations(table: dict | None = None) -> list[tuple[str, str]]:
    """(key, language) for every key of ``table`` (default: the translation table) without
    a non-empty text in one of :data:`LANGS`: a report in that language would fail."""
    table = translations() if table is None else table
    return [(key, lang) for key, value in table.items() for lang in LANGS
            if not isinstance(value, dict) or not str(value.get(lang) or "").strip()]


def t(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Values are inserted as given: format counts with :func:`fmt_int` and shares with
    :func:`fmt_pct` first (a year must not get a thousands separator).
    """
    check_lang(lang)
    try:
        text = translations()[key][lang]
    except KeyError:
        raise KeyError(f"translation key {key!r} missing for {lang!r} in translations/") from None
    wanted = set(_PLACEHOLDER.findall(text))
    if wanted & VINTAGE_FIELDS.keys() - values.keys():
        values = {**vintage(lang), **values}
    return text.format(**values) if values else text


_PLACEHOLDER = re.compile(r"{(\w+)}")
VINTAGE_FIELDS = {
    "division": "the municipal division every table is on",
    "municipalities": "the number of municipalities on it",
    "partnership_sources": "the source documents' publishers and dates",
    "city_title_year": "the year of the list of city titles",
    "jobs_table": "the table the jobs figures come from",
    "boundaries_year": "the year of the boundary file",
}


def vintage(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The data's vintage facts for source lines and footers, read from datapackage.json."""
    from analysis import data
    from analysis.data import provenance

    docs = data.sources()
    municipality_sources = provenance.resource("municipalities")["sources"]
    cities = next(s for s in municipality_sources if s["file"].startswith("raw/cities"))
    jobs = provenance.resource("jobs")["sources"][0]
    boundaries = provenance.resource("boundaries")["sources"][0]
    return {
        "division": str(provenance.division()),
        "municipalities": str(provenance.municipality_count()),
        "partnership_sources": "; ".join(
            f"{getattr(row, f'short_{lang}')} {str(row.date)[:4]}" for row in docs.itertuples()),
        "city_title_year": str(cities["data_year"]),
        "jobs_table": str(jobs["original_table"]),
        "boundaries_year": str(boundaries["data_year"]),
    }


def _missing(value) -> bool:
    """None, NaN, pd.NA or NaT: shown as an en dash by every formatter here."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes are not missing values
        return False


@dataclass(frozen=True)
class NumberFormat:
    """How a language writes numbers: thousands separator, decimal mark, what stands
    between a number and ``%``, and the minus sign."""

    thousands: str
    decimal: str
    before_percent: str
    minus: str


# Finnish and Swedish (as written in Finland, and by Språkrådet's rules): a non-breaking
# space between thousands, a decimal comma, a space before % and a true minus sign.
NUMBER_FORMATS = {
    "fi": NumberFormat(NBSP, ",", NBSP, "\u2212"),
    "sv": NumberFormat(NBSP, ",", NBSP, "\u2212"),
    "en": NumberFormat(",", ".", "", "-"),
}


def number_format(lang: str) -> NumberFormat:
    return NUMBER_FORMATS[check_lang(lang)]


def _sign(value, lang: str) -> str:
    return "+" if value > 0 else number_format(lang).minus if value < 0 else ""


def _localise(text: str, lang: str) -> str:
    """A number written the Python way ('-1,234.5') in ``lang``'s format."""
    style = number_format(lang)
    text = text.replace(",", "\x00").replace(".", style.decimal).replace("\x00", style.thousands)
    return text.replace("-", style.minus) if text.startswith("-") else text


def fmt_int(value, lang: str = DEFAULT_LANG) -> str:
    """1234567 -> '1 234 567' (fi, sv: non-breaking spaces) or '1,234,567' (en)."""
    if _missing(value):
        return "–"
    return _localise(f"{int(round(value)):,}", lang)


def fmt_float(value, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """12.5 -> '12,5' (fi, sv) or '12.5' (en), with thousands separators."""
    if _missing(value):
        return "–"
    return _localise(f"{value:,.{digits}f}", lang)


def fmt_signed(value, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """Change with its sign: '+1 234' / '−56' (true minus sign in Finnish)."""
    if _missing(value):
        return "–"
    body = fmt_int(abs(value), lang) if digits == 0 else fmt_float(abs(value), lang, digits)
    return _sign(value, lang) + body


def fmt_pct(share, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """0.125 -> '12,5 %' (fi, sv) or '12.5%' (en)."""
    if _missing(share):
        return "–"
    return f"{fmt_float(100 * share, lang, digits)}{number_format(lang).before_percent}%"


def fmt_signed_pct(share, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """A change as a share with its sign: '+4,3 %', '−1,5 %' (fi) or '+4.3%' (en)."""
    return "–" if _missing(share) else _sign(share, lang) + fmt_pct(abs(share), lang, digits)


def fmt_date(iso: str, lang: str = DEFAULT_LANG) -> str:
    """'2023-10-09' -> '9.10.2023' (fi, and sv as written in Finland) or '9 Oct 2023' (en);
    partial dates ('2024') as given."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if check_lang(lang) == "en":
        return f"{day.day} {day.strftime('%b')} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def class_label(lo, hi, lang: str = DEFAULT_LANG) -> str:
    """A size class as text: ``"40 000–100 000"`` (NBSP thousands separators in Finnish);
    ``hi=None`` gives ``"100 000+"``. The interval is lo ≤ population < hi."""
    check_lang(lang)
    if _missing(hi):
        return f"{fmt_int(lo, lang)}+"
    return f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}"


def bounds_label(bounds, lang: str = DEFAULT_LANG) -> str:
    """The whole span of ``bounds`` as one label (first to last edge)."""
    from analysis.analyses.sizeclass import check_bounds

    edges = check_bounds(bounds)
    return class_label(edges[0], edges[-1], lang)


def band_labels(bounds, lang: str | None = None):
    """Labels of the bands of a population scale cut by ``bounds``: below the first edge,
    each class, at or above the last edge (``lang`` None: ``{"fi": [...], "en": [...], …}``)."""
    def labels_in(lg):
        lo, hi = bounds[0], bounds[-1]
        inner = [class_label(a, b, lg) for a, b in zip(bounds[:-1], bounds[1:])]
        return ([t("net.band.below", lg, value=fmt_int(lo, lg))] + inner
                + [t("net.band.above", lg, value=fmt_int(hi, lg))])

    if lang is not None:
        return labels_in(check_lang(lang))
    return {lg: labels_in(lg) for lg in LANGS}


BILINGUAL_CODES = {"1", "3"}  # language_code of bilingual municipalities (Finnish/Swedish majority)


def municipality_labels(frame, lang: str = DEFAULT_LANG, with_swedish: bool = True):
    """Names to show for the rows of ``frame`` (needs name_fi/name_sv/name_en, and
    language_code for the addition): in ``fi`` bilingual municipalities read
    'Vaasa (Vasa)', in ``sv`` 'Vasa (Vaasa)'; in ``en`` the English name."""
    names = frame[name_column(check_lang(lang))].astype(str)
    other = {"fi": "name_sv", "sv": "name_fi"}.get(lang)
    if with_swedish and other and "language_code" in frame and other in frame:
        add = frame["language_code"].astype(str).isin(BILINGUAL_CODES) & (frame[other] != names)
        names = names.where(~add, names + " (" + frame[other].astype(str) + ")")
    return names
