"""``reports/index.html`` (Finnish) and ``reports/en/index.html`` (English): every report
grouped (analyses, partnerships, cities, comparisons) with title, parameters, data vintage, render date,
status and links to both language versions.

Built from the render manifest *and the files present*, so it never links a page that is
not on disk (after Ctrl-C, a failure or a deleted file); relative links only and no script,
so the folder can be zipped, moved or opened from a file share over ``file://``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analysis.core.files import atomic_write
from analysis.core.langs import DEFAULT_LANG
from analysis.core.text import format_years
from analysis.data.provenance import load_datapackage, resource
from analysis.present import html
from analysis.present.i18n import t

GROUPS = ("analyses", "partnerships", "cities", "comparisons")


def _order(langs) -> list[str]:
    return sorted(langs, key=lambda lang: (lang != DEFAULT_LANG, lang))


def page_path(rel_stem: str, lang: str) -> str:
    """A page's path inside the folder: the default language at the top, others in a
    folder of their own (``en/cities/pori-609.html``)."""
    return f"{rel_stem}.html" if lang == DEFAULT_LANG else f"{lang}/{rel_stem}.html"


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


def page(output: Path, manifest: dict, lang: str, langs: list[str]) -> str:
    rows = _rows(output, manifest)
    up = "" if lang == DEFAULT_LANG else "../"
    groups = []
    for group in GROUPS:
        stems = sorted(s for s, by_lang in rows.items()
                       if next(iter(by_lang.values()))["group"] == group)
        if stems:
            groups.append({"name": group, "rows": [_row(rows[s], lang, langs, up) for s in stems]})
    other = [{"lang": other, "href": up + page_path("index", other)} for other in langs
             if other != lang]
    return html.render("index.html.j2", lang=lang, vintage=_data_vintage(lang),
                       generated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
                       other_langs=other, groups=groups)


def nav(rel: str, stem: str, lang: str, langs_present) -> str:
    """The links of a report page (at ``rel``) to the index and to its other languages."""
    up = "../" * rel.count("/")
    others = [{"lang": other, "href": up + page_path(stem, other)}
              for other in langs_present if other != lang]
    return html.render("nav.html.j2", lang=lang, index=up + page_path("index", lang),
                       others=others)


def write(output: Path, manifest: dict) -> list[Path]:
    """Write index.html (default language) and <lang>/index.html for every other language."""
    langs = _order({e["lang"] for e in manifest.get("reports", {}).values()} | {DEFAULT_LANG})
    written = []
    for lang in langs:
        target = output / page_path("index", lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, page(output, manifest, lang, langs))
        written.append(target)
    return written
