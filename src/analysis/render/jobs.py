"""Jobs: one report in one language, its file name, and the default set.

A report's file name is stable and readable: the notebook's path pattern plus every
parameter whose normalised value differs from the notebook's normalised default
(``analyses/size-classes--year-2010--bounds-20000-40000``); too long a name is shortened
with a stable hash. The default set comes from the data: the analyses, one page per
indicator of the catalogue, one profile per partnership and one per city in a partnership
or in the mid-size class, and the pages those link to (each city profile's comparison with
its similar municipalities).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis import data
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.core.files import sha256_bytes
from analysis.core.langs import DEFAULT_LANG, check_lang
from analysis.core.text import slug
from analysis.data import memo, snapshot
from analysis.render.notebooks import (
    PIPELINE_PARAMS,
    NotebookSpec,
    declared_parameters,
    notebook_path,
    spec_for,
    validate,
)

LANGS_DEFAULT = ("fi", "en")
ALL_MUNICIPALITIES = "--all-municipalities"  # the reason of a profile only that option adds


@dataclass
class Job:
    notebook: Path
    params: dict  # normalised, defaults included: what the kernel runs with
    given: dict  # as given by the user: shown in the index
    lang: str
    rel: str  # HTML path inside the output folder, e.g. "en/cities/pori-609.html"
    group: str
    reason: str = ""
    key: str = ""
    svg: bool = True  # write the figures' SVG files (off for --all-municipalities' additions)

    @property
    def normalised(self) -> dict:
        return self.params

    @property
    def stem(self) -> str:
        """The report's path without language and suffix: pairs the fi and en versions."""
        return stem_of(self.rel, self.lang)

    @property
    def figures(self) -> str:
        return figures_of(self.stem, self.lang)

    @property
    def identity(self) -> dict:
        """What the page says about itself (``<meta name="analysis-report">``): enough to
        record it again should the folder's manifest be lost."""
        inside = self.notebook.parent == paths.NOTEBOOKS_DIR.resolve()
        return {"notebook": self.notebook.stem if inside else str(self.notebook),
                "params": self.params, "given": self.given,
                "lang": self.lang, "stem": self.stem, "group": self.group, "rel": self.rel}


def page_path(rel_stem: str, lang: str) -> str:
    """A page's path inside the folder: the default language at the top, others in a
    folder of their own (``en/cities/pori-609.html``)."""
    return f"{rel_stem}.html" if lang == DEFAULT_LANG else f"{lang}/{rel_stem}.html"


def stem_of(rel: str, lang: str) -> str:
    rel = rel.removeprefix(f"{lang}/") if lang != "fi" else rel
    return rel.removesuffix(".html")


def figures_of(stem: str, lang: str) -> str:
    prefix = "figures" if lang == "fi" else f"figures/{lang}"
    return f"{prefix}/{stem}"


# A file name longer than this (bytes) is shortened with a stable hash: most file systems
# allow 255, and the pipeline adds a suffix (.ipynb) and temporary-file decorations.
MAX_NAME_BYTES = 160


