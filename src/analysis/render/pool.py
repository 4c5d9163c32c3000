"""The run: plan which reports to render, render them on a pool of warm workers, record
each result in the manifest, and write the index at the start and at the end (also after
Ctrl-C or SIGTERM)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import data
from analysis.core import paths
from analysis.core.errors import Terminated
from analysis.core.files import file_digest
from analysis.render import index as render_index
from analysis.render import quick as render_quick
from analysis.render.folder import STAGING, check_output, check_targets, lock_folder, owner_problem, recover
from analysis.render.jobs import Job
from analysis.render.keys import Context, base_key, what_changed
from analysis.render.manifest import (
    default_rels,
    read_manifest,
    rebuild_entries,
    refresh_statuses,
    vintage,
    write_manifest,
)


@dataclass
class Outcome:
    job: Job
    status: str  # rendered | unchanged | failed | interrupted
    seconds: float = 0.0
    error: str | None = None
    failed_notebook: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome]
    output: Path
    interrupted: bool = False
    terminated: bool = False  # by SIGTERM (exit 143) rather than Ctrl-C (130)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 143 if self.terminated else 130
        return 1 if self.failed else 0


def _langs_of(jobs: list[Job], manifest: dict, output: Path) -> dict[str, list[str]]:
    """stem -> languages a page links to: those rendered now and those already on disk."""
    out: dict[str, set[str]] = {}
    for job in jobs:
        out.setdefault(job.stem, set()).add(job.lang)
    for rel, entry in manifest["reports"].items():
        if entry["stem"] in out and entry.get("status") == "ok" and (output / rel).exists():
            out[entry["stem"]].add(entry["lang"])
    return {stem: sorted(lg, key=lambda x: (x != "fi", x)) for stem, lg in out.items()}


def plan(jobs: list[Job], output: Path, force: bool = False, with_code: bool = False,
         data_dir=None, ctx: Context | None = None,
         manifest: dict | None = None) -> tuple[list[Job], list[Job]]:
    """Split jobs into (to render, unchanged), filling in each job's key."""
    ctx = ctx or Context.now(with_code, data_dir)
    manifest = manifest if manifest is not None else read_manifest(Path(output))
    langs_of = _langs_of(jobs, manifest, Path(output))
    todo, unchanged = [], []
    for job in jobs:
        job.key = base_key(job, ctx, langs_of[job.stem])
        entry = manifest["reports"].get(job.rel)
        if (not force and entry and entry.get("key") == job.key and entry.get("status") == "ok"
                and (Path(output) / job.rel).exists() and not what_changed(entry, ctx)):
            unchanged.append(job)
        else:
            todo.append(job)
    return todo, unchanged


