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
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

import numpy as np

from analysis.core.errors import ParameterError, echo
from analysis.core.langs import check_lang
from analysis.core.text import fold, normalise, slug  # noqa: F401 - re-exported for analysts
from analysis.data import provenance as _provenance
from analysis.data import readset
from analysis.data import snapshot as _data


class UnknownMunicipalityError(ParameterError, LookupError):
    """No municipality matches; the message lists the closest names with codes."""

    def __init__(self, query, suggestions: list[str]):
        self.query, self.suggestions = query, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown municipality {echo(str(query))}{hint}")


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    note: str | None = None  # set when the query named a former municipality
    former: str | None = None  # that former municipality's code

    def name(self, lang: str = "fi") -> str:
        return {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}[lang]

    def __str__(self) -> str:
        return f"{self.name_fi} ({self.code})"


class NameIndex:
    """Every name a user may type for a municipality of one division: names in Finnish,
    Swedish and English, codes, and former municipalities merged into one (from the merger
    table). The build uses one over the tables it is building; :func:`resolve` one over the
    snapshot in use."""

    def __init__(self, municipalities, mergers, division: int | None = None):
        self.division = division
        self.by_code = {row.code: Municipality(row.code, row.name_fi, row.name_sv, row.name_en)
                        for row in municipalities.itertuples()}
        successor = dict(zip(mergers["code"], mergers["successor"]))
        self.former: dict[str, tuple[str, str, str]] = {}
        for row in mergers.itertuples():
            target, seen = row.successor, {row.code}
            while target in successor and target not in seen:  # a successor merged later on
                seen.add(target)
                target = successor[target]
            self.former[row.code] = (row.name, target, row.date)
        self.keys: dict[str, set[str]] = {}
        self.label: dict[str, str] = {}  # normalised key -> how to show it in a suggestion
        for muni in self.by_code.values():
            for name in {muni.name_fi, muni.name_sv, muni.name_en}:
                self.keys.setdefault(normalise(name), set()).add(muni.code)
                self.label.setdefault(normalise(name), f"{name} {muni.code}")
        for old_code, (name, target, _date) in self.former.items():
            if target not in self.by_code:
                continue  # the merger table names no municipality of the division: the
                # build and the check refuse such a row; it must not break every lookup
            self.keys.setdefault(normalise(name), set()).add(old_code)
            self.label.setdefault(normalise(name),
                                  f"{name} {old_code} (now {self.by_code[target].name_fi})")

    def _former(self, code: str) -> Municipality:
        name, successor, date = self.former[code]
        target = self.by_code[successor]
        on = f"on the {self.division} division " if self.division else ""
        note = (f"{name} ({code}) merged into {target.name_fi} ({target.code}) on {date}; "
                f"{on}its figures are {target.name_fi}'s")
        return Municipality(target.code, target.name_fi, target.name_sv, target.name_en,
                            note=note, former=code)

    def suggest(self, query, limit: int = 3) -> list[str]:
        """The closest known names to ``query``, each with its code."""
        close = difflib.get_close_matches(normalise(str(query)[:200]), list(self.keys),
                                          n=4 * limit, cutoff=0.6)
        seen, out = set(), []
        for key in close:  # one suggestion per municipality, whichever of its names is closest
            codes = frozenset(self.keys[key])
            if codes not in seen:
                seen.add(codes)
                out.append(self.label[key])
        return out[:limit]

    def match(self, name: str) -> str:
        """The code a source table's label ``name`` stands for, as the source meant it: a
        municipality of the division or a former one (not followed to its successor, so
        that a build sums it in and says so). PX-Web's bilingual labels such as
        ``"Maarianhamina - Mariehamn"`` match when both halves name the same municipality.
        :class:`UnknownMunicipalityError` when it names none, or more than one."""
        codes = set(self.keys.get(normalise(name), set()))
        if not codes and " - " in name:
            halves = [self.keys.get(normalise(part), set()) for part in name.split(" - ")]
            codes = set.intersection(*halves) if all(halves) else set()
        if len(codes) != 1:
            raise UnknownMunicipalityError(name, self.suggest(name) if not codes else [
                f"ambiguous: {', '.join(sorted(codes))}"])
        return codes.pop()

    def resolve(self, query) -> Municipality:
        """The municipality named by ``query`` (name in any language, code as str or int)."""
        if isinstance(query, (bool, np.bool_)) or query is None:
            raise UnknownMunicipalityError(query, [])
        # Integral covers numpy integers too (a code read from a DataFrame column of ints).
        # isdecimal, not isdigit: '²' is a digit but no number int() reads.
        if isinstance(query, Integral) or (isinstance(query, str) and query.strip().isdecimal()):
            code = f"{int(query):03d}"
            if code in self.by_code:
                return self.by_code[code]
            if code in self.former and self.former[code][1] in self.by_code:
                return self._former(code)
            raise UnknownMunicipalityError(query, [])
        matches = self.keys.get(normalise(query), set())
        if len(matches) > 1:
            names = ", ".join(str(self.by_code[c]) for c in sorted(matches) if c in self.by_code)
            raise UnknownMunicipalityError(query, [f"ambiguous: {names}"])
        if matches:
            code = next(iter(matches))
            return self._former(code) if code in self.former else self.by_code[code]
        raise UnknownMunicipalityError(query, self.suggest(query))


@lru_cache(maxsize=4)
def _index(fingerprint) -> NameIndex:
    return NameIndex(_data.municipalities(), _data.mergers(), _provenance.division())


def index() -> NameIndex:
    """The names of the snapshot in use (built once per data snapshot and process). Every
    call notes the two tables it comes from, so a report's read set does not depend on
    whether an earlier report in the same kernel built the index."""
    readset.note("table", "municipalities")
    readset.note("table", "mergers")
    return _index(_data.fingerprint(_data.data_dir()))


def former_municipalities() -> dict[str, tuple[str, str, str]]:
    """Merged municipalities users may still type: code -> (name, successor on the
    snapshot's division, date of the merger), from the curated merger table."""
    return dict(index().former)


def suggest(query, limit: int = 3) -> list[str]:
    """The closest known names to ``query``, each with its code."""
    return index().suggest(query, limit)


def resolve(query) -> Municipality:
    """The municipality named by ``query`` (name in any language, code as str or int)."""
    return index().resolve(query)


def name_column(lang: str, prefix: str = "name") -> str:
    """The column holding ``prefix`` (``name``, ``region``, ``subregion``, …) in ``lang``:
    ``name_column("en") == "name_en"``, ``name_column("fi", "region") == "region_fi"``.
    Swedish names exist for municipalities only (``name_sv``)."""
    if lang == "sv" and prefix == "name":
        return "name_sv"
    return f"{prefix}_{check_lang(lang)}"


def display_name(code: str, lang: str = "fi") -> str:
    """The municipality's name in ``lang`` (fi, sv or en)."""
    return index().by_code[code].name(lang)


def partnership_name(pid: str, lang: str = "fi", form: str = "short") -> str:
    """The one name of a partnership every report, figure and export uses.

    ``form``: ``short`` (labels, tables, sentences), ``abbr`` (crowded axes) or ``full``
    (the official name). The names are curated with the partnership, in
    ``data/curated/partnerships.yaml``.

        >>> partnership_name("c6", "en")
        'C6 alliance'
    """
    lang = check_lang(lang)
    column = {"short": f"short_{lang}", "abbr": f"abbr_{lang}", "full": f"name_{lang}"}[form]
    frame = _data.partnerships().set_index("partnership_id")
    return str(frame.at[pid, column])
