"""Benchmark of the report pipeline (issue 8), in one run on one machine:

(a) the naive way: for each report, the ``papermill`` command, then ``jupyter nbconvert
    --to html`` (serial); by default on a sample of the default set (``--naive-sample``),
    since every report costs the same start-up;
(b) ``analysis render --force`` of the whole default set;
(c) ``analysis render`` again, nothing changed;
(d) ``analysis render`` after one city's population for a past year changed in a copy of
    the data (``ANALYSIS_DATA_DIR``): how many reports re-render and how long it takes.

    python benchmarks/render.py [--naive-sample 8] [--jobs N] [--city 609 --year 2010]

Prints seconds per report for (a) and (b), their ratio, and (c) and (d).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths, render

BIN = Path(sys.executable).parent


def _run(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - started
    if result.returncode not in (0,):
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}")
    return seconds, result.stdout


def _counts(stdout: str) -> dict[str, int]:
    last = stdout.strip().splitlines()[-1]
    return {status: int(n) for n, status in re.findall(r"(\d+) (rendered|unchanged|failed)", last)}


def naive(jobs: list[render.Job], workdir: Path) -> float:
    """Serial papermill CLI + nbconvert CLI for each job; returns total seconds."""
    total = 0.0
    for i, job in enumerate(jobs):
        out = workdir / f"report-{i}.ipynb"
        args = [str(BIN / "papermill"), str(job.notebook), str(out), "--cwd", str(workdir),
                "-p", "lang", job.lang, "-p", "export_dir", f"figures-{i}"]
        for name, value in job.params.items():
            args += ["-p", name, str(value)]
        seconds, _ = _run(args)
        seconds2, _ = _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)])
        total += seconds + seconds2
        print(f"  (a) {job.rel:<45} {seconds + seconds2:6.2f} s", flush=True)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive-sample", type=int, default=8,
                        help="reports in (a); 0 = the whole default set (slow)")
    parser.add_argument("--jobs", type=int, default=None, help="workers for (b)-(d)")
    parser.add_argument("--city", default="609", help="city whose population changes in (d)")
    parser.add_argument("--year", type=int, default=2010, help="the year changed in (d)")
    args = parser.parse_args()

    jobs = render.default_jobs()
    # Spread over the set (analyses, partnerships, cities) and both languages.
    n = len(jobs) if args.naive_sample <= 0 else min(args.naive_sample, len(jobs))
    sample = jobs if n == len(jobs) else [
        jobs[min(len(jobs) - 1, i * len(jobs) // n + i % 2)] for i in range(n)]
    jobs_arg = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "naive").mkdir()
        print(f"(a) naive papermill + nbconvert CLI, {len(sample)} of {len(jobs)} reports")
        a_total = naive(sample, tmp / "naive")

        out = tmp / "reports"
        cmd = [str(BIN / "analysis"), "render", "--output", str(out), *jobs_arg]
        print(f"(b) analysis render --force, {len(jobs)} reports")
        b_total, b_out = _run(cmd + ["--force"])
        print("(c) analysis render, nothing changed")
        c_total, c_out = _run(cmd)

        data = tmp / "data"
        shutil.copytree(paths.DATA_DIR, data)
        csv = data / "population.csv"
        text = csv.read_text(encoding="utf-8")
        match = re.search(rf"^{args.city},{args.year},(\d+)$", text, flags=re.M)
        if not match:
            sys.exit(f"no population row for {args.city} in {args.year}")
        old = match.group(0)
        csv.write_text(text.replace(old, f"{args.city},{args.year},{int(match.group(1)) + 1}"),
                       encoding="utf-8")
        from analysis import provenance

        provenance.reseal(data)  # an edit on purpose: record the new checksum
        print(f"(d) analysis render after {args.city}'s {args.year} population changed by +1")
        d_total, d_out = _run(cmd, env={**os.environ, "ANALYSIS_DATA_DIR": str(data)})
        d_rendered = [line.split()[-1] for line in d_out.splitlines()
                      if line.startswith("rendered")]

    a_per = a_total / len(sample)
    b_per = b_total / len(jobs)
    b_counts, c_counts, d_counts = _counts(b_out), _counts(c_out), _counts(d_out)
    print()
    print(f"{'step':<58} {'reports':>8} {'seconds':>9} {'s/report':>9}")
    print(f"{'(a) papermill CLI + nbconvert CLI, serial' + (' (SAMPLED)' if sample is not jobs else ''):<58}"
          f" {len(sample):>8} {a_total:>9.1f} {a_per:>9.2f}")
    print(f"{'(b) analysis render --force (warm kernels, ' + str(args.jobs or os.cpu_count()) + ' workers)':<58}"
          f" {b_counts.get('rendered', 0):>8} {b_total:>9.1f} {b_per:>9.2f}")
    print(f"{'(c) analysis render, nothing changed':<58} {c_counts.get('unchanged', 0):>8} "
          f"{c_total:>9.1f} {'':>9}")
    print(f"{'(d) analysis render after one population figure changed':<58} "
          f"{d_counts.get('rendered', 0):>8} {d_total:>9.1f} {'':>9}")
    print()
    print(f"(b) is {a_per / b_per:.1f}x faster per report than (a)"
          + (f"; (a) was measured on a sample of {len(sample)} of the {len(jobs)} reports "
             "(every report pays the same start-up)" if sample is not jobs else ""))
    print(f"(d) re-rendered {d_counts.get('rendered', 0)} of {len(jobs)}: {', '.join(d_rendered)}")


if __name__ == "__main__":
    main()