def _short_name(name: str) -> str:
    """``name`` itself, or its readable start plus a hash of the whole (stable across runs)."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    digest = sha256_bytes(name.encode("utf-8"))[:12]
    return name.encode("utf-8")[:MAX_NAME_BYTES - 14].decode("utf-8", "ignore").rstrip("-") + f"--{digest}"


_NORMAL_DEFAULTS: dict[tuple, dict] = {}


def _normal_defaults(notebook: Path, spec: NotebookSpec) -> dict:
    # Keyed on the data too: a default such as year=None normalises to the latest year of
    # the data folder in use, which a refresh (or ANALYSIS_DATA_DIR) changes.
    folder = data.data_dir()
    key = (notebook, folder, snapshot.fingerprint(folder))
    if key not in _NORMAL_DEFAULTS:
        defaults = {n: v for n, v in declared_parameters(notebook).items()
                    if n not in PIPELINE_PARAMS}
        try:
            _NORMAL_DEFAULTS[key] = spec.validate(defaults)
        except ParameterError:  # a default the checks refuse: compare raw values
            _NORMAL_DEFAULTS[key] = defaults
    return _NORMAL_DEFAULTS[key]


def _report_stem(notebook: Path, spec: NotebookSpec, normalised: dict) -> str:
    """Stable, readable name; parameters whose normalised value differs from the notebook's
    normalised default are spelled out (``analyses/size-classes--year-2010--bounds-20000-40000``),
    so equivalent spellings give one file. Too long a name is shortened with a hash."""
    stem = spec.path(normalised)
    defaults = _normal_defaults(notebook, spec)
    for name, value in normalised.items():
        if name in spec.identity or value == defaults.get(name):
            continue
        text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        stem += f"--{slug(name)}-{slug(text)}"
    folder, _, name = stem.rpartition("/")
    return f"{folder}/{_short_name(name)}" if folder else _short_name(name)


def check_langs(langs: Iterable[str]) -> list[str]:
    """Languages in the order given, each once; none at all is an error, not a silent no-op."""
    out = []
    for lang in langs:
        if isinstance(lang, str) and not lang.strip():
            continue  # "fi," or ""
        lang = check_lang(lang.strip() if isinstance(lang, str) else lang)
        if lang not in out:
            out.append(lang)
    if not out:
        raise ParameterError("--lang is empty; give fi, en, sv or e.g. fi,en")
    return out


def make_jobs(notebook, params: dict, langs: Iterable[str] = LANGS_DEFAULT,
              reason: str = "") -> list[Job]:
    """One job per language for one notebook and its parameters (validated here)."""
    path = notebook_path(notebook)
    langs = check_langs(langs)
    normalised = validate(path, params)
    spec = spec_for(path)
    stem = _report_stem(path, spec, normalised)
    return [Job(path, _plain(normalised), dict(params), lang, page_path(stem, lang), spec.group,
                reason) for lang in langs]


def _city_links(params: dict) -> list[tuple[str, dict]]:
    """The profile of a city of the default set (:func:`profile_cities`) links to the
    comparison of the city with its similar municipalities, rendered with it. Other
    profiles (``--all-municipalities``, on request) name the command instead: a comparison
    page costs about what a profile does, so one beside each of the 308 profiles would
    double the whole-country run (measured: README, Reports)."""
    from analysis.analyses import similar

    if params["city"] not in profile_cities():
        return []
    return [("compare", {"places": similar.group(params["city"])})]


LINKS: dict[str, Callable[[dict], list[tuple[str, dict]]]] = {"city_profile": _city_links}
"""Notebook -> the pages its report links to, as (notebook, normalised parameters) from its
normalised parameters: rendered with it (:func:`with_linked`), so that the links resolve."""


def _links(job: Job) -> list[tuple[str, dict]]:
    follow = LINKS.get(job.notebook.stem) if job.notebook.parent == paths.NOTEBOOKS_DIR else None
    return [(nb, p) for nb, p in (follow(job.params) if follow else [])
            if (paths.NOTEBOOKS_DIR / f"{nb}.ipynb").exists()]


def linked_href(from_notebook, from_params: dict, to_notebook) -> str | None:
    """The relative link from a report's page to the page of ``to_notebook`` it links to
    (:data:`LINKS`: rendered with it), or None when it links to none. Every language's
    pages are laid out alike, so the link is the same in each:
    ``linked_href("city_profile", {"city": "Pori"}, "compare")`` -> ``'../comparisons/….html'``."""
    import posixpath

    [job] = make_jobs(from_notebook, from_params, [LANGS_DEFAULT[0]])
    for notebook, params in _links(job):
        if notebook == to_notebook:
            target = make_jobs(notebook, params, [LANGS_DEFAULT[0]])[0].stem
            return posixpath.relpath(f"{target}.html", posixpath.dirname(job.stem) or ".")
    return None


def with_linked(jobs: list[Job]) -> list[Job]:
    """``jobs`` and, after them, the pages they link to (a city profile of the default set:
    the comparison with its similar municipalities; :data:`LINKS`), in the same languages,
    each page once: a rendered page's links then resolve."""
    out, seen = list(jobs), {job.rel for job in jobs}
    for job in jobs:
        for notebook, params in _links(job):
            for linked in make_jobs(notebook, params, [job.lang],
                                    reason=f"linked from {job.stem}"):
                if linked.rel not in seen:
                    seen.add(linked.rel)
                    out.append(linked)
    return out


