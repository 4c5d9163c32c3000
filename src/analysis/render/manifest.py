"""The manifest of an output folder (``.render-manifest.json``): one entry per report
rendered into it (its key, read set, status, title, dates), and each entry's status
computed afresh at every run (up to date, stale naming what changed, failed, or no longer
in the default set)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from analysis import data
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.core.files import atomic_write
from analysis.render import index, quick
from analysis.render.folder import page_meta, remove_report
from analysis.render.jobs import LANGS_DEFAULT, Job, default_jobs, make_jobs, page_path
from analysis.render.keys import Context, what_changed
from analysis.render.notebooks import spec_for

MANIFEST = quick.MANIFEST


def _empty_manifest() -> dict:
    return {"version": 2, "reports": {}}


_ENTRY_FIELDS = {"status": str, "lang": str, "stem": str, "group": str}


def _inside(rel: str, entry: dict) -> bool:
    """True when the entry's page and files folder are where the tool puts a report's: a
    relative path inside the folder, ``<stem>.html`` (``<lang>/<stem>.html`` for a language
    other than the default), never ``..`` nor an absolute path. A manifest edited by hand
    or by another tool must not make ``--prune`` delete a file outside the folder."""
    from analysis.core.langs import LANGS

    stem, lang = entry["stem"], entry["lang"]
    parts = Path(stem).parts
    return (lang in LANGS and rel == page_path(stem, lang) and bool(parts)
            and not Path(stem).is_absolute() and "\\" not in stem
            and not any(part in ("..", ".") for part in stem.split("/")))


def read_manifest(output: Path, warn: Callable[[str], None] | None = None) -> dict:
    """The manifest, or an empty one (with a warning) when it cannot be read or has the wrong
    shape: a damaged manifest costs a re-render, never a crash. Entries of the wrong shape,
    with a name the file system cannot hold or pointing outside the folder are dropped one
    by one."""
    path = output / MANIFEST
    if not path.exists():
        return _empty_manifest()
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("reports"), dict):
            raise ValueError("not a manifest")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        if warn:
            warn(f"warning: {path} could not be read ({type(exc).__name__}); rebuilding it: "
                 "every report will render again")
        return _empty_manifest()
    good = {}
    for rel, entry in manifest["reports"].items():
        if (isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in _ENTRY_FIELDS.items())
                and all(len(part.encode()) <= 255 for part in Path(rel).parts)
                and _inside(rel, entry)):
            good[rel] = entry
        elif warn:
            warn(f"warning: {path}: dropped the unreadable entry {rel[:80]!r}")
    manifest["reports"] = good
    return manifest


def rebuild_entries(output: Path, manifest: dict) -> list[str]:
    """Record again the tool's pages the manifest does not hold (it was deleted, damaged, or
    the run that wrote them was killed before recording them): each page names its report
    (:attr:`analysis.render.jobs.Job.identity`). They are marked stale, so the index shows
    them and ``--stale`` renders them afresh; pages are never removed for want of a record."""
    added = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel in manifest["reports"] or rel.split("/")[0].startswith(("_", ".")):
            continue
        meta = page_meta(page)
        try:
            identity = json.loads(meta["analysis-report"]) if meta.get("generator") else None
        except (KeyError, ValueError):
            identity = None
        if (not isinstance(identity, dict) or identity.get("rel") != rel
                or not all(isinstance(identity.get(k), str) for k in ("lang", "stem", "group"))
                or not _inside(rel, identity)):
            continue  # not a page of this tool (or moved): left alone
        name = str(identity.get("notebook", ""))
        notebook = Path(name) if "/" in name else paths.NOTEBOOKS_DIR / f"{name}.ipynb"
        manifest["reports"][rel] = {
            "status": "ok", "rebuilt": True, "key": None, "lang": identity["lang"],
            "stem": identity["stem"], "group": identity["group"], "notebook": notebook.stem,
            "notebook_path": str(notebook), "params": identity.get("params", {}),
            "given": identity.get("given", {}), "title": _title(page), "reads": None,
            "rendered": dt.datetime.fromtimestamp(page.stat().st_mtime).astimezone()
            .isoformat(timespec="seconds")}
        added.append(rel)
    return added


def _title(page: Path) -> str | None:
    with open(page, "rb") as handle:
        found = re.search(rb"<title>([^<]*)</title>", handle.read(16384))
    return html.unescape(found.group(1).decode("utf-8", "replace")) if found else None


def write_manifest(output: Path, manifest: dict) -> None:
    atomic_write(output / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False,
                                                sort_keys=True, default=str))


def vintage(job: Job) -> dict[str, str]:
    """Data years each report shows, from datapackage.json (for the index)."""
    from analysis.core.text import format_years
    from analysis.data.provenance import resource

    out = {}
    year = job.normalised.get("year")
    for table in ("population", "jobs"):
        years = resource(table).get("years", [])
        if table == "population" and year and spec_for(job.notebook).group != "analyses":
            years = [y for y in years if y <= int(year)]
        out[table] = format_years(years)
    return out


STATUSES = ("ok", "stale", "failed", "extra")  # extra: was in the default set, is no more


def entry_status(rel: str, entry: dict, ctx: Context, default_rels: set[str] | None) -> tuple[str, str]:
    """(status, detail) of one manifest entry, computed afresh from the data on disk."""
    if entry.get("status") == "failed":
        return "failed", entry.get("error") or ""
    if entry.get("rebuilt"):
        return "stale", "its record was lost: recorded again from the page"
    changed = what_changed(entry, ctx)
    if changed:
        return "stale", ", ".join(changed)
    # A report rendered on request (Pori in 2010) was never in the default set: it is not
    # "no longer" in it. Only what the default set once held and dropped is extra.
    if default_rels is not None and entry.get("in_default") and rel not in default_rels:
        return "extra", ""
    return "ok", ""


def refresh_statuses(manifest: dict, ctx: Context, default_rels: set[str] | None) -> None:
    """Write each entry's current status into the manifest (the index shows it)."""
    for rel, entry in manifest["reports"].items():
        if default_rels is not None and rel in default_rels:
            entry["in_default"] = True
        entry["state"], entry["state_detail"] = entry_status(rel, entry, ctx, default_rels)


