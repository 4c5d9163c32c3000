"""The site's own pages, in every language rendered: the front page for readers
(``index.html``, ``en/index.html``, ``sv/index.html``: every page grouped by kind, a search
box over names in Finnish, Swedish and English, codes, partnerships and indicators, and how
to cite the site) and the build status for maintainers (``status.html`` …: parameters, data
years, render date and status per language of every report).

Built from the render manifest *and the files present*, so they never link a page that is
not on disk (after Ctrl-C, a failure or a deleted file); relative links only, no script
from anywhere (the search is a few lines inline, and without JavaScript every page is
listed), so the folder can be zipped, moved or opened from a file share over ``file://``.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import re
from collections.abc import Callable
from pathlib import Path

from analysis.core.errors import AnalysisError
from analysis.core.files import atomic_write
from analysis.core.langs import DEFAULT_LANG
from analysis.core.paths import TABLE_FILES
from analysis.core.text import format_years
from analysis.data.provenance import load_datapackage, resource
from analysis.present import cite, html
from analysis.present.i18n import t
from analysis.render.jobs import page_path

GROUPS = ("analyses", "indicators", "partnerships", "cities", "comparisons")
FRONT, STATUS = "index", "status"


def _order(langs) -> list[str]:
    return sorted(langs, key=lambda lang: (lang != DEFAULT_LANG, lang))


def _rows(output: Path, manifest: dict) -> dict[str, dict[str, dict]]:
    """stem -> lang -> manifest entry, only for reports with a page on disk or a failure."""
    rows: dict[str, dict[str, dict]] = {}
    for rel, entry in manifest.get("reports", {}).items():
        present = (output / rel).exists()
        if not present and entry.get("status") != "failed":
            continue
        rows.setdefault(entry["stem"], {})[entry["lang"]] = {**entry, "rel": rel,
                                                             "present": present}
    return rows


def _data_vintage(lang: str) -> str:
    package = load_datapackage()
    return t("index.vintage", lang, division=package.get("municipal_division", ""),
             population=format_years(resource("population").get("years", [])),
             jobs=format_years(resource("jobs").get("years", [])))


def _now() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


def _other_langs(page: str, lang: str, langs: list[str], up: str) -> list[dict]:
    return [{"lang": other, "href": up + page_path(page, other)} for other in langs
            if other != lang]


def _cite(lang: str, page: str, title: str, generated: str) -> str:
    return cite.block(lang, title=title, address=page_path(page, lang), rendered=generated,
                      tables=sorted(TABLE_FILES))


# ------------------------------------------------------------------ the status page
def _row(by_lang: dict[str, dict], lang: str, langs: list[str], up: str) -> dict:
    main = by_lang.get(lang) or next(iter(by_lang.values()))
    vintage = main.get("vintage") or {}
    statuses = []
    for other in _order(by_lang):
        entry = by_lang[other]
        # "state" is computed afresh at every run (render.manifest.refresh_statuses): whether
        # the page still matches its notebook, parameters, package, commit and data read.
        state = entry.get("state") or ("failed" if entry.get("status") == "failed" else "ok")
        statuses.append({"lang": other, "state": state, "present": entry["present"],
                         "error": entry.get("error") or "",
                         "detail": entry.get("state_detail") or ""})
    shown = main.get("given", main.get("params")) or {}
    return {
        "title": main.get("title") or main["stem"],
        "href": up + main["rel"] if main["present"] else None,
        "params": [(k, repr(v)) for k, v in shown.items()],
        "data": "; ".join(f"{t('index.table.' + k, lang)} {v}" for k, v in vintage.items() if v),
        "rendered": (main.get("rendered") or "–")[:16].replace("T", " "),
        "statuses": statuses,
        "links": [{"lang": other, "href": up + by_lang[other]["rel"]} for other in langs
                  if other in by_lang and by_lang[other]["present"]],
    }


def _group_of(by_lang: dict[str, dict]) -> str:
    return next(iter(by_lang.values()))["group"]


def status_page(output: Path, manifest: dict, lang: str, langs: list[str]) -> str:
    """Every report with its parameters, data years, render date and status per language."""
    rows = _rows(output, manifest)
    up = "" if lang == DEFAULT_LANG else "../"
    groups = []
    for group in _groups(rows):
        stems = sorted(s for s, by_lang in rows.items() if _group_of(by_lang) == group)
        groups.append({"name": group, "rows": [_row(rows[s], lang, langs, up) for s in stems]})
    generated = _now()
    return html.render("status.html.j2", lang=lang, vintage=_data_vintage(lang),
                       generated=generated, groups=groups,
                       other_langs=_other_langs(STATUS, lang, langs, up),
                       front=up + page_path(FRONT, lang),
                       cite=_cite(lang, STATUS, t("status.title", lang), generated))


def _groups(rows: dict) -> list[str]:
    """The known groups in order, then any other (a notebook without a spec)."""
    present = {_group_of(by_lang) for by_lang in rows.values()}
    return [g for g in GROUPS if g in present] + sorted(present - set(GROUPS))


# ------------------------------------------------------------------ the front page
def search_terms(entries: dict[str, dict]) -> list[str]:
    """What a reader may type for a page, besides its titles: for a municipality its names
    in Finnish, Swedish and English, its code, its region and its partnerships; for a
    partnership its id and names; for an indicator its id and names in every language; for a
    comparison each place's code and names."""
    from analysis import data
    from analysis.core.langs import LANGS

    entry = next(iter(entries.values()))
    params = entry.get("params") or {}
    terms: list[str] = []
    if entry["group"] == "cities" and params.get("city"):
        munis = data.municipalities().set_index("code")
        code = params["city"]
        if code in munis.index:
            row = munis.loc[code]
            terms += [code] + [str(row[f"{kind}_{lg}"]) for kind in ("name", "region")
                               for lg in LANGS]
            ms = data.memberships()
            for pid in ms.loc[ms["code"] == code, "partnership_id"]:
                terms += _partnership_terms(pid)
    elif entry["group"] == "partnerships" and params.get("partnership"):
        terms += _partnership_terms(params["partnership"])
    elif entry["group"] == "comparisons" and params.get("places"):
        munis = data.municipalities().set_index("code")
        for code in params["places"]:
            if code in munis.index:
                terms += [code] + [str(munis.at[code, f"name_{lg}"]) for lg in LANGS]
    elif entry["group"] == "indicators" and params.get("indicator"):
        terms += [params["indicator"]] + [t(f"indicator.name.{params['indicator']}", lg)
                                          for lg in LANGS]
    return terms


