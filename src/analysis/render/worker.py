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

import atexit
import contextlib
import gc
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

from analysis.core.files import atomic_write, temporary_name
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
                "analysis.analyses.trends", "analysis.analyses.similar",
                "analysis.analyses.compare", "analysis.present.figures.maps",
                "analysis.present.figures.sizeclass", "analysis.present.figures.network",
                "analysis.present.figures.peers", "analysis.present.figures.trends",
                "analysis.present.figures.compare",
                "analysis.present.text.city_profile", "analysis.present.text.partnership_profile",
                "analysis.present.text.peers", "analysis.present.text.size_classes",
                "analysis.present.text.network", "analysis.present.text.trends",
                "analysis.present.text.similar", "analysis.present.text.compare",
                "analysis.present.exports", "xlsxwriter",
                "analysis.analyses.indicators", "analysis.present.figures.indicators",
                "analysis.present.text.indicator", "analysis.render.jobs"):
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
# Run before each report: the warmed-up state back (not for a kernel's first report) and
# the report's own options (kernel_prepare).
PREPARE = ("from analysis.render import worker as _render_worker\n"
           "_render_worker.kernel_prepare(reset={reset}, svg={svg})")


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


def kernel_prepare(reset: bool = True, svg: bool = True) -> None:
    """Before a report (runs inside the kernel): the warmed-up state back (:func:`kernel_reset`,
    which also puts the environment back), then the report's own options for
    :class:`analysis.present.report.Report`."""
    from analysis.present.report import SVG_ENV

    if reset:
        kernel_reset()
    os.environ[SVG_ENV] = "1" if svg else "0"


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
class WorkerStartError(RuntimeError):
    """The worker's kernel could not be started and warmed up."""


class Worker:
    """One warm kernel and the steps to render a report on it."""

    def __init__(self, output_dir: Path, env: dict[str, str] | None = None):
        self.output_dir = Path(output_dir)
        self.env = {**os.environ, **(env or {}), "MPLBACKEND": INLINE_BACKEND,
                    "PYTHONHASHSEED": HASH_SEED}
        self.km = self.kc = None
        self.fresh = False
        self._exporters: dict = {}
        self._sockets: str | None = None

    # -- kernel life ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the kernel and warm it up; :class:`WorkerStartError` (one line) when it
        cannot (a kernel killed while importing, a broken data file)."""
        import nbformat
        from jupyter_client.manager import AsyncKernelManager

        # IPC sockets in a private folder: the kernel talks only to this process, and
        # ipykernel's warning about unencrypted TCP does not apply.
        self._sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                     ip=os.path.join(self._sockets, "kernel"))
        self.kc = None
        self.output_dir.mkdir(parents=True, exist_ok=True)
        warm = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
        client = self._client(warm)
        try:
            client.execute(cwd=str(self.output_dir), env=self.env)
        except Exception as exc:  # noqa: BLE001 - every way a warm-up can fail
            # nbclient leaves an exit hook behind when the kernel dies while starting, which
            # would print a traceback when this process ends; the kernel is ours to stop.
            atexit.unregister(client._cleanup_kernel)
            self.stop()
            raise WorkerStartError(f"the report kernel could not start: "
                                   f"{_last_line(exc)}") from None
        self.kc = client.kc
        self.fresh = True

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None:
            with contextlib.suppress(Exception):  # best effort: the kernel may be gone
                if self.kc is not None:
                    self.kc.stop_channels()
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = self.kc = None
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None

    def restart(self) -> None:
        """A fresh kernel after a failure; if it cannot start, the next report tries again."""
        self.stop()
        with contextlib.suppress(WorkerStartError):
            self.start()

    def _client(self, nb):
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, timeout=CELL_TIMEOUT, kernel_name="python3",
                                allow_errors=False, record_timing=False)
        client.kc = self.kc  # None the first time: nbclient starts the kernel and a client
        return client

    def reset(self, svg: bool = True) -> None:
        """The warmed-up state back (a fresh kernel is in it) and the report's options."""
        import nbformat

        code = PREPARE.format(reset=not self.fresh, svg=bool(svg))
        self.fresh = False
        self._client(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])).execute()

    def reads(self) -> list:
        """The read set of the report just executed (from the kernel, one JSON line)."""

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
            self.reset(job.get("svg", True))
            self._client(nb).execute()
            result["reads"] = self.reads()
        except WorkerStartError as exc:
            result.update(status="failed", error=str(exc))
        except CellExecutionError as exc:
            result.update(status="failed", error=_last_line(exc))
        except DeadKernelError as exc:
            result.update(status="failed", error=f"kernel died: {_last_line(exc)}")
            self.restart()
        except Exception as exc:  # noqa: BLE001 - a timeout or a broken notebook fails one report
            result.update(status="failed", error=f"{type(exc).__name__}: {_last_line(exc)}")
            self.restart()
        staging = out / staging_rel
        failed = out / FAILED / rel.with_suffix(".ipynb")
        if result["status"] == "ok":
            title = report_title(nb) or rel.stem
            resources = {"metadata": {"name": title}, "report_nav": job.get("nav", ""),
                         "report_identity": json.dumps(job.get("identity", {}),
                                                       ensure_ascii=False, sort_keys=True),
                         "report_cite": _cite(job, title, result["reads"])}
            html, _ = self.exporter(job.get("with_code", False), job["lang"]).from_notebook_node(
                nb, resources=resources)
            try:
                publish(out / rel, html, staging, out / figures_rel)
            except OSError as exc:  # a full disk: the previous page and its files stay
                result.update(status="failed", error=f"{exc.strerror or exc}: cannot write "
                                                     f"{job['rel']}; the previous version is kept")
            else:
                if job.get("keep_ipynb"):
                    atomic_write((out / rel).with_suffix(".ipynb"), nbformat.writes(nb))
                remove_empty(failed, out / FAILED)  # an earlier failure is history now
                result["title"] = title
        if result["status"] != "ok":
            shutil.rmtree(staging, ignore_errors=True)
            try:
                failed.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(failed, nbformat.writes(nb))
                result["failed_notebook"] = failed.relative_to(out).as_posix()
            except OSError:  # no room even for the executed notebook: say so, keep going
                result["failed_notebook"] = None
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result