def _plain(params: dict) -> dict:
    """JSON-able values (tuples as lists): what papermill writes into the notebook."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def default_jobs(langs: Iterable[str] = LANGS_DEFAULT, all_municipalities: bool = False,
                 svg: bool = False) -> list[Job]:
    """The default report set, from the data: the analyses with default parameters, one
    page per indicator of :data:`analysis.data.catalogue.INDICATORS`, one profile per
    partnership, one per municipality in a partnership or in the default size class
    (cities only), or per municipality with ``all_municipalities``, and the pages they link
    to (:func:`with_linked`). The profiles that ``all_municipalities`` adds write SVG files
    only with ``svg`` (the default set always does): a whole-country render spends a third
    of a profile's drawing on them."""
    from analysis.data.catalogue import INDICATORS

    langs = list(langs)
    jobs: list[Job] = []
    for stem in ("size_classes", "partnership_network"):
        if (paths.NOTEBOOKS_DIR / f"{stem}.ipynb").exists():
            jobs += make_jobs(stem, {}, langs, reason="analysis, default parameters")
    if (paths.NOTEBOOKS_DIR / "indicator.ipynb").exists():
        for name in INDICATORS:
            jobs += make_jobs("indicator", {"indicator": name}, langs,
                              reason="one page per indicator")
    for pid in data.partnerships()["partnership_id"]:
        jobs += make_jobs("partnership_profile", {"partnership": pid}, langs,
                          reason="one profile per partnership")
    for code, reason in profile_cities(all_municipalities).items():
        added = make_jobs("city_profile", {"city": _city_param(code)}, langs, reason=reason)
        if reason == ALL_MUNICIPALITIES:
            for job in added:
                job.svg = svg
        jobs += added
    return with_linked(jobs)


def _city_param(code: str) -> str:
    """The Finnish name when it resolves back to the same code (readable in the footer)."""
    from analysis.data.names import resolve

    name = data.municipalities().set_index("code").at[code, "name_fi"]
    try:
        return name if resolve(name).code == code else code
    except LookupError:
        return code


def profile_cities(all_municipalities: bool = False) -> dict[str, str]:
    """code -> why it gets a profile: member of which partnerships, in the default class
    (computed once per data snapshot and process: :func:`LINKS` asks it for every profile)."""
    return _profile_cities(bool(all_municipalities))


@memo.remembered
def _profile_cities(all_municipalities: bool) -> dict[str, str]:
    from analysis.analyses import sizeclass
    from analysis.present.i18n import fmt_int

    reasons: dict[str, list[str]] = {}
    members = data.memberships()
    for code, group in members.groupby("code"):
        reasons.setdefault(code, []).append("in " + ", ".join(sorted(group["partnership_id"])))
    lo, hi = sizeclass.MID_SIZE_BOUNDS
    in_class = sizeclass.members()
    year = data.population_years()[-1]
    for code in in_class["code"]:
        reasons.setdefault(code, []).append(
            f"city of {fmt_int(lo, 'en')}–{fmt_int(hi, 'en')} residents in {year}")
    if all_municipalities:
        for code in data.municipalities()["code"]:
            reasons.setdefault(code, [ALL_MUNICIPALITIES])
    return {code: "; ".join(r) for code, r in sorted(reasons.items())}
