"""The floor of the report pipeline: the same notebooks' code, parameterised as the render
worker parameterises it, executed in one already-warm Python process with export (figure
and table files, the screen image) but no Jupyter kernel and no HTML page.

Display calls are collected, not formatted (no kernel, no HTML): the floor is what the
reports' own code costs. Used by ``benchmarks/render.py``; also runnable by itself:

    python benchmarks/floor.py [--limit N] [--profile out.prof] [--match city_profile]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

WARM = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "networkx", "geopandas",
        "analysis", "analysis.data", "xlsxwriter")
# The render worker's warm-up imports, in the package's layout of today and of before the
# layers became folders (so that `benchmarks/render.py --compare OLD` measures both).
WARM_ANALYSIS = {
    "layers": ("analysis.present.report", "analysis.present.style", "analysis.present.figures.maps",
               "analysis.analyses.profiles", "analysis.analyses.sizeclass",
               "analysis.analyses.network", "analysis.present.figures.sizeclass",
               "analysis.present.figures.network", "analysis.analyses.peers",
               "analysis.present.figures.peers", "analysis.analyses.indicators",
               "analysis.present.figures.indicators",
               "analysis.analyses.trends", "analysis.present.figures.trends",
               "analysis.present.text.trends"),
    "flat": ("analysis.report", "analysis.style", "analysis.plots.maps", "analysis.profiles",
             "analysis.sizeclass", "analysis.network", "analysis.plots.sizeclass",
             "analysis.plots.network", "analysis.peers", "analysis.plots.peers"),
}


def _module(layers: str, flat: str):
    import importlib

    try:
        return importlib.import_module(layers)
    except ImportError:
        return importlib.import_module(flat)


def warm_up() -> None:
    """What a render worker's kernel does once: imports and data loads. A module the code
    being measured does not have (an older revision's, with --compare) is skipped."""
    os.environ["MPLBACKEND"] = "Agg"
    import importlib

    for name in WARM:
        importlib.import_module(name)
    from importlib.util import find_spec

    layout = "layers" if find_spec("analysis.core") else "flat"
    for name in WARM_ANALYSIS[layout]:
        importlib.import_module(name)
    from analysis import data

    report = _module("analysis.present.report", "analysis.report")

    importlib.import_module("papermill.parameterize")  # reads the notebooks, not a report's work
    data.load()
    data.boundaries()
    report._display = lambda obj: None  # no kernel: nothing to publish to
    report.git_state = _cached(report.git_state)  # one git call per process, as in a kernel


def _cached(fn):
    value = []

    def wrapper(*args, **kwargs):
        if not value:
            value.append(fn(*args, **kwargs))
        return value[0]
    return wrapper


def code_of(job, export_dir: Path) -> list[str]:
    """The job's code cells, parameterised as the render worker does (magics dropped)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    params = {**job.params, "lang": job.lang, "export_dir": str(export_dir), "export_href": ""}
    nb = parameterize_notebook(load_notebook_node(str(job.notebook)), params,
                               kernel_name="python3", language="python")
    return ["\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
            for cell in nb.cells if cell.cell_type == "code"]


def run_one(job, export_dir: Path) -> float:
    import matplotlib.pyplot as plt
    import numpy as np

    readset = _module("analysis.data.readset", "analysis.readset")
    cells = code_of(job, export_dir)  # reading the notebook is not the report's code
    started = time.perf_counter()
    readset.start()
    random.seed(0)
    np.random.seed(0)
    namespace: dict = {"__name__": "__main__"}
    for source in cells:
        exec(compile(source, str(job.notebook), "exec"), namespace)
    plt.close("all")
    return time.perf_counter() - started


def run(jobs, workdir: Path) -> float:
    """Execute every job in this process; returns the seconds spent in the reports' code."""
    total = 0.0
    for i, job in enumerate(jobs):
        total += run_one(job, workdir / f"r{i}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--match", default="")
    parser.add_argument("--profile", default="")
    parser.add_argument("--all-municipalities", action="store_true")
    parser.add_argument("--shard", default="0/1", help="i/n: every n-th job from the i-th")
    parser.add_argument("--wait", action="store_true",
                        help="after warming up print 'ready' and wait for a line on stdin")
    args = parser.parse_args()
    from analysis import render

    warm_up()
    jobs = [j for j in render.default_jobs(all_municipalities=args.all_municipalities)
            if args.match in j.rel]
    i, n = map(int, args.shard.split("/"))
    jobs = jobs[i::n]
    if args.limit:
        jobs = jobs[:args.limit]
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
        if args.wait:
            print("ready", flush=True)
            sys.stdin.readline()
        if args.profile:
            import cProfile

            cProfile.runctx("run(jobs, Path(tmp))", globals(), locals(), args.profile)
            return
        started, cpu = time.perf_counter(), time.process_time()
        seconds = run(jobs, Path(tmp))
        # reports, seconds in their code, wall seconds, CPU seconds of this process (the
        # last is what to compare on a machine shared with other work)
        print(f"{len(jobs)} {seconds:.3f} {time.perf_counter() - started:.3f} "
              f"{time.process_time() - cpu:.3f}", flush=True)


if __name__ == "__main__":
    main()
