"""Benchmark of the report pipeline (issues 8 and 15), in one run on one machine:

(a) the naive way: for each report, the ``papermill`` command, then ``jupyter nbconvert
    --to html`` (serial); by default on a sample of the default set (``--naive-sample``),
    since every report costs the same start-up;
(b) ``analysis render --force`` of the whole default set;
(f) the floor: the same notebooks' code, parameterised the same way, executed in already
    warm Python processes (one per worker of (b), the jobs dealt out round-robin) with
    the figure and table export but no Jupyter kernel and no HTML (``benchmarks/floor.py``);
    (b) per report divided by (f) per report is how close the pipeline is to the floor;
(c) ``analysis render`` again, nothing changed;
(d) ``analysis render`` after one city's population for a past year changed in a copy of
    the data (``ANALYSIS_DATA_DIR``): how many reports re-render and how long it takes;
(e) with ``--all-municipalities``: ``analysis render --all-municipalities --force`` (fi and
    en, minutes) and the peak memory of its whole process tree (RSS of the process and all
    its descendants, sampled every 0.2 s from /proc).

With ``--compare REV``, (b) and (f) are also measured for the code of git revision ``REV``
(``git archive`` of its src/, notebooks/ and data/ into a temporary folder, put first on
PYTHONPATH; ``--compare-current-data`` runs it on today's data instead), in the same run,
for a before/after on the same machine at the same time. ``--compare-path DIR`` puts DIR before
that code on its PYTHONPATH: libraries as they were before (e.g. ``pip install --target DIR
matplotlib==3.11.2`` for a change that pins a library), so the "before" is the old code on
its old libraries.

    python benchmarks/render.py [--naive-sample 8] [--jobs N] [--city 609 --year 2010]
                                [--all-municipalities] [--compare REV]
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

from analysis import render
from analysis.core import paths

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


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants (from /proc; shared pages are
    counted in each process, so this is an upper bound)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except OSError:
            pass
        todo += children.get(pid, [])
    return total


def _run_with_peak(cmd: list[str], env: dict | None = None) -> tuple[float, str, int]:
    """Run ``cmd``; seconds, stdout and the peak RSS of its process tree (every 0.2 s)."""
    import threading

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    done.set()
    thread.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out[-1500:]}\n{err[-1500:]}")
    return seconds, out, peak[0]


def floor(n_procs: int, env: dict | None = None, cwd: Path | None = None) -> tuple[int, float]:
    """(f): ``n_procs`` warm processes run the default set's code (``benchmarks/floor.py``),
    started together once all have warmed up; returns (reports, wall seconds)."""
    procs = [subprocess.Popen([sys.executable, str(Path(__file__).with_name("floor.py")),
                               "--shard", f"{i}/{n_procs}", "--wait"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env=env, cwd=cwd)
             for i in range(n_procs)]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            sys.exit("floor: a process failed to warm up")
    started = time.perf_counter()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    n = 0
    for proc in procs:
        line = proc.stdout.readline().split()
        if proc.wait() != 0 or not line:
            sys.exit("floor: a process failed")
        n += int(line[0])
    return n, time.perf_counter() - started


def _old_tree(rev: str, tmp: Path, libraries: str = "", own_data: bool = True) -> dict:
    """The environment that runs the code of ``rev``: its src/ and notebooks/ from git
    archive, first on PYTHONPATH (after ``libraries``, if given), and its own data/ (the
    code of a revision reads the tables of its time; ``own_data=False``: the current data)."""
    root = tmp / "old"
    root.mkdir()
    parts = ["src", "notebooks"] + (["data"] if own_data else [])
    archive = subprocess.run(["git", "archive", rev, *parts], cwd=paths.PROJECT_ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    if not own_data:
        (root / "data").symlink_to(paths.DATA_DIR)
    path = os.pathsep.join(p for p in (libraries, str(root / "src")) if p)
    return {**os.environ, "PYTHONPATH": path, "ANALYSIS_PROJECT_ROOT": str(root),
            "ANALYSIS_DATA_DIR": str(root / "data")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive-sample", type=int, default=8,
                        help="reports in (a); 0 = the whole default set (slow)")
    parser.add_argument("--jobs", type=int, default=None, help="workers for (b)-(f)")
    parser.add_argument("--city", default="609", help="city whose population changes in (d)")
    parser.add_argument("--year", type=int, default=2010, help="the year changed in (d)")
    parser.add_argument("--all-municipalities", action="store_true",
                        help="also (e): --all-municipalities --force, fi and en (minutes)")
    parser.add_argument("--compare", metavar="REV", default="",
                        help="also measure (b) and (f) for the code of git revision REV")
    parser.add_argument("--compare-path", metavar="DIR", default="",
                        help="with --compare: libraries for the old code, first on its PYTHONPATH")
    parser.add_argument("--compare-current-data", action="store_true",
                        help="with --compare: run the old code on the current data (default: "
                        "on the data of its own revision)")
    args = parser.parse_args()

    jobs = render.default_jobs()
    workers = args.jobs or render.max_workers()
    # Spread over the set (analyses, partnerships, cities) and both languages.
    n = len(jobs) if args.naive_sample <= 0 else min(args.naive_sample, len(jobs))
    sample = jobs if n == len(jobs) else [
        jobs[min(len(jobs) - 1, i * len(jobs) // n + i % 2)] for i in range(n)]
    jobs_arg = ["--jobs", str(workers)]
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="render-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "naive").mkdir()
        print(f"(a) naive papermill + nbconvert CLI, {len(sample)} of {len(jobs)} reports", flush=True)
        a_total = naive(sample, tmp / "naive")

        out = tmp / "reports"
        cmd = [str(BIN / "analysis"), "render", "--output", str(out), *jobs_arg]
        old_env = (_old_tree(args.compare, tmp, args.compare_path, not args.compare_current_data)
                   if args.compare else None)
        if old_env:
            print(f"(b) analysis render --force, {len(jobs)} reports, code of {args.compare}", flush=True)
            b_old, _ = _run([str(BIN / "analysis"), "render", "--output", str(tmp / "old-reports"),
                             *jobs_arg, "--force"], env=old_env)
        print(f"(b) analysis render --force, {len(jobs)} reports", flush=True)
        b_total, b_out = _run(cmd + ["--force"])
        if old_env:
            print(f"(f) floor, {workers} warm processes, code of {args.compare}", flush=True)
            f_old_n, f_old = floor(workers, env=old_env)
        print(f"(f) floor, {workers} warm processes (no kernel, no HTML)", flush=True)
        f_n, f_total = floor(workers)
        print("(c) analysis render, nothing changed", flush=True)
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
        from analysis.data import provenance

        provenance.reseal(data)  # an edit on purpose: record the new checksum
        print(f"(d) analysis render after {args.city}'s {args.year} population changed by +1", flush=True)
        d_total, d_out = _run(cmd, env={**os.environ, "ANALYSIS_DATA_DIR": str(data)})
        d_rendered = [line.split()[-1] for line in d_out.splitlines()
                      if line.startswith("rendered")]
        if args.all_municipalities:
            print("(e) analysis render --all-municipalities --force (fi, en)", flush=True)
            e_total, e_out, e_peak = _run_with_peak(
                [str(BIN / "analysis"), "render", "--output", str(tmp / "all"), *jobs_arg,
                 "--all-municipalities", "--force"])
            e_counts = _counts(e_out)

    a_per = a_total / len(sample)
    b_per = b_total / len(jobs)
    f_per = f_total / f_n
    b_counts, c_counts, d_counts = _counts(b_out), _counts(c_out), _counts(d_out)
    sampled = " (SAMPLED)" if sample is not jobs else ""
    rows.append(("(a) papermill CLI + nbconvert CLI, serial" + sampled, len(sample), a_total, a_per))
    if args.compare:
        rows.append((f"(b) analysis render --force, code of {args.compare}", len(jobs), b_old,
                     b_old / len(jobs)))
    rows.append((f"(b) analysis render --force (warm kernels, {workers} workers)",
                 b_counts.get("rendered", 0), b_total, b_per))
    if args.compare:
        rows.append((f"(f) floor, code of {args.compare}", f_old_n, f_old, f_old / f_old_n))
    rows.append((f"(f) floor: same code, {workers} warm processes, no kernel/HTML", f_n, f_total,
                 f_per))
    rows.append(("(c) analysis render, nothing changed", c_counts.get("unchanged", 0), c_total, None))
    rows.append(("(d) analysis render after one population figure changed",
                 d_counts.get("rendered", 0), d_total, None))
    if args.all_municipalities:
        rows.append(("(e) analysis render --all-municipalities --force (fi, en)",
                     e_counts.get("rendered", 0), e_total, e_total / max(1, e_counts.get("rendered", 1))))
    print()
    print(f"machine: {os.cpu_count()} cores; workers {workers}")
    print(f"{'step':<62} {'reports':>8} {'seconds':>9} {'s/report':>9}")
    for label, count, seconds, per in rows:
        print(f"{label:<62} {count:>8} {seconds:>9.1f} {'' if per is None else f'{per:9.2f}':>9}")
    print()
    print(f"(b) is {a_per / b_per:.1f}x faster per report than (a) (target: 15x)"
          + (f"; (a) was measured on a sample of {len(sample)} of the {len(jobs)} reports "
             "(every report pays the same start-up)" if sample is not jobs else ""))
    print(f"(b) per report / (f) per report = {b_per / f_per:.2f}x the floor (target: 1.3x or better)")
    if args.compare:
        print(f"before/after ({args.compare} -> working tree), per report: (b) {b_old / len(jobs):.2f} s"
              f" -> {b_per:.2f} s; (f) {f_old / f_old_n:.2f} s -> {f_per:.2f} s")
    print(f"(c) nothing changed: {c_total:.2f} s (target: under 1 s)")
    print(f"(d) re-rendered {d_counts.get('rendered', 0)} of {len(jobs)}: {', '.join(d_rendered)}")
    if args.all_municipalities:
        print(f"(e) --all-municipalities --force: {e_total / 60:.1f} min for "
              f"{e_counts.get('rendered', 0)} pages (target: under 4 min); peak RSS of the "
              f"process tree {e_peak / 2**30:.2f} GB (target: under 1.5 GB)")


if __name__ == "__main__":
    main()
