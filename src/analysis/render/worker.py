"""One render worker: a process that owns one warm Jupyter kernel and turns parameterised
notebooks into HTML reports, one after the other.

Why warm kernels: starting a kernel and importing pandas, matplotlib, seaborn, networkx and
geopandas costs seconds, the analysis of one report a fraction of that. A worker starts its
kernel once, imports the libraries and loads the data there (:data:`WARM_UP`), and between
reports puts the kernel back into its warmed-up state (:func:`kernel_reset`): user
namespace, open figures, matplotlib rcParams, warning filters, working directory,
environment, ``sys.path``, pandas options and random seeds.

The kernel gets the inline matplotlib backend and a fixed ``PYTHONHASHSEED`` whatever the
caller's environment says (CI exports ``MPLBACKEND=Agg``, under which figures silently
vanish from the output; set iteration order changes layouts between processes).

Output is written atomically: HTML to a temporary file in the same folder, then
``os.replace``; the report's figure/table files are written by the notebook into a staging
folder and swapped in only when the report succeeded. A failing report leaves its previous
HTML and files untouched and its executed notebook under ``_failed/``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import shutil
import signal
import sys
import time
import uuid
import warnings
from pathlib import Path

from analysis.core.files import atomic_write
from analysis.render.folder import FAILED, STAGING

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
HASH_SEED = "0"
CELL_TIMEOUT = 600  # seconds; a report is a few seconds of work

# Run once in each new kernel: the imports and data loads every report would otherwise pay.
WARM_UP = """
import numpy, pandas, matplotlib, matplotlib.pyplot, seaborn, networkx, geopandas
import analysis, analysis.data, analysis.present.report, analysis.present.style
for _module in ("analysis.analyses.profiles", "analysis.analyses.sizeclass",
                "analysis.analyses.claims", "analysis.analyses.network",
                "analysis.analyses.peers", "analysis.analyses.params",
                "analysis.analyses.similar", "analysis.analyses.compare",
                "analysis.present.figures.maps", "analysis.present.figures.sizeclass",
                "analysis.present.figures.network", "analysis.present.figures.peers",
                "analysis.present.figures.compare",
                "analysis.present.text.city_profile", "analysis.present.text.partnership_profile",
                "analysis.present.text.peers", "analysis.present.text.size_classes",
                "analysis.present.text.network", "analysis.present.text.similar",
                "analysis.present.text.compare", "analysis.present.exports",
                "analysis.render.jobs"):
    __import__(_module)
analysis.data.load(); analysis.data.boundaries()
from analysis.render import worker as _render_worker
_render_worker.die_with_parent()
_render_worker.kernel_snapshot()
"""
# Run after each report: what it read (analysis.data.readset), printed as one JSON line.
COLLECT = ("import json as _json\nfrom analysis.data import readset as _readset\n"
           "print(_json.dumps(_readset.collected()))")


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies, whatever killed the parent
    (SIGKILL included, which no handler sees): a render worker when the ``analysis render``
    process dies, a kernel when its worker dies. Called in the child itself, which is
    how prctl(PR_SET_PDEATHSIG) works; a parent that died before the call is caught by
    comparing the parent's pid."""
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's shutdown still stops us
        return
    if os.getppid() != parent:
        os._exit(1)
RESET = "from analysis.render import worker as _render_worker\n_render_worker.kernel_reset()"


# ---------------------------------------------------------------- inside the kernel
_SNAPSHOT: dict = {}
# Set by the inline backend itself; restoring them from a snapshot switches figures off.
_RC_KEEP = ("backend", "interactive")


def kernel_snapshot() -> None:
    """Remember the warmed-up state of this kernel (runs inside the kernel)."""
    import matplotlib as mpl
    import pandas as pd  # noqa: F401  (imported so its options exist)

    from analysis.data import readset

    readset.start()  # the warm-up's reads belong to no report
    # The warm-up's objects (modules, data, the map) live as long as the kernel: moved out
    # of the collector's reach, so the full collection `%reset` does between reports (and
    # the automatic ones during a report) scan only what the report made.
    gc.collect()
    gc.freeze()
    _SNAPSHOT.update(
        rc={k: v for k, v in mpl.rcParams.items() if k not in _RC_KEEP},
        filters=list(warnings.filters),
        cwd=os.getcwd(),
        environ=dict(os.environ),
        path=list(sys.path),
    )


