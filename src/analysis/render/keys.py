"""Cache keys: everything a report's HTML depends on, so that an unchanged report is
skipped and a changed one is named with what changed.

A key covers the notebook, the normalised parameters (the notebook's defaults included),
the language and the languages the page links to, the package source (templates
included), the commit the footer shows and ``--with-code``. The data part is the report's
read set (:mod:`analysis.data.readset`): each item noted while the report ran, hashed here
(:class:`Digests`) and compared at the next run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from analysis.core.files import MISSING, digest_json, file_digest, sha256_bytes
from analysis.core.paths import DATAPACKAGE_FILE, TABLE_FILES, data_dir
from analysis.data import readset, snapshot
from analysis.render.jobs import Job
from analysis.render.quick import git_state, package_digest


@dataclass
class Context:
    """What every key of one run shares, computed once."""

    package: str
    commit: str  # as the footer shows it
    digests: Digests
    with_code: bool = False

    @classmethod
    def now(cls, with_code: bool = False, data_dir=None) -> Context:
        return cls(package_digest(), git_state(), Digests(data_dir), with_code)


def base_key(job: Job, ctx: Context, langs: list[str]) -> str:
    """Everything but the data: notebook, normalised parameters (its defaults included),
    language, the languages linked from the page, package source (templates included), the
    commit shown in the footer, code shown or not. The data part is the read set."""
    parts = {"notebook": file_digest(job.notebook), "params": job.params, "lang": job.lang,
             "langs": sorted(langs), "package": ctx.package, "commit": ctx.commit,
             "with_code": ctx.with_code, "svg": job.svg}
    return digest_json(parts)


def what_changed(entry: dict, ctx: Context) -> list[str]:
    """Why a rendered report is no longer up to date ([] when it is)."""
    changed = []
    notebook = Path(entry.get("notebook_path", ""))
    if not notebook.is_file():
        changed.append("notebook removed")
    elif file_digest(notebook) != entry.get("notebook_digest"):
        changed.append("notebook")
    if entry.get("package") != ctx.package:
        changed.append("analysis package")
    if entry.get("commit") != ctx.commit:
        changed.append("commit")
    for item, digest in entry.get("reads") or []:
        try:
            now = ctx.digests.digest(item)
        except Exception:  # noqa: BLE001 - unreadable data counts as changed
            now = "?"
        if now != digest:
            changed.append(readset.label(item))
    return changed


def _package_digest(path) -> str:
    """What a report reads from datapackage.json is provenance (sources, years, periods),
    not the checksums of tables whose rows are keyed on their own: leave those out, so that
    a changed row re-renders only the reports that read it."""
    if not path.exists():
        return MISSING
    package = json.loads(path.read_text(encoding="utf-8"))
    for item in package.get("resources", []):
        item.pop("hash", None), item.pop("bytes", None)
    return digest_json(package)


class Digests:
    """Hashes of noted reads against one data folder, each computed once (main process)."""

    def __init__(self, directory=None):
        self.folder = data_dir(directory)
        self._directory = directory
        self._snap = None
        self._done: dict[str, str] = {}

    @property
    def snap(self):
        if self._snap is None:
            self._snap = snapshot.load(self._directory)
        return self._snap

    @staticmethod
    def _frame(frame) -> str:
        import pandas as pd

        digest = hashlib.sha256("|".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        return digest.hexdigest()

    def digest(self, item: list) -> str:
        key = json.dumps(item)
        if key not in self._done:
            kind, name = item[0], item[1]
            if kind == "file" and name == DATAPACKAGE_FILE:
                value = _package_digest(self.folder / name)
            elif kind == "file":
                value = file_digest(self.folder / name)
            elif name == "*":  # data.load(): every table
                value = sha256_bytes("".join(self.digest(["table", t])
                                             for t in sorted(TABLE_FILES)).encode())
            elif not hasattr(self.snap, name):
                value = MISSING  # a table this snapshot no longer has: changed
            else:
                frame = getattr(self.snap, name)
                if kind == "table":
                    value = self._frame(frame)
                elif kind == "column":
                    value = self._frame(frame[[item[2]]].drop_duplicates().sort_values(item[2]))
                elif kind == "rows":
                    picked = frame[frame[item[2]].isin(item[3])]
                    value = self._frame(picked.sort_values(list(picked.columns)))
                else:
                    value = MISSING
            self._done[key] = value
        return self._done[key]
