"""The output folder: its lock, the check that it can be written, which files in it are the
tool's, and the tidy-up after an interrupted run.

The promise: ``analysis render`` writes, replaces and removes only files it wrote itself:
pages it recorded in the manifest or that carry its generator mark, their files folders,
its temporary files, ``_staging/``, ``_failed/``, the index pages, the manifest and the
lock. A reader's own files in the folder are never touched; a page path taken by such a
file fails that report with a message instead of overwriting it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import AnalysisError, ParameterError
from analysis.core.files import FolderBusy, FolderLock, lock  # noqa: F401 - FolderBusy re-exported
from analysis.render import quick
from analysis.render.jobs import figures_of, page_path, stem_of

STAGING = "_staging"
FAILED = "_failed"


LOCK = quick.LOCK


def lock_folder(output: Path, wait: bool = False, waiting=None) -> FolderLock:
    """An exclusive lock on the output folder for this run (released by the OS even on
    SIGKILL). A second render into the same folder exits with one line, or waits (and
    says so through ``waiting``)."""
    return lock(output, LOCK, "analysis render", wait, waiting)


def _project_folders() -> dict[str, Path]:
    """The folders reports must never be written into: what the tool reads its reports
    from (a page in data/raw/ stops every build; in data/ it joins the snapshot)."""
    folders = {"the notebooks folder": paths.NOTEBOOKS_DIR, "the analysis package": paths.PACKAGE_DIR}
    with contextlib.suppress(AnalysisError):  # no data folder: the data checks say so
        folders["the data folder"] = paths.data_dir()
    return {what: folder.resolve() for what, folder in folders.items()}


def check_output(output: Path) -> Path:
    """The output folder, created; one-line ParameterError when it is a file or not
    writable, or lies in the data, notebooks or package folder."""
    output = Path(output).resolve()
    for what, folder in _project_folders().items():
        if output == folder or folder in output.parents:
            raise ParameterError(f"--output {output} is inside {what} ({folder}); choose a "
                                 "folder of its own, e.g. --output reports")
    for parent in [output, *output.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(f"--output {output}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ParameterError(f"--output {output}: {parent} is not writable")
            break
    return output


GENERATOR = "analysis render"  # the content of the pages' <meta name="generator">
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")  # core.files.temporary_name
_OLD_FILES = re.compile(r"^\..+\.old-[0-9a-f]{8}$")   # worker.publish's folder set aside


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name"):
            self.found[attrs["name"]] = attrs.get("content") or ""


def page_meta(page: Path) -> dict[str, str]:
    """The ``<meta name=… content=…>`` pairs in the head of an HTML page ({} if unreadable)."""
    try:
        with open(page, "rb") as handle:
            head = handle.read(32768).decode("utf-8", "replace")
    except OSError:
        return {}
    parser = _Meta()
    parser.feed(head.split("</head>")[0])
    return parser.found


def written_by_tool(page: Path) -> bool:
    """True when ``page`` is an HTML page this tool wrote (its head names the generator)."""
    return page_meta(page).get("generator") == GENERATOR


def recover(output: Path, manifest: dict) -> list[str]:
    """Tidy what an interrupted run left (called under the lock): the staging folder and
    the tool's own temporary files and set-aside folders. Nothing else is touched: pages
    (a worker may have been killed between writing a page and the manifest recording it:
    such a page is complete and simply renders again) and every file the tool did not
    write stay. Returns what was removed."""
    removed = []
    if (output / STAGING).exists():
        shutil.rmtree(output / STAGING, ignore_errors=True)
        removed.append(STAGING)
    for path in output.rglob(".*"):
        if path.is_file() and _TEMPORARY.match(path.name):
            path.unlink(missing_ok=True)
        elif path.is_dir() and _OLD_FILES.match(path.name):
            shutil.rmtree(path, ignore_errors=True)
        else:
            continue
        removed.append(path.relative_to(output).as_posix())
    return removed


def owner_problem(output: Path, rel: str, figures: str, recorded: bool) -> str | None:
    """Why the report at ``rel`` may not be written (None when it may): its page or its
    files folder is a file the tool did not write (not recorded in the manifest and
    without the tool's generator mark), which is never overwritten."""
    page = output / rel
    if page.exists() and not recorded and not written_by_tool(page):
        return (f"{rel} exists and was not written by analysis render; it is left as it is "
                "(move it away to render this report)")
    folder = output / figures
    if folder.exists() and not folder.is_dir():
        return f"{figures} is a file where the report's files folder goes; move it away"
    if folder.is_dir() and any(folder.iterdir()) and not recorded and not (
            page.exists() and written_by_tool(page)):
        return (f"{figures} holds files analysis render did not write; they are left as they "
                "are (move them away to render this report)")
    return None


def check_targets(output: Path, rels: list[str]) -> None:
    """Every folder a page or its files go into must be a folder (or not exist yet) that
    can be written, and the tool's own files (manifest, index pages) files: a file where
    ``en/`` should be, ``en/`` on a read-only mount or a folder named like the manifest is
    one line before any kernel, not a failure after every report has run."""
    from analysis.core.langs import DEFAULT_LANG, LANGS

    seen: set[Path] = set()
    langs = {DEFAULT_LANG} | {rel.split("/")[0] for rel in rels if rel.split("/")[0] in LANGS}
    own = [quick.MANIFEST, *(page_path("index", lang) for lang in sorted(langs))]
    for rel in [*rels, *own]:
        for parent in (output / rel).parents:
            if parent == output or output not in parent.parents or parent in seen:
                break
            seen.add(parent)
            if parent.exists() and not parent.is_dir():
                raise ParameterError(f"{parent} is a file where analysis render needs a "
                                     "folder; move it away or choose another --output")
            if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
                raise ParameterError(f"{parent} cannot be written (read-only or not yours); "
                                     "analysis render writes its pages there")
    for rel in own:
        if (output / rel).is_dir():
            raise ParameterError(f"{output / rel} is a folder where analysis render keeps "
                                 "its own file; move it away or choose another --output")


def remove_report(output: Path, rel: str, lang: str) -> None:
    for path in (output / rel, (output / rel).with_suffix(".ipynb"),
                 output / FAILED / Path(rel).with_suffix(".ipynb")):
        path.unlink(missing_ok=True)
    shutil.rmtree(output / figures_of(stem_of(rel, lang), lang), ignore_errors=True)