def _cite(job: dict, title: str, reads: list) -> str:
    """The page's "how to cite" block: its title, the data it read with their vintages, its
    address within the site and today's date (the footer's date)."""
    import datetime as dt

    from analysis.data.readset import tables_read
    from analysis.present import cite

    return cite.block(job["lang"], title=title, address=job["rel"],
                      rendered=dt.date.today().isoformat(), tables=tables_read(reads))


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


def publish(page: Path, html: str, staging: Path, figures: Path) -> None:
    """Put a report's page and its files in place as one unit: the new page is written in
    full first (a temporary file beside it), then the new files folder replaces the old one,
    then the page is renamed over the old page; if the page cannot be written (a full disk)
    nothing is replaced, and if the rename fails the old files folder comes back. A reader
    sees the old page with its old files or the new page with its new files, never a mix."""
    page.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(page)
    try:
        tmp.write_text(html, encoding="utf-8")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    figures.parent.mkdir(parents=True, exist_ok=True)
    if not staging.exists():
        staging.mkdir(parents=True)
    old = figures.with_name(f".{figures.name}.old-{uuid.uuid4().hex[:8]}")
    had = figures.exists()
    try:
        if had:
            os.replace(figures, old)
        os.replace(staging, figures)
        os.replace(tmp, page)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if had and old.exists():
            if figures.exists():
                shutil.rmtree(figures, ignore_errors=True)
            os.replace(old, figures)
        raise
    if had:
        shutil.rmtree(old, ignore_errors=True)


def remove_empty(path: Path, stop: Path) -> None:
    """Remove the file ``path`` (if any) and then each parent folder left empty, up to and
    including ``stop``."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder == stop or stop in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
        folder = folder.parent

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
    util.Finalize(_WORKER, _WORKER.stop, exitpriority=10)
    # A kernel that cannot start is not an exception here (multiprocessing would print its
    # traceback and break the pool): the first report tries again and fails with one line.
    with contextlib.suppress(WorkerStartError):
        _WORKER.start()


def run_job(job: dict) -> dict:
    assert _WORKER is not None, "init_process was not called"
    return _WORKER.render(job)
