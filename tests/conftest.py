"""Fixtures the whole suite shares. The tests are arranged by layer, as the package is:
``core``-level checks and the package's structure in ``project/``, then ``data/``,
``ingest/``, ``analyses/``, ``present/``, ``notebooks/`` (each report notebook executed),
``render/``, ``site/`` (the rendered site in headless Chromium) and ``faults/`` (bad input
and faults tried as a demanding user would). Tests that execute a notebook, render or
drive a browser are marked ``slow``: ``make test-fast`` leaves them out."""

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# Figures must render to images in notebooks even when CI exports MPLBACKEND=Agg globally;
# the library code itself never depends on the backend.
os.environ.setdefault("MPLBACKEND", "Agg")

from analysis.core import paths  # noqa: E402

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    """A writable copy of the committed snapshot, for corrupting."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns("curated", "raw"))
    return target


@dataclass
class Executed:
    """A notebook run under papermill: the executed notebook and what it showed."""

    nb: dict
    export: Path | None

    @property
    def outputs(self) -> list[dict]:
        return [o for cell in self.nb["cells"] if cell["cell_type"] == "code"
                for o in cell.get("outputs", [])]

    @property
    def texts(self) -> list[str]:
        """Every Markdown, HTML and plain-text output, and printed text, in order."""
        out = []
        for o in self.outputs:
            data = o.get("data", {})
            out += ["".join(data[m]) for m in ("text/markdown", "text/html", "text/plain")
                    if m in data]
            if "text" in o:
                out.append("".join(o["text"]))
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def images(self) -> int:
        return sum("image/png" in o.get("data", {}) for o in self.outputs)

    @property
    def errors(self) -> list[dict]:
        return [o for o in self.outputs if o.get("output_type") == "error"]


@pytest.fixture
def run_notebook(tmp_path):
    """Execute ``notebooks/<name>.ipynb`` with papermill and return :class:`Executed`.

    ``export=True`` gives the notebook an export folder (``tmp_path/figures``) as
    ``analysis render`` does; papermill's own errors (a failing cell) propagate."""
    import papermill as pm

    def run(name: str, export: bool = False, **parameters) -> Executed:
        out = tmp_path / f"{name}.out.ipynb"
        folder = tmp_path / "figures" if export else None
        if folder is not None:
            parameters = {**parameters, "export_dir": str(folder), "export_href": "figures"}
        pm.execute_notebook(str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"), str(out),
                            parameters=parameters, kernel_name="python3", cwd=str(tmp_path),
                            progress_bar=False)
        return Executed(json.loads(out.read_text(encoding="utf-8")), folder)

    return run