def default_rels(all_municipalities: bool = False) -> set[str] | None:
    """The default set's files (None when the data cannot say: no 'extra' status then)."""
    try:
        return {job.rel for job in default_jobs(LANGS_DEFAULT, all_municipalities)}
    except (ParameterError, LookupError, data.DataValidationError, OSError):
        return None


def stale_jobs(output: Path, ctx: Context | None = None) -> list[Job]:
    """Jobs for exactly the reports in ``output`` whose inputs changed (``--stale``)."""
    ctx = ctx or Context.now()
    jobs = []
    manifest = read_manifest(output)
    rebuild_entries(output, manifest)  # pages whose record was lost are stale too
    for entry in manifest["reports"].values():
        if entry.get("status") == "failed" or not what_changed(entry, ctx):
            continue
        notebook = Path(entry.get("notebook_path", ""))
        if not notebook.is_file():
            continue  # nothing to render it from: --prune removes it
        # as the user gave them (the index shows these); they normalise to the same file
        [job] = make_jobs(notebook, entry.get("given", entry.get("params")) or {}, [entry["lang"]],
                          reason=entry.get("reason", ""))
        job.svg = entry.get("svg", True)  # as it was rendered (--all-municipalities: no SVG)
        jobs.append(job)
    return jobs


def prune(output: Path, default_set: set[str],
          warn: Callable[[str], None] | None = None) -> list[str]:
    """Remove every report the default set held once and holds no more (HTML, figures,
    executed notebooks, manifest entry). Reports rendered on request stay."""
    manifest = read_manifest(output)
    removed = []
    for rel in sorted(set(manifest["reports"])):
        entry = manifest["reports"][rel]
        if not entry.get("in_default") or rel in default_set:
            continue
        del manifest["reports"][rel]
        remove_report(output, rel, entry["lang"])
        removed.append(rel)
    manifest.pop(quick.FIELD, None)  # the next run checks in full
    write_manifest(output, manifest)
    index.write(output, manifest, warn)
    return removed
