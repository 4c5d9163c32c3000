"""The output folder: its lock, the check that it can be written, and the tidy-up after an
interrupted run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from analysis.core.errors import ParameterError
from analysis.core.files import FolderBusy, FolderLock, lock  # noqa: F401 - FolderBusy re-exported
from analysis.render import quick
from analysis.render.jobs import figures_of, stem_of

STAGING = "_staging"
FAILED = "_failed"


LOCK = quick.LOCK


def lock_folder(output: Path, wait: bool = False) -> FolderLock:
    """An exclusive lock on the output folder for this run (released by the OS even on
    SIGKILL). A second render into the same folder exits with one line, or waits."""
    return lock(output, LOCK, "analysis render", wait)


def check_output(output: Path) -> Path:
    """The output folder, created; one-line ParameterError when it is a file or not writable."""
    output = Path(output).resolve()
    for parent in [output, *output.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(f"--output {output}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ParameterError(f"--output {output}: {parent} is not writable")
            break
    return output


def recover(output: Path, manifest: dict) -> list[str]:
    """Make the folder consistent after an interrupted run (called under the lock): drop
    staging and temporary files, and remove pages no manifest entry records (a worker
    killed between writing a page and the parent recording it); they render again."""
    shutil.rmtree(output / STAGING, ignore_errors=True)
    removed = []
    for tmp in list(output.rglob(".*.tmp")) + [p for p in output.rglob(".*.old-*") if p.is_dir()]:
        shutil.rmtree(tmp, ignore_errors=True) if tmp.is_dir() else tmp.unlink(missing_ok=True)
    recorded = set(manifest["reports"])
    for page in output.rglob("*.html"):
        rel = page.relative_to(output).as_posix()
        first = rel.split("/")[1] if rel.count("/") >= 2 else rel.split("/")[0]
        if first in ("analyses", "partnerships", "cities") and rel not in recorded:
            page.unlink()
            removed.append(rel)
    return removed


def remove_report(output: Path, rel: str, lang: str) -> None:
    for path in (output / rel, (output / rel).with_suffix(".ipynb"),
                 output / FAILED / Path(rel).with_suffix(".ipynb")):
        path.unlink(missing_ok=True)
    shutil.rmtree(output / figures_of(stem_of(rel, lang), lang), ignore_errors=True)
