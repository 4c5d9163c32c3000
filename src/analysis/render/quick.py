"""`analysis render` with nothing to do, answered without loading anything.

The full check loads and validates the data (pandas, pandera: most of a second before any
report is looked at) and keys every report on what it read. A run that leaves every
report of the default set up to date (nothing failed, nothing interrupted) records in the
manifest a fingerprint of everything those keys come from: the package source, the
notebooks, every byte of every data file, the commit, the data folder and the command's
options, taken when that run started. The next plain ``analysis render`` with the same
options computes the fingerprint first; when it matches, the manifest still records every
page as rendered and every page and the index are on disk, it prints the same summary and
stops. Anything else (one changed byte, a missing page, other options, ``--force``, a
single notebook) takes the full path, which is what decides what to render.

This module imports only the standard library (and :mod:`analysis.core.paths`), so that the
answer costs hashing, not imports.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis.core import paths
from analysis.core.files import digest_json, tree_digest, update_tree
from analysis.core.version import COMMIT_ENV, git_state  # noqa: F401 - kernels read COMMIT_ENV

FIELD = "nothing_changed"  # the manifest's record of the last run that left all up to date
MANIFEST = ".render-manifest.json"
LOCK = ".render-lock"


def package_digest() -> str:
    """Hash of the ``analysis`` package source (code, translations, templates)."""
    return tree_digest(paths.PACKAGE_DIR)


def options(output: Path, lang: str = "fi,en", with_code: bool = False, keep_ipynb: bool = False,
            all_municipalities: bool = False, svg: bool = False) -> dict:
    """The options of a default-set run that its fingerprint covers (one list, used by the
    command and by its tests): the output folder (resolved) and every option that changes
    what the default set renders."""
    return {"output": str(Path(output).resolve()), "lang": lang, "with_code": with_code,
            "keep_ipynb": keep_ipynb, "all_municipalities": all_municipalities, "svg": svg}


def fingerprint(options: dict, package: str | None = None, commit: str | None = None) -> str:
    """Everything a report's key comes from, for the default set run with ``options``;
    ``package`` and ``commit`` where the caller has them already (a render's Context)."""
    folder = paths.data_dir()
    digest = hashlib.sha256(digest_json({**options, "data_dir": str(folder)}).encode())
    digest.update((package or package_digest()).encode())
    digest.update((commit or git_state()).encode())
    update_tree(digest, paths.NOTEBOOKS_DIR, "*.ipynb")
    update_tree(digest, folder)
    return digest.hexdigest()


def record(manifest: dict, print_: str, rels: list[str]) -> None:
    """Note in ``manifest`` that the run fingerprinted ``print_`` left ``rels`` up to date."""
    manifest[FIELD] = {"fingerprint": print_, "reports": list(rels)}


def unchanged(output: Path, options: dict) -> list[str] | None:
    """The reports of the last run when nothing changed since it (see the module's text);
    None when the full check has to decide, and while another render holds the folder."""
    import fcntl

    try:
        with open(output / LOCK, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when closed
            return _unchanged(output, options)
    except OSError:  # busy (BlockingIOError), or no folder yet
        return None


def _unchanged(output: Path, options: dict) -> list[str] | None:
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        last = manifest[FIELD]
        rels, entries = list(last["reports"]), manifest["reports"]
        if not rels or not (output / "index.html").is_file():
            return None
        if any(not isinstance(entries.get(rel), dict) or entries[rel].get("status") != "ok"
               or not (output / rel).is_file() for rel in rels):
            return None
        if last["fingerprint"] != fingerprint(options):
            return None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None
    return rels


def summary_line(n: int, counts: dict[str, int], output: Path) -> str:
    """The last line of a run's summary: '70 reports: 70 unchanged; index: reports/index.html'."""
    text = ", ".join(f"{counts[s]} {s}" for s in ("rendered", "unchanged", "failed",
                                                  "interrupted") if counts.get(s))
    text = text or "nothing to render"
    return f"{n} reports: {text}; index: {output.name}/index.html"


def summary_row(status: str, seconds: float | None, rel: str) -> str:
    shown = f"{seconds:7.2f}" if seconds is not None else f"{'-':>7}"
    return f"{status:<11} {shown}  {rel}"


SUMMARY_HEADER = f"{'status':<11} {'seconds':>7}  report"


def summary(rels: list[str], output: Path) -> str:
    """What the full path prints when every report is unchanged."""
    return "\n".join([SUMMARY_HEADER, *(summary_row("unchanged", None, rel) for rel in rels),
                      summary_line(len(rels), {"unchanged": len(rels)}, output)])