def max_workers() -> int:
    """The cores this process may use: a worker (and its kernel) per core at most."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


WORKER_START_ATTEMPTS = 3


# Seconds between manifest writes during a run (and one at its end, whatever happens).
# Written after every report, the manifest of a whole-country run (1.8 MB) took the main
# process 37 s of the two cores' time; a process killed between writes loses only the
# records of its last seconds, and recover() removes those pages so that they render again.
MANIFEST_EVERY = 5.0


def run(jobs: list[Job], output: Path = paths.REPORTS_DIR, n_workers: int | None = None,
        force: bool = False, with_code: bool = False, keep_ipynb: bool = False,
        progress: bool = True, env: dict[str, str] | None = None,
        default_set: set[str] | None | bool = True, wait: bool = False,
        warn: Callable[[str], None] | None = None,
        worker_init: Callable | None = None, quick_options: dict | None = None) -> Summary:
    """Render ``jobs`` into ``output`` (parameters must already be validated: see make_jobs).

    Holds a lock on ``output`` for the whole run, first repairs what an interrupted run
    left (:func:`recover`) and writes the index, so the folder always has one. SIGTERM is
    handled like Ctrl-C: running reports finish, the manifest and index are written.
    ``default_set``: the default set's files (True: computed here) for the index's status.
    ``worker_init`` replaces the workers' initializer (tests simulate a worker that cannot
    start; it must be importable by a spawned process).
    ``quick_options``: the command's options when ``jobs`` is the default set; a run that
    leaves them all up to date records its fingerprint (:mod:`analysis.render.quick`).
    """
    import sys

    warn = warn or (lambda message: print(message, file=sys.stderr))
    output = check_output(output)
    check_targets(output, [path for job in jobs for path in (job.rel, f"{job.figures}/x")])
    output.mkdir(parents=True, exist_ok=True)
    lock = lock_folder(output, wait, warn)
    try:
        return _run(jobs, output, lock, n_workers, force, with_code, keep_ipynb, progress, env,
                    default_set, warn, worker_init, quick_options)
    finally:
        lock.close()


def _run(jobs, output, lock, n_workers, force, with_code, keep_ipynb, progress, env, default_set,
         warn, worker_init, quick_options) -> Summary:
    import signal

    from tqdm import tqdm

    ctx = Context.now(with_code)
    if default_set is True:
        default_set = default_rels()
    manifest = read_manifest(output, warn)
    # Taken before anything is read: a file changed during the run changes the next print.
    manifest.pop(render_quick.FIELD, None)
    print_ = (render_quick.fingerprint(quick_options, ctx.package, ctx.commit)
              if quick_options is not None else None)
    recover(output, manifest)
    rebuilt = rebuild_entries(output, manifest)
    if rebuilt:
        warn(f"{len(rebuilt)} page(s) in {output} were not in its manifest (a lost or old "
             "manifest, or an interrupted run): recorded again from the pages, marked stale")
    refresh_statuses(manifest, ctx, default_set)
    render_index.write(output, manifest, warn)
    todo, unchanged = plan(jobs, output, force, with_code, ctx=ctx, manifest=manifest)
    outcomes = [Outcome(job, "unchanged") for job in unchanged]
    langs_of = _langs_of(jobs, manifest, output)
    for job in unchanged:  # reason may be new even when the HTML is not
        manifest["reports"][job.rel].update(reason=job.reason, group=job.group)
    for job in list(todo):  # a reader's own file in the way: that report fails, untouched
        problem = owner_problem(output, job.rel, job.figures, job.rel in manifest["reports"])
        if problem:
            todo.remove(job)  # not recorded: the manifest holds the tool's pages only
            outcomes.append(Outcome(job, "failed", 0.0, problem))

    if todo:
        check_worker_data()
    n_workers = max(1, min(n_workers or max_workers(), max_workers(), len(todo) or 1))
    bar = tqdm(total=len(jobs), initial=len(unchanged), unit="report", disable=not progress,
               dynamic_ncols=True)
    interrupted: str | None = None  # "interrupted" (Ctrl-C) or "terminated" (SIGTERM)

    def on_term(signum, frame):  # SIGTERM (timeout, CI cancel, systemctl stop) = Ctrl-C
        raise Terminated

    previous_term = signal.signal(signal.SIGTERM, on_term) if _main_thread() else None
    try:
        if todo:
            payloads = [{"notebook": str(job.notebook), "params": job.params, "lang": job.lang,
                         "rel": job.rel, "figures": job.figures, "with_code": with_code,
                         "keep_ipynb": keep_ipynb, "identity": job.identity, "svg": job.svg,
                         "nav": render_index.nav(job.rel, job.stem, job.lang, langs_of[job.stem])}
                        for job in todo]
            # The kernels' footers show the commit the keys were made with (one git call
            # per run, not two per report).
            env = {**(env or {}), render_quick.COMMIT_ENV: ctx.commit}
            interrupted = _execute(todo, payloads, output, n_workers, env, manifest, ctx,
                                   outcomes, bar, worker_init)
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        bar.close()
        refresh_statuses(manifest, ctx, default_set)
        if (print_ is not None and not interrupted and len(outcomes) == len(jobs)
                and all(o.status in ("rendered", "unchanged") for o in outcomes)):
            render_quick.record(manifest, print_, [job.rel for job in jobs])
        write_manifest(output, manifest)
        render_index.write(output, manifest, warn)
    order = {job.rel: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.job.rel, 0))
    return Summary(outcomes, output, interrupted is not None, interrupted == "terminated")


def check_worker_data() -> None:
    """Read what every worker loads at start (tables and boundaries), so that a broken
    data file is one DataValidationError here rather than workers failing to start."""
    from analysis.core.paths import BOUNDARIES_FILE

    data.load()
    try:
        data.boundaries()
    except data.DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyogrio/GDAL errors on a damaged file
        lines = [line for line in str(exc).splitlines() if line.strip()]
        raise data.DataValidationError(
            f"{data.data_dir() / BOUNDARIES_FILE}: cannot be read ({type(exc).__name__}: "
            f"{lines[-1] if lines else ''}); run `analysis data build`") from None


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _execute(todo, payloads, output, n_workers, env, manifest, ctx, outcomes, bar,
             worker_init=None) -> str | None:
    """Run the payloads on a pool of warm workers; "interrupted" (Ctrl-C) or "terminated"
    (SIGTERM) when a signal stopped the run, None otherwise.

    A worker that cannot start (a kernel port collision, a broken data file) breaks the
    pool: the reports it had not finished are retried on a new pool, up to
    WORKER_START_ATTEMPTS times; reports already written keep their result."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from analysis.render.worker import init_process, run_job

    by_rel = {job.rel: job for job in todo}
    remaining = list(payloads)
    last_write = time.monotonic()
    attempts = 0
    last_error = ""
    try:
        while remaining and attempts < WORKER_START_ATTEMPTS:
            attempts += 1
            pool = ProcessPoolExecutor(min(n_workers, len(remaining)), mp_context=get_context("spawn"),
                                       initializer=worker_init or init_process,
                                       initargs=(str(output), env or {}))
            rel_of = {pool.submit(run_job, p): p for p in remaining}
            pending = set(rel_of)
            broken = []
            try:
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        try:
                            result = future.result()
                        except BrokenProcessPool as exc:
                            broken.append(rel_of[future])
                            last_error = f"render worker failed: {_last_error_line(exc)}"
                            continue
                        except Exception as exc:  # noqa: BLE001
                            result = {"rel": rel_of[future]["rel"], "status": "failed",
                                      "seconds": 0.0,
                                      "error": f"render worker failed: {type(exc).__name__}: {exc}"}
                        outcomes.append(_record(manifest, by_rel[result["rel"]], result, ctx))
                        if time.monotonic() - last_write >= MANIFEST_EVERY:
                            write_manifest(output, manifest)
                            last_write = time.monotonic()
                        bar.update(1)
            except KeyboardInterrupt as exc:
                how = "terminated" if isinstance(exc, Terminated) else "interrupted"
                bar.write(f"{how}: finishing the reports already running, skipping the rest")
                for future in pending:
                    future.cancel()
                for future in pending:  # running ones finish their atomic writes
                    if not future.cancelled():
                        try:
                            result = future.result()
                        except Exception:  # noqa: BLE001
                            continue
                        outcomes.append(_record(manifest, by_rel[result["rel"]], result, ctx))
                done = {o.job.rel for o in outcomes}
                outcomes += [Outcome(j, "interrupted") for j in todo if j.rel not in done]
                return how
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            remaining = broken
        for payload in remaining:  # the workers never started: say why, keep old pages
            result = {"rel": payload["rel"], "status": "failed", "seconds": 0.0,
                      "error": last_error or "render worker failed"}
            outcomes.append(_record(manifest, by_rel[payload["rel"]], result, ctx))
            bar.update(1)
        return None
    finally:
        shutil.rmtree(output / STAGING, ignore_errors=True)


