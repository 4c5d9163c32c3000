"""``reports/index.html`` (Finnish) and ``reports/en/index.html`` (English): every report
grouped (analyses, partnerships, cities) with title, parameters, data vintage, render date,
status and links to both language versions.

Built from the render manifest *and the files present*, so it never links a page that is
not on disk (after Ctrl-C, a failure or a deleted file); relative links only and no script,
so the folder can be zipped, moved or opened from a file share over ``file://``.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from .i18n import t

GROUPS = ("analyses", "partnerships", "cities")

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 64rem;
       margin: 0 auto; padding: 1.5rem 1rem 3rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e3e3;
         vertical-align: top; }
th { background: #f3f3f3; } code { font-size: 12px; }
.meta { color: #555; font-size: 14px; } .failed { color: #b00020; font-weight: bold; }
.ok { color: #1b6e20; } .stale { color: #8a5a00; font-weight: bold; } .extra { color: #555; } .langs a { margin-right: 0.6rem; }
"""


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
    from .i18n import format_years
    from .provenance import load_datapackage, resource

    package = load_datapackage()
    return t("index.vintage", lang, division=package.get("municipal_division", ""),
             population=format_years(resource("population").get("years", [])),
             jobs=format_years(resource("jobs").get("years", [])))


def _params(entry: dict) -> str:
    shown = entry.get("given", entry.get("params")) or {}
    return ", ".join(f"<code>{html.escape(k)}={html.escape(repr(v))}</code>"
                     for k, v in shown.items()) or "–"


def page(output: Path, manifest: dict, lang: str, langs: list[str]) -> str:
    rows = _rows(output, manifest)
    up = "" if lang == "fi" else "../"
    other = [f'<a href="{up}{"index.html" if l == "fi" else l + "/index.html"}" hreflang="{l}">'
             f'{t("index.in_language", l)}</a>' for l in langs if l != lang]
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f'<title>{t("index.title", lang)}</title><style>{CSS}</style></head><body>',
             f'<h1>{t("index.title", lang)}</h1>',
             f'<p class="meta">{t("index.intro", lang)}</p>',
             f'<p class="meta">{html.escape(_data_vintage(lang))}</p>',
             f'<p class="meta">{t("index.generated", lang)}: '
             f'{dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")}'
             + (f' · {" · ".join(other)}' if other else "") + "</p>"]
    for group in GROUPS:
        stems = sorted(s for s, by_lang in rows.items()
                       if next(iter(by_lang.values()))["group"] == group)
        if not stems:
            continue
        parts.append(f'<h2>{t("index.group." + group, lang)} ({len(stems)})</h2><table><thead><tr>'
                     + "".join(f"<th>{t('index.col.' + c, lang)}</th>" for c in
                               ("title", "parameters", "data", "rendered", "status", "versions"))
                     + "</tr></thead><tbody>")
        for stem in stems:
            parts.append(_row(rows[stem], lang, langs, up))
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _row(by_lang: dict[str, dict], lang: str, langs: list[str], up: str) -> str:
    main = by_lang.get(lang) or next(iter(by_lang.values()))
    title = main.get("title") or main["stem"]
    if main["present"]:
        title_html = f'<a href="{html.escape(up + main["rel"])}">{html.escape(title)}</a>'
    else:
        title_html = html.escape(title)
    vintage = main.get("vintage") or {}
    data_text = "; ".join(f"{t('index.table.' + k, lang)} {v}" for k, v in vintage.items() if v)
    rendered = (main.get("rendered") or "–")[:16].replace("T", " ")
    statuses = []
    for l, entry in sorted(by_lang.items(), key=lambda kv: (kv[0] != "fi", kv[0])):
        # "state" is computed afresh at every run (render.refresh_statuses): whether the
        # page still matches its notebook, parameters, package, commit and the data it read.
        state = entry.get("state") or ("failed" if entry.get("status") == "failed" else "ok")
        if state == "failed":
            note = t("index.failed_kept", lang) if entry["present"] else t("index.failed", lang)
            error = html.escape(entry.get("error") or "")
            statuses.append(f'<span class="failed" title="{error}">{l}: {note}</span>'
                            f'<br><small>{error}</small>')
        elif state == "stale":
            detail = html.escape(entry.get("state_detail") or "")
            statuses.append(f'<span class="stale">{l}: {t("index.stale", lang)} {detail}</span>')
        elif state == "extra":
            statuses.append(f'<span class="extra">{l}: {t("index.extra", lang)}</span>')
        else:
            statuses.append(f'<span class="ok">{l}: {t("index.ok", lang)}</span>')
    links = []
    for l in langs:
        entry = by_lang.get(l)
        if entry and entry["present"]:
            links.append(f'<a href="{html.escape(up + entry["rel"])}" hreflang="{l}">{l}</a>')
    return (f"<tr><td>{title_html}</td><td>{_params(main)}</td><td>{html.escape(data_text)}</td>"
            f"<td>{rendered}</td><td>{'<br>'.join(statuses)}</td>"
            f'<td class="langs">{"".join(links) or "–"}</td></tr>')


def write(output: Path, manifest: dict) -> list[Path]:
    """Write index.html (fi) and <lang>/index.html for every other language present."""
    from .render_worker import _atomic_write

    langs = sorted({e["lang"] for e in manifest.get("reports", {}).values()} | {"fi"},
                   key=lambda l: (l != "fi", l))
    written = []
    for lang in langs:
        target = output / ("index.html" if lang == "fi" else f"{lang}/index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, page(output, manifest, lang, langs))
        written.append(target)
    return written
