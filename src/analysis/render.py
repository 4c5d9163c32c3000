"""``analysis render``: parameterised notebooks -> a folder of offline HTML reports with an
index, fast (warm kernels in parallel workers), incremental (a manifest of input hashes) and
failure-safe (atomic writes, failed reports keep their previous HTML).

    jobs = default_jobs(langs=("fi", "en"))          # or single_jobs("city_profile", {...})
    summary = run(jobs, output=paths.REPORTS_DIR, n_workers=2)

Steps, in this order, so that bad input never costs a kernel or a file:

1. **Validate** every job's parameters (:func:`validate`): names against the notebook's
   ``parameters`` cell (:func:`declared_parameters`), types against the defaults' types,
   values through the library checks registered per notebook in :data:`SPECS`.
2. **Hash** each job's inputs (:func:`input_key`) and skip those whose key is in the
   manifest with their HTML on disk.
3. **Execute and export** the rest in ``n_workers`` processes, each with one warm kernel
   (:mod:`analysis.render_worker`).
4. After each report, **write the manifest**; at the end (also after Ctrl-C) **write the
   index** from the manifest and the files actually present (:mod:`analysis.render_index`).
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import data, paths
from .names import slug
from .params import ParameterError, check_lang, check_municipality, check_partnership, check_year

MANIFEST = ".render-manifest.json"


LANGS_DEFAULT = ("fi", "en")
# Set by the pipeline itself, never by the user.
PIPELINE_PARAMS = ("lang", "export_dir", "export_href")


# ================================================================== notebook registry
@dataclass(frozen=True)
class NotebookSpec:
    """What the pipeline knows about one notebook.

    ``validate`` turns given parameters into normalised ones (raising ParameterError);
    ``path`` gives the report's file (without language prefix or suffix) from normalised
    parameters, ``identity`` names the parameters already in that path; ``inputs`` lists
    the data slices the report reads (see :class:`DataInputs`); ``accepts`` widens the type
    check for parameters whose default has a narrower type (a city given as a code number).
    """

    name: str
    group: str  # analyses | partnerships | cities
    validate: Callable[[dict], dict]
    path: Callable[[dict], str]
    inputs: Callable[[dict], list[tuple]]
    identity: tuple[str, ...] = ()
    accepts: dict[str, tuple[type, ...]] = field(default_factory=dict)
    tables: tuple[str, ...] = ("municipalities", "population", "jobs", "memberships")


ALL_DATA = [("table", "municipalities"), ("table", "population"), ("table", "jobs"),
            ("table", "sources"), ("table", "partnerships"), ("table", "memberships"),
            ("table", "indicators"), ("table", "country_indicators"),
            ("file", paths.BOUNDARIES_FILE), ("file", paths.DATAPACKAGE_FILE)]
# Read by every report: names, the membership facts, the footer's data vintage, the maps.
COMMON = [("table", "municipalities"), ("table", "sources"), ("table", "partnerships"),
          ("table", "memberships"), ("table", "jobs"), ("table", "indicators"),
          ("table", "country_indicators"), ("file", paths.BOUNDARIES_FILE),
          ("file", paths.DATAPACKAGE_FILE)]


def _members(pid: str) -> list[str]:
    frame = data.memberships()
    return sorted(frame.loc[frame["partnership_id"] == pid, "code"])


def _validate_city(p: dict) -> dict:
    muni = check_municipality(p.get("city", "Seinäjoki"))
    return {**p, "city": muni.code, "year": check_year(p.get("year"))}


def _validate_partnership(p: dict) -> dict:
    return {**p, "partnership": check_partnership(p.get("partnership", "growth-cities")),
            "year": check_year(p.get("year"))}


def _validate_size_classes(p: dict) -> dict:
    from . import sizeclass

    out = dict(p)
    if "year" in p:
        out["year"] = check_year(p["year"])
    if "bounds" in p:
        out["bounds"] = list(sizeclass.check_bounds(p["bounds"]))
    if p.get("highlight"):
        out["highlight"] = check_partnership(p["highlight"])
    return out


def _validate_network(p: dict) -> dict:
    from . import sizeclass
    from .params import check_partnerships

    out = dict(p)
    if "year" in p:
        out["year"] = check_year(p["year"])
    if "partnerships" in p:
        out["partnerships"] = check_partnerships(p["partnerships"])
    if "size_bounds" in p:
        out["size_bounds"] = list(sizeclass.check_bounds(p["size_bounds"]))
    return out


def _peer_years(year: int) -> list[int]:
    from .profiles import peer_years

    return peer_years(year)


def _city_path(p: dict) -> str:
    name = data.municipalities().set_index("code").at[p["city"], "name_fi"]
    return f"cities/{slug(name)}-{p['city']}"


SPECS: dict[str, NotebookSpec] = {
    spec.name: spec for spec in [
        NotebookSpec(
            "city_profile", "cities", _validate_city, _city_path, identity=("city",),
            accepts={"city": (str, int), "year": (int, str, type(None))},
            # Its own series (the chart over time), every municipality in the profile year
            # (national distribution, class peers), and the common tables.
            inputs=lambda p: COMMON + [("population_of", (p["city"],))] + [
                ("population_in", y) for y in _peer_years(p["year"])]),
        NotebookSpec(
            "partnership_profile", "partnerships", _validate_partnership,
            lambda p: f"partnerships/{p['partnership']}", identity=("partnership",),
            accepts={"year": (int, str, type(None))},
            # The members' series (combined population over time), every municipality in
            # the profile year (members' size classes), and the common tables.
            inputs=lambda p: COMMON + [("population_of", tuple(_members(p["partnership"])))] + [
                ("population_in", y) for y in _peer_years(p["year"])]),
        NotebookSpec("size_classes", "analyses", _validate_size_classes,
                     lambda p: "analyses/size-classes", inputs=lambda p: ALL_DATA,
                     accepts={"year": (int, str, type(None)), "bounds": (list, str, tuple),
                              "highlight": (str, type(None))}),
        NotebookSpec("partnership_network", "analyses", _validate_network,
                     lambda p: "analyses/partnership-network", inputs=lambda p: ALL_DATA,
                     accepts={"year": (int, str, type(None)), "partnerships": (list, str, type(None)),
                              "size_bounds": (list, str, tuple)}),
    ]
}


def spec_for(notebook: Path) -> NotebookSpec:
    """The registered spec, or a generic one (any other notebook: an analysis reading all data)."""
    if notebook.stem in SPECS:
        return SPECS[notebook.stem]
    return NotebookSpec(notebook.stem, "analyses", dict,
                        lambda p, stem=notebook.stem: f"analyses/{slug(stem)}",
                        inputs=lambda p: ALL_DATA)


# ================================================================== parameters
def notebook_path(name: str | os.PathLike) -> Path:
    """``city_profile``, ``city_profile.ipynb`` or a path -> the notebook file."""
    path = Path(name)
    if path.suffix != ".ipynb":
        path = path.with_suffix(".ipynb")
    if not path.exists() and (paths.NOTEBOOKS_DIR / path.name).exists():
        path = paths.NOTEBOOKS_DIR / path.name
    if not path.exists():
        known = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
        raise ParameterError(f"no notebook {str(name)!r}; notebooks: {', '.join(known)}")
    return path.resolve()


_DECLARED: dict[Path, dict] = {}


def declared_parameters(notebook: Path) -> dict[str, object]:
    """Name -> default value, read from the notebook's cell tagged ``parameters``.

    Read with ``json`` and ``ast`` rather than ``papermill.inspect_notebook``: importing
    papermill imports nbformat and jsonschema, whose format checkers take ~5 s to import on
    this machine, which alone would break the "nothing changed: under 3 s" target. The
    result is the same for the simple assignments a parameters cell holds (a default that
    is an expression gives ``None``: any type passes, the validator decides).
    """
    if notebook not in _DECLARED:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        if not tagged:
            raise ParameterError(f"{notebook.name} has no cell tagged 'parameters'")
        source = "".join(tagged[0]["source"])
        defaults = {}
        for node in ast.parse(source).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        try:
                            defaults[target.id] = ast.literal_eval(node.value)
                        except (ValueError, SyntaxError, TypeError):
                            defaults[target.id] = None
        _DECLARED[notebook] = defaults
    return _DECLARED[notebook]


def _resolve_scalar(text: str):
    """papermill's reading of a ``-p`` value (papermill.cli._resolve_type), also accepting
    the lower-case true/false/none an analyst is likely to type."""
    constants = {"true": True, "false": False, "none": None}
    if text.strip().lower() in constants:
        return constants[text.strip().lower()]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_value(text: str):
    """A ``-p`` value the way papermill reads it (True/None/int/float/str), plus YAML
    lists and mappings (``[40000, 100000]``)."""
    import yaml

    stripped = text.strip()
    if stripped.startswith(("[", "{")):
        try:
            return yaml.safe_load(stripped)
        except yaml.YAMLError as exc:
            raise ParameterError(f"cannot read {text!r}: {str(exc).splitlines()[0]}") from None
    return _resolve_scalar(text)


def _type_ok(value, default, accepted: tuple[type, ...] | None) -> bool:
    if accepted:
        return isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted)
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def validate(notebook: Path, params: dict) -> dict:
    """Check names, types and values; return the normalised parameters (no kernel, no file)."""
    declared = declared_parameters(notebook)
    spec = spec_for(notebook)
    for name, value in params.items():
        if name in PIPELINE_PARAMS:
            raise ParameterError(f"{name} is set by analysis render (use --lang for the language)")
        if name not in declared:
            user = [n for n in declared if n not in PIPELINE_PARAMS]
            close = difflib.get_close_matches(name, user, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterError(f"{notebook.stem} has no parameter {name!r}; {hint}"
                                 f"its parameters: {', '.join(user)}")
        if not _type_ok(value, declared[name], spec.accepts.get(name)):
            raise ParameterError(
                f"{name}={value!r} is a {type(value).__name__}; {notebook.stem} expects a "
                f"{type(declared[name]).__name__} like its default {declared[name]!r}")
    return spec.validate(dict(params))


# ================================================================== jobs
@dataclass
class Job:
    notebook: Path
    params: dict  # as given: passed to the notebook and shown in its footer
    normalised: dict  # validated: for file names and the cache key
    lang: str
    rel: str  # HTML path inside the output folder, e.g. "en/cities/pori-609.html"
    group: str
    reason: str = ""
    key: str = ""

    @property
    def stem(self) -> str:
        """The report's path without language and suffix: pairs the fi and en versions."""
        rel = self.rel.removeprefix(f"{self.lang}/") if self.lang != "fi" else self.rel
        return rel.removesuffix(".html")

    @property
    def figures(self) -> str:
        prefix = "figures" if self.lang == "fi" else f"figures/{self.lang}"
        return f"{prefix}/{self.stem}"