def _partnership_terms(pid: str) -> list[str]:
    from analysis import data
    from analysis.core.langs import LANGS

    parts = data.partnerships().set_index("partnership_id")
    if pid not in parts.index:
        return [pid]
    return [pid] + [str(parts.at[pid, f"{form}_{lg}"]) for form in ("name", "short", "abbr")
                    for lg in LANGS]


def _entry(by_lang: dict[str, dict], lang: str, langs: list[str], up: str) -> dict | None:
    """One page of the front page: its title and link in ``lang`` where that version is on
    disk (else in another language), links to its other versions, and its search text."""
    present = {lg: e for lg, e in by_lang.items() if e["present"]}
    if not present:
        return None
    shown = lang if lang in present else _order(present)[0]
    main = present[shown]
    titles = [e.get("title") or e["stem"] for e in present.values()]
    try:
        terms = search_terms(by_lang)
    except (AnalysisError, LookupError, ValueError, OSError):  # unreadable data: titles only
        terms = []
    return {"title": main.get("title") or main["stem"], "href": up + main["rel"], "lang": shown,
            "others": [{"lang": lg, "href": up + present[lg]["rel"]} for lg in langs
                       if lg in present and lg != shown],
            "search": " ".join(dict.fromkeys([*titles, *terms]))}


def front_page(output: Path, manifest: dict, lang: str, langs: list[str]) -> str:
    """The readers' front page in ``lang``: the pages on disk grouped by kind, searchable."""
    rows = _rows(output, manifest)
    up = "" if lang == DEFAULT_LANG else "../"
    groups = []
    for group in _groups(rows):
        entries = [_entry(rows[s], lang, langs, up) for s in rows if _group_of(rows[s]) == group]
        entries = sorted((e for e in entries if e), key=lambda e: e["title"].casefold())
        if entries:
            groups.append({"name": group, "entries": entries})
    generated = _now()
    return html.render("front.html.j2", lang=lang, vintage=_data_vintage(lang),
                       generated=generated, groups=groups,
                       other_langs=_other_langs(FRONT, lang, langs, up),
                       status=up + page_path(STATUS, lang),
                       cite=_cite(lang, FRONT, t("front.title", lang), generated))


def nav(rel: str, stem: str, lang: str, langs_present) -> str:
    """The links of a report page (at ``rel``) to the front page and to its other languages."""
    up = "../" * rel.count("/")
    others = [{"lang": other, "href": up + page_path(stem, other)}
              for other in langs_present if other != lang]
    return html.render("nav.html.j2", lang=lang, index=up + page_path(FRONT, lang),
                       others=others)


def is_ours(target: Path) -> bool:
    """True when the site page at ``target`` may be (re)written: there is none yet, it
    carries the tool's generator mark, or it is the index of an earlier version (no mark
    then, but its title is the index's own). A page of the user's own is never replaced."""
    from analysis.core.langs import LANGS
    from analysis.render.folder import written_by_tool  # folder imports no index

    if not target.exists() or written_by_tool(target):
        return True
    try:
        with open(target, "rb") as handle:
            found = re.search(rb"<title>([^<]*)</title>", handle.read(16384))
    except OSError:
        return False
    title = html_text.unescape(found.group(1).decode("utf-8", "replace")).strip() if found else ""
    return title in {t(key, lang) for key in ("index.title", "front.title") for lang in LANGS}


def write(output: Path, manifest: dict,
          warn: Callable[[str], None] | None = None) -> list[Path]:
    """Write the front page and the status page in the default language (top of the
    folder) and in every other language of the manifest (``<lang>/``). A page of the
    user's own at either place is left as it is (``warn`` says so)."""
    langs = _order({e["lang"] for e in manifest.get("reports", {}).values()} | {DEFAULT_LANG})
    written = []
    for lang in langs:
        for page, make in ((FRONT, front_page), (STATUS, status_page)):
            target = output / page_path(page, lang)
            if not is_ours(target):
                if warn:
                    warn(f"warning: {target} was not written by analysis render; it is left "
                         "as it is and the site's page is not written there")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, make(output, manifest, lang, langs))
            written.append(target)
    return written
