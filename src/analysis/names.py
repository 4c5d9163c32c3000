"""Resolve a municipality from any of its names (Finnish, Swedish, English), its code, or a
former municipality merged into it.

    >>> resolve("seinajoki").code
    '743'
    >>> resolve("Vasa").name_fi
    'Vaasa'

Matching ignores case, accents (ä = a), spaces, hyphens and punctuation. An unknown name
raises :class:`UnknownMunicipalityError` whose message suggests the closest names with codes.
Every notebook parameter that names a place goes through :func:`resolve`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

import numpy as np

from . import data as _data
from . import provenance as _provenance


class UnknownMunicipalityError(LookupError):
    """No municipality matches; the message lists the closest names with codes."""

    def __init__(self, query, suggestions: list[str]):
        self.query, self.suggestions = query, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown municipality {str(query)!r}{hint}")

    def __str__(self) -> str:  # LookupError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    note: str | None = None  # set when the query named a former municipality

    def name(self, lang: str = "fi") -> str:
        return {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}[lang]

    def __str__(self) -> str:
        return f"{self.name_fi} ({self.code})"


def fold(text: str) -> str:
    """Lower case with accents removed: 'Hämeenlinna' -> 'hameenlinna'."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Only letters and digits, folded: 'Östermark' -> 'ostermark' (for matching names)."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def slug(text: str) -> str:
    """A readable ASCII file-name part: 'Koski Tl' -> 'koski-tl'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def former_municipalities() -> dict[str, tuple[str, str, str]]:
    """Merged municipalities users may still type: code -> (name, successor on the
    snapshot's division, date of the merger), from the curated merger table."""
    return dict(_lookup()[3])


def _former_table() -> dict[str, tuple[str, str, str]]:
    mergers = _data.mergers()
    successor = dict(zip(mergers["code"], mergers["successor"]))
    out = {}
    for row in mergers.itertuples():
        target, seen = row.successor, {row.code}
        while target in successor and target not in seen:  # a successor merged later on
            seen.add(target)
            target = successor[target]
        out[row.code] = (row.name, target, row.date)
    return out


@lru_cache(maxsize=4)
def _index(fingerprint) -> tuple[dict[str, set[str]], dict[str, Municipality], dict[str, str],
                                  dict[str, tuple[str, str, str]]]:
    frame = _data.municipalities()
    former = _former_table()
    by_code = {row.code: Municipality(row.code, row.name_fi, row.name_sv, row.name_en)
               for row in frame.itertuples()}
    keys: dict[str, set[str]] = {}
    label: dict[str, str] = {}  # normalised key -> how to show it in a suggestion
    for muni in by_code.values():
        for name in {muni.name_fi, muni.name_sv, muni.name_en}:
            keys.setdefault(normalise(name), set()).add(muni.code)
            label.setdefault(normalise(name), f"{name} {muni.code}")
    for old_code, (name, successor, _date) in former.items():
        keys.setdefault(normalise(name), set()).add(old_code)
        label.setdefault(normalise(name), f"{name} {old_code} (now {by_code[successor].name_fi})")
    return keys, by_code, label, former


def _lookup():
    folder = _data.data_dir()
    return _index(_data._fingerprint(folder))


def _former(code: str, by_code: dict[str, Municipality], former: dict) -> Municipality:
    name, successor, date = former[code]
    target = by_code[successor]
    note = (f"{name} ({code}) merged into {target.name_fi} ({target.code}) on {date}; "
            f"on the {_provenance.division()} division its figures are {target.name_fi}'s")
    return Municipality(target.code, target.name_fi, target.name_sv, target.name_en, note=note)


def suggest(query, limit: int = 3) -> list[str]:
    """The closest known names to ``query``, each with its code."""
    keys, _, label, _ = _lookup()
    close = difflib.get_close_matches(normalise(query), list(keys), n=4 * limit, cutoff=0.6)
    seen, out = set(), []
    for key in close:  # one suggestion per municipality, whichever of its names is closest
        codes = frozenset(keys[key])
        if codes not in seen:
            seen.add(codes)
            out.append(label[key])
    return out[:limit]


def resolve(query) -> Municipality:
    """The municipality named by ``query`` (name in any language, code as str or int)."""
    keys, by_code, _, former = _lookup()
    if isinstance(query, (bool, np.bool_)) or query is None:
        raise UnknownMunicipalityError(query, [])
    # Integral covers numpy integers too (a code read from a DataFrame column of ints).
    if isinstance(query, Integral) or (isinstance(query, str) and query.strip().isdigit()):
        code = f"{int(query):03d}"
        if code in by_code:
            return by_code[code]
        if code in former:
            return _former(code, by_code, former)
        raise UnknownMunicipalityError(query, [])
    matches = keys.get(normalise(query), set())
    if len(matches) > 1:
        names = ", ".join(str(by_code[c]) for c in sorted(matches) if c in by_code)
        raise UnknownMunicipalityError(query, [f"ambiguous: {names}"])
    if matches:
        code = next(iter(matches))
        return _former(code, by_code, former) if code in former else by_code[code]
    raise UnknownMunicipalityError(query, suggest(query))


def name_column(lang: str, prefix: str = "name") -> str:
    """The column holding ``prefix`` (``name``, ``region``, ``subregion``, …) in ``lang``:
    ``name_column("en") == "name_en"``, ``name_column("fi", "region") == "region_fi"``.
    Swedish names exist for municipalities only (``name_sv``)."""
    from .params import check_lang

    if lang == "sv" and prefix == "name":
        return "name_sv"
    return f"{prefix}_{check_lang(lang)}"


def display_name(code: str, lang: str = "fi") -> str:
    """The municipality's name in ``lang`` (fi, sv or en)."""
    by_code = _lookup()[1]
    return by_code[code].name(lang)


def partnership_name(pid: str, lang: str = "fi", form: str = "short") -> str:
    """The one name of a partnership every report, figure and export uses.

    ``form``: ``short`` (labels, tables, sentences), ``abbr`` (crowded axes) or ``full``
    (the official name). The names are curated with the partnership, in
    ``data/curated/partnerships.yaml``.

        >>> partnership_name("c6", "en")
        'C6 alliance'
    """
    from .params import check_lang

    lang = check_lang(lang)
    column = {"short": f"short_{lang}", "abbr": f"abbr_{lang}", "full": f"name_{lang}"}[form]
    frame = _data.partnerships().set_index("partnership_id")
    return str(frame.at[pid, column])