def _report_stem(notebook: Path, spec: NotebookSpec, params: dict, normalised: dict) -> str:
    """Stable, readable name; parameters that differ from the defaults are spelled out
    (``analyses/size-classes--year-2010--bounds-20000-40000``)."""
    stem = spec.path(normalised)
    defaults = declared_parameters(notebook)
    for name, value in params.items():
        if name in spec.identity or value == defaults.get(name):
            continue
        text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        stem += f"--{slug(name)}-{slug(text)}"
    return stem


def make_jobs(notebook, params: dict, langs: Iterable[str] = LANGS_DEFAULT,
              reason: str = "") -> list[Job]:
    """One job per language for one notebook and its parameters (validated here)."""
    path = notebook_path(notebook)
    langs = [check_lang(lang) for lang in langs]
    normalised = validate(path, params)
    spec = spec_for(path)
    stem = _report_stem(path, spec, params, normalised)
    return [Job(path, dict(params), normalised, lang,
                f"{stem}.html" if lang == "fi" else f"{lang}/{stem}.html", spec.group, reason)
            for lang in langs]


def default_jobs(langs: Iterable[str] = LANGS_DEFAULT, all_municipalities: bool = False) -> list[Job]:
    """The default report set, from the data: the analyses with default parameters, one
    profile per partnership, one per municipality in a partnership or in the default size
    class (cities only), or per municipality with ``all_municipalities``."""
    langs = list(langs)
    jobs: list[Job] = []
    for stem in ("size_classes", "partnership_network"):
        if (paths.NOTEBOOKS_DIR / f"{stem}.ipynb").exists():
            jobs += make_jobs(stem, {}, langs, reason="analysis, default parameters")
    for pid in data.partnerships()["partnership_id"]:
        jobs += make_jobs("partnership_profile", {"partnership": pid}, langs,
                          reason="one profile per partnership")
    for code, reason in profile_cities(all_municipalities).items():
        jobs += make_jobs("city_profile", {"city": _city_param(code)}, langs, reason=reason)
    return jobs