def _last_error_line(exc: BaseException) -> str:
    cause = exc.__cause__
    text = str(cause or exc).strip().splitlines()
    return f"{type(cause or exc).__name__}: {text[-1] if text else ''}".strip()


def _record(manifest: dict, job: Job, result: dict, ctx: Context) -> Outcome:
    reports = manifest["reports"]
    previous = reports.get(job.rel, {})
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    entry = {
        "notebook": job.notebook.stem, "notebook_path": str(job.notebook),
        "group": job.group, "lang": job.lang, "stem": job.stem,
        "params": job.params, "given": job.given, "reason": job.reason, "vintage": vintage(job),
        "svg": job.svg,
        "seconds": result["seconds"], "attempted": now, "in_default": previous.get("in_default"),
    }
    if result["status"] == "ok":
        reads = result.get("reads") or []
        entry.update(status="ok", key=job.key, title=result.get("title"), rendered=now,
                     error=None, failed_notebook=None, notebook_digest=file_digest(job.notebook),
                     package=ctx.package, commit=ctx.commit,
                     reads=[[item, ctx.digests.digest(item)] for item in reads])
        outcome = Outcome(job, "rendered", result["seconds"])
    else:  # the previous HTML (if any) stays, and so do its title and date
        entry.update(status="failed", key=None, title=previous.get("title"),
                     rendered=previous.get("rendered"), error=result["error"],
                     failed_notebook=result.get("failed_notebook"), reads=previous.get("reads"))
        outcome = Outcome(job, "failed", result["seconds"], result["error"],
                          result.get("failed_notebook"))
    reports[job.rel] = entry
    return outcome


def summary_table(summary: Summary) -> str:
    """One line per report: status, seconds, file; failures with their error's last line."""
    from analysis.render.quick import SUMMARY_HEADER, summary_line, summary_row

    lines = [SUMMARY_HEADER]
    for o in summary.outcomes:
        lines.append(summary_row(o.status, o.seconds if o.status in ("rendered", "failed")
                                 else None, o.job.rel))
        if o.error:
            lines.append(f"{'':<20}{o.error}")
            if o.failed_notebook:
                lines.append(f"{'':<20}executed notebook: {o.failed_notebook}")
    counts = {s: summary.count(s) for s in ("rendered", "unchanged", "failed", "interrupted")}
    lines.append(summary_line(len(summary.outcomes), counts, summary.output))
    return "\n".join(lines)


def describe(jobs: list[Job], output: Path, force: bool = False, with_code: bool = False) -> str:
    """What ``--list`` prints: each report, whether it would render or is unchanged, and why
    (a folder the run could not write into is the run's one-line error here too)."""
    output = check_output(output)
    check_targets(output, [path for job in jobs for path in (job.rel, f"{job.figures}/x")])
    todo, _ = plan(jobs, output, force, with_code)
    will = {job.rel for job in todo}
    lines = []
    for job in jobs:
        params = ", ".join(f"{k}={v!r}" for k, v in job.given.items()) or "defaults"
        state = "render" if job.rel in will else "unchanged"
        lines.append(f"{state:<9}  {job.rel:<52} {job.notebook.stem}({params})  "
                     f"{job.reason}".rstrip())
    lines.append(f"{len(jobs)} reports, {len(will)} to render, {len(jobs) - len(will)} unchanged")
    return "\n".join(lines)