def kernel_reset() -> None:
    """Put the kernel back into its warmed-up state (runs inside the kernel, between reports)."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    from analysis.data import readset

    get_ipython().run_line_magic("reset", "-f")
    readset.start()
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated rc keys warn when set
        mpl.rcParams.update(_SNAPSHOT["rc"])
        pd.reset_option("all")
    warnings.filters[:] = _SNAPSHOT["filters"]
    os.chdir(_SNAPSHOT["cwd"])
    os.environ.clear()
    os.environ.update(_SNAPSHOT["environ"])
    sys.path[:] = _SNAPSHOT["path"]
    random.seed(0)
    np.random.seed(0)


# ---------------------------------------------------------------- the worker process
class Worker:
    """One warm kernel and the steps to render a report on it."""

    def __init__(self, output_dir: Path, env: dict[str, str] | None = None):
        self.output_dir = Path(output_dir)
        self.env = {**os.environ, **(env or {}), "MPLBACKEND": INLINE_BACKEND,
                    "PYTHONHASHSEED": HASH_SEED}
        self.km = self.kc = None
        self.fresh = False
        self._exporters: dict = {}

    # -- kernel life ---------------------------------------------------------------------
    def start(self) -> None:
        import nbformat
        from jupyter_client.manager import AsyncKernelManager

        self.km = AsyncKernelManager(kernel_name="python3")
        self.kc = None
        self.output_dir.mkdir(parents=True, exist_ok=True)
        warm = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
        client = self._client(warm)
        client.execute(cwd=str(self.output_dir), env=self.env)
        self.kc = client.kc
        self.fresh = True

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
        self.km = self.kc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def _client(self, nb):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, timeout=CELL_TIMEOUT, kernel_name="python3",
                                allow_errors=False, record_timing=False)
        client.kc = self.kc  # None the first time: nbclient starts the kernel and a client
        return client

    def reset(self) -> None:
        import nbformat

        if self.fresh:
            self.fresh = False
            return
        self._client(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESET)])).execute()

    def reads(self) -> list:
        """The read set of the report just executed (from the kernel, one JSON line)."""
        import json

        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(COLLECT)])
        self._client(nb).execute()
        text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
        return json.loads(text.strip().splitlines()[-1])

    # -- one report ----------------------------------------------------------------------
    def exporter(self, with_code: bool, lang: str):
        key = (with_code, lang)
        if key not in self._exporters:
            from nbconvert import HTMLExporter

            exporter = HTMLExporter(template_name="offline",
                                    extra_template_basedirs=[str(Path(__file__).with_name(
                                        "templates"))])
            exporter.exclude_input = not with_code
            exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
            # The one Markdown cell (what the report is, its parameters) is for JupyterLab
            # readers, in English; the report's own words are its outputs, in its language.
            exporter.exclude_markdown = True
            exporter.embed_images = True
            exporter.language_code = lang
            self._exporters[key] = exporter
        return self._exporters[key]

    def render(self, job: dict) -> dict:
        """Execute and export one report; never raises for a report's own failure."""
        import nbformat
        from nbclient.exceptions import CellExecutionError, DeadKernelError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        started = time.perf_counter()
        out = self.output_dir
        rel = Path(job["rel"])  # e.g. en/cities/pori-609.html
        figures_rel = Path(job["figures"])  # e.g. figures/en/cities/pori-609
        staging_rel = Path(STAGING) / uuid.uuid4().hex
        href = os.path.relpath(figures_rel, rel.parent).replace(os.sep, "/")
        params = {**job["params"], "lang": job["lang"], "export_dir": staging_rel.as_posix(),
                  "export_href": href}
        result = {"rel": job["rel"], "status": "ok", "error": None}
        nb = nbformat.v4.new_notebook()
        try:
            # papermill's reader adds the cell metadata (tags) its parameterisation expects.
            nb = parameterize_notebook(load_notebook_node(job["notebook"]), params,
                                       kernel_name="python3", language="python")
            if self.km is None:
                self.start()
            self.reset()
            self._client(nb).execute()
            result["reads"] = self.reads()
        except CellExecutionError as exc:
            result.update(status="failed", error=_last_line(exc))
        except DeadKernelError as exc:
            result.update(status="failed", error=f"kernel died: {_last_line(exc)}")
            self.restart()
        except Exception as exc:  # noqa: BLE001 - a timeout or a broken notebook fails one report
            result.update(status="failed", error=f"{type(exc).__name__}: {_last_line(exc)}")
            self.restart()
        staging = out / staging_rel
        if result["status"] != "ok":
            failed = out / FAILED / rel.with_suffix(".ipynb")
            failed.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(failed, nbformat.writes(nb))
            result["failed_notebook"] = failed.relative_to(out).as_posix()
            shutil.rmtree(staging, ignore_errors=True)
        else:
            title = report_title(nb) or rel.stem
            resources = {"metadata": {"name": title}, "report_nav": job.get("nav", "")}
            html, _ = self.exporter(job.get("with_code", False), job["lang"]).from_notebook_node(
                nb, resources=resources)
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _swap_dir(staging, out / figures_rel)
            atomic_write(target, html)
            if job.get("keep_ipynb"):
                atomic_write(target.with_suffix(".ipynb"), nbformat.writes(nb))
            stale = out / FAILED / rel.with_suffix(".ipynb")
            stale.unlink(missing_ok=True)
            result["title"] = title
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result


def report_title(nb) -> str | None:
    """The first level-1 Markdown heading the notebook displayed (``rep.md("# …")``)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                for line in str(text).splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
    return None


def _last_line(exc: BaseException) -> str:
    """The line a reader needs: e.g. ``ParameterError: unknown municipality 'Porri' …``."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}".strip().splitlines()[-1] if evalue else ename
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _swap_dir(new: Path, target: Path) -> None:
    """Replace the folder ``target`` by ``new`` (two renames; the old one is removed after)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not new.exists():
        new.mkdir(parents=True)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- process pool glue
_WORKER: Worker | None = None


def init_process(output_dir: str, env: dict[str, str]) -> None:
    """ProcessPoolExecutor initializer: one warm kernel per worker process."""
    global _WORKER
    from multiprocessing import util

    # Ctrl-C is handled by the parent, which lets running reports finish their atomic
    # writes. A terminal sends Ctrl-C to its whole foreground process group, and nbclient
    # installs its own SIGINT handler while executing, so ignoring SIGINT is not enough:
    # the worker leaves the terminal's group (its own session) and dies with its parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.setsid()
    die_with_parent()
    _WORKER = Worker(Path(output_dir), env)
    _WORKER.start()
    util.Finalize(_WORKER, _WORKER.stop, exitpriority=10)


def run_job(job: dict) -> dict:
    assert _WORKER is not None, "init_process was not called"
    return _WORKER.render(job)