def _city_param(code: str) -> str:
    """The Finnish name when it resolves back to the same code (readable in the footer)."""
    from .names import resolve

    name = data.municipalities().set_index("code").at[code, "name_fi"]
    try:
        return name if resolve(name).code == code else code
    except LookupError:
        return code


def profile_cities(all_municipalities: bool = False) -> dict[str, str]:
    """code -> why it gets a profile: member of which partnerships, in the default class."""
    from . import sizeclass
    from .i18n import fmt_int

    reasons: dict[str, list[str]] = {}
    members = data.memberships()
    for code, group in members.groupby("code"):
        reasons.setdefault(code, []).append("in " + ", ".join(sorted(group["partnership_id"])))
    lo, hi = sizeclass.MID_SIZE_BOUNDS
    in_class = sizeclass.members()
    year = data.population_years()[-1]
    for code in in_class["code"]:
        reasons.setdefault(code, []).append(
            f"city of {fmt_int(lo, 'en')}–{fmt_int(hi, 'en')} residents in {year}")
    if all_municipalities:
        for code in data.municipalities()["code"]:
            reasons.setdefault(code, ["--all-municipalities"])
    return {code: "; ".join(r) for code, r in sorted(reasons.items())}


# ================================================================== cache keys
class DataInputs:
    """Hashes of the data slices reports read, computed once per run.

    The rule: a report's key covers exactly the rows it declares in its spec's ``inputs``
    (a whole table, one municipality's population series, or every municipality's
    population in one year) and whole files for what cannot be sliced (boundaries,
    datapackage.json). A changed number therefore re-renders only the reports that read it:
    a city's 2010 population is read by that city's profile (its series), by the profiles
    of its partnerships (their members' series) and by the analyses (which read all of the
    population table) — not by the other cities' profiles, which read only the profile
    year of other municipalities.
    """

    def __init__(self, directory=None):
        self.folder = data.data_dir(directory)
        self.snap = data.load(directory)
        self._done: dict[tuple, str] = {}

    @staticmethod
    def _frame_hash(frame: pd.DataFrame) -> str:
        digest = hashlib.sha256("|".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        return digest.hexdigest()

    @cached_property
    def _population_by_code(self) -> dict[str, str]:
        pop = self.snap.population.sort_values(["code", "year"])
        return {code: self._frame_hash(g) for code, g in pop.groupby("code", sort=True)}

    @cached_property
    def _population_by_year(self) -> dict[int, str]:
        pop = self.snap.population.sort_values(["year", "code"])
        return {int(year): self._frame_hash(g) for year, g in pop.groupby("year", sort=True)}

    def digest(self, item: tuple) -> str:
        if item not in self._done:
            kind, arg = item
            if kind == "table":
                value = self._frame_hash(getattr(self.snap, arg))
            elif kind == "file" and arg == paths.DATAPACKAGE_FILE:
                # What reports read from the package is its provenance (sources, years,
                # periods), not the checksums of files whose rows are keyed separately.
                value = _package_text_digest(self.folder / arg)
            elif kind == "file":
                path = self.folder / arg
                value = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"
            elif kind == "population_of":
                value = ",".join(self._population_by_code.get(code, "-") for code in arg)
            elif kind == "population_in":
                value = self._population_by_year.get(int(arg), "-")
            else:
                raise ValueError(f"unknown input kind {kind!r}")
            self._done[item] = value
        return self._done[item]


def _package_text_digest(path: Path) -> str:
    if not path.exists():
        return "-"
    package = json.loads(path.read_text(encoding="utf-8"))
    for item in package.get("resources", []):
        item.pop("hash", None), item.pop("bytes", None)
    return hashlib.sha256(json.dumps(package, sort_keys=True).encode()).hexdigest()


def package_digest() -> str:
    """Hash of the ``analysis`` package source (code, translations, templates)."""
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_key(job: Job, inputs: DataInputs, package: str, with_code: bool) -> str:
    spec = spec_for(job.notebook)
    parts = {
        "notebook": hashlib.sha256(job.notebook.read_bytes()).hexdigest(),
        "params": job.params, "normalised": job.normalised, "lang": job.lang,
        "package": package, "with_code": with_code,
        "data": [[kind, str(arg), inputs.digest((kind, arg))]
                 for kind, arg in spec.inputs(job.normalised)],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# ================================================================== manifest
def read_manifest(output: Path) -> dict:
    path = output / MANIFEST
    if path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass  # a damaged manifest only costs a full re-render
    return {"version": 1, "reports": {}}


def write_manifest(output: Path, manifest: dict) -> None:
    from .render_worker import _atomic_write

    _atomic_write(output / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False,
                                                sort_keys=True, default=str))


def vintage(job: Job) -> dict[str, str]:
    """Data years each report shows, from datapackage.json (for the index)."""
    from .i18n import format_years
    from .provenance import resource

    out = {}
    year = job.normalised.get("year")
    for table in ("population", "jobs"):
        years = resource(table).get("years", [])
        if table == "population" and year and spec_for(job.notebook).group != "analyses":
            years = [y for y in years if y <= int(year)]
        out[table] = format_years(years)
    return out


# ================================================================== the run
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

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        return 130 if self.interrupted else (1 if self.failed else 0)


def _nav(job: Job, langs_present: Iterable[str]) -> str:
    """Links from a report to the index and to its other-language version."""
    import html

    depth = job.rel.count("/")
    up = "../" * depth
    parts = [f'<a href="{up}{"index.html" if job.lang == "fi" else job.lang + "/index.html"}">'
             f'{"← Raportit" if job.lang == "fi" else "← Reports"}</a>']
    for lang in langs_present:
        if lang != job.lang:
            target = f"{job.stem}.html" if lang == "fi" else f"{lang}/{job.stem}.html"
            label = {"fi": "suomeksi", "en": "in English"}[lang]
            parts.append(f'<a href="{html.escape(up + target)}" hreflang="{lang}">{label}</a>')
    return " · ".join(parts)


def plan(jobs: list[Job], output: Path, force: bool = False, with_code: bool = False,
         data_dir=None) -> tuple[list[Job], list[Job]]:
    """Split jobs into (to render, unchanged), filling in each job's key."""
    inputs, package = DataInputs(data_dir), package_digest()
    manifest = read_manifest(output)["reports"]
    todo, unchanged = [], []
    for job in jobs:
        job.key = input_key(job, inputs, package, with_code)
        entry = manifest.get(job.rel)
        if (not force and entry and entry.get("key") == job.key and entry.get("status") == "ok"
                and (output / job.rel).exists()):
            unchanged.append(job)
        else:
            todo.append(job)
    return todo, unchanged


def run(jobs: list[Job], output: Path = paths.REPORTS_DIR, n_workers: int | None = None,
        force: bool = False, with_code: bool = False, keep_ipynb: bool = False,
        progress: bool = True, env: dict[str, str] | None = None) -> Summary:
    """Render ``jobs`` into ``output`` (parameters must already be validated: see make_jobs)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context

    from tqdm import tqdm

    from . import render_index
    from .render_worker import STAGING, init_process, run_job

    output = Path(output).resolve()
    output.mkdir(parents=True, exist_ok=True)
    todo, unchanged = plan(jobs, output, force, with_code)
    manifest = read_manifest(output)
    outcomes = [Outcome(job, "unchanged") for job in unchanged]
    langs_of: dict[str, set[str]] = {}
    for job in jobs:
        langs_of.setdefault(job.stem, set()).add(job.lang)
    for job in unchanged:  # vintage/reason may be new even when the HTML is not
        manifest["reports"][job.rel].update(reason=job.reason, group=job.group)

    n_workers = max(1, min(n_workers or os.cpu_count() or 1, len(todo) or 1))
    bar = tqdm(total=len(jobs), initial=len(unchanged), unit="report", disable=not progress,
               dynamic_ncols=True)
    state = {"done": 0, "failed": 0}

    def postfix(running: int) -> None:
        bar.set_postfix(done=state["done"], running=running, skipped=len(unchanged),
                        failed=state["failed"], refresh=True)

    interrupted = False
    if todo:
        by_rel = {job.rel: job for job in todo}
        payloads = [{"notebook": str(job.notebook), "params": job.params, "lang": job.lang,
                     "rel": job.rel, "figures": job.figures, "with_code": with_code,
                     "keep_ipynb": keep_ipynb,
                     "nav": _nav(job, sorted(langs_of[job.stem], key=lambda l: (l != "fi", l)))}
                    for job in todo]
        pool = ProcessPoolExecutor(n_workers, mp_context=get_context("spawn"),
                                   initializer=init_process, initargs=(str(output), env or {}))
        rel_of = {pool.submit(run_job, p): p["rel"] for p in payloads}
        pending = set(rel_of)
        postfix(min(n_workers, len(pending)))
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        result = future.result()
                    except Exception as exc:  # noqa: BLE001 - a worker that died or could not start
                        result = {"rel": rel_of[future], "status": "failed", "seconds": 0.0,
                                  "error": f"render worker failed: {type(exc).__name__}: {exc}"}
                    job = by_rel[result["rel"]]
                    outcomes.append(_record(manifest, job, result))
                    state["failed" if result["status"] != "ok" else "done"] += 1
                    write_manifest(output, manifest)
                    bar.update(1)
                postfix(min(n_workers, len(pending)))
        except KeyboardInterrupt:
            interrupted = True
            bar.write("interrupted: finishing the reports already running, skipping the rest")
            for future in pending:
                future.cancel()
            for future in pending:  # running ones finish their atomic writes
                if not future.cancelled():
                    try:
                        result = future.result()
                    except Exception:  # noqa: BLE001
                        continue
                    outcomes.append(_record(manifest, by_rel[result["rel"]], result))
            write_manifest(output, manifest)
            done = {o.job.rel for o in outcomes}
            outcomes += [Outcome(j, "interrupted") for j in todo if j.rel not in done]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            import shutil

            shutil.rmtree(output / STAGING, ignore_errors=True)
    bar.close()
    write_manifest(output, manifest)
    render_index.write(output, manifest)
    order = {job.rel: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.job.rel, 0))
    return Summary(outcomes, output, interrupted)


def _record(manifest: dict, job: Job, result: dict) -> Outcome:
    reports = manifest["reports"]
    previous = reports.get(job.rel, {})
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    entry = {
        "notebook": job.notebook.stem, "group": job.group, "lang": job.lang, "stem": job.stem,
        "params": job.params, "reason": job.reason, "vintage": vintage(job),
        "seconds": result["seconds"], "attempted": now,
    }
    if result["status"] == "ok":
        entry.update(status="ok", key=job.key, title=result.get("title"), rendered=now,
                     error=None, failed_notebook=None)
        outcome = Outcome(job, "rendered", result["seconds"])
    else:  # the previous HTML (if any) stays, and so do its title and date
        entry.update(status="failed", key=None, title=previous.get("title"),
                     rendered=previous.get("rendered"), error=result["error"],
                     failed_notebook=result.get("failed_notebook"))
        outcome = Outcome(job, "failed", result["seconds"], result["error"],
                          result.get("failed_notebook"))
    reports[job.rel] = entry
    return outcome


def summary_table(summary: Summary) -> str:
    """One line per report: status, seconds, file; failures with their error's last line."""
    lines = [f"{'status':<11} {'seconds':>7}  report"]
    for o in summary.outcomes:
        seconds = f"{o.seconds:7.2f}" if o.status in ("rendered", "failed") else f"{'-':>7}"
        lines.append(f"{o.status:<11} {seconds}  {o.job.rel}")
        if o.error:
            lines.append(f"{'':<20}{o.error}")
            if o.failed_notebook:
                lines.append(f"{'':<20}executed notebook: {o.failed_notebook}")
    counts = ", ".join(f"{summary.count(s)} {s}" for s in
                       ("rendered", "unchanged", "failed", "interrupted") if summary.count(s))
    lines.append(f"{len(summary.outcomes)} reports: {counts}; index: "
                 f"{summary.output.name}/index.html")
    return "\n".join(lines)


def describe(jobs: list[Job], output: Path, force: bool = False, with_code: bool = False) -> str:
    """What ``--list`` prints: each report, whether it would render or is unchanged, and why."""
    todo, _ = plan(jobs, output, force, with_code)
    will = {job.rel for job in todo}
    lines = []
    for job in jobs:
        params = ", ".join(f"{k}={v!r}" for k, v in job.params.items()) or "defaults"
        state = "render" if job.rel in will else "unchanged"
        lines.append(f"{state:<9}  {job.rel:<52} {job.notebook.stem}({params})  "
                     f"{job.reason}".rstrip())
    lines.append(f"{len(jobs)} reports, {len(will)} to render, {len(jobs) - len(will)} unchanged")
    return "\n".join(lines)

