"""``analysis render``: parameterised notebooks -> a folder of offline HTML reports with an
index, fast (warm kernels in parallel workers), incremental (a manifest of input hashes) and
failure-safe (atomic writes, failed reports keep their previous HTML).

    jobs = default_jobs(langs=("fi", "en"))          # or single_jobs("city_profile", {...})
    summary = run(jobs, output=paths.REPORTS_DIR, n_workers=2)

Steps, in this order, so that bad input never costs a kernel or a file:

1. **Validate** every job's parameters (:func:`validate`): names against the notebook's
   ``parameters`` cell (:func:`declared_parameters`), types against the defaults' types,
   values (defaults included) through the notebook's own library checks (:data:`SPECS`).
2. **Lock** the output folder (:func:`lock_folder`), tidy what an interrupted run left
   (:func:`recover`), compute every manifest entry's status afresh and write the index.
3. **Key** each job (:func:`base_key`: notebook, parameters, languages, package, commit)
   and skip those whose key matches the manifest, whose HTML is on disk and whose recorded
   read set (:mod:`analysis.readset`) hashes as it did (:func:`what_changed`).
4. **Execute and export** the rest in ``n_workers`` processes, each with one warm kernel
   (:mod:`analysis.render_worker`), which returns each report's read set.
5. After each report, **write the manifest**; at the end (also after Ctrl-C or SIGTERM)
   **write the index** from the manifest and the files actually present
   (:mod:`analysis.render_index`).
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


from . import data, paths, readset, render_quick
from .names import slug
from .render_quick import file_digest, package_digest
from .params import ParameterError, check_lang, check_municipality, check_partnership, check_year

MANIFEST = render_quick.MANIFEST


LANGS_DEFAULT = ("fi", "en")
# Set by the pipeline itself, never by the user.
PIPELINE_PARAMS = ("lang", "export_dir", "export_href")


# ================================================================== notebook registry
@dataclass(frozen=True)
class NotebookSpec:
    """What the pipeline knows about one notebook: how to name its report and how to check
    its parameters. What it *reads* is not declared here: it is recorded while it runs
    (:mod:`analysis.readset`), so a notebook without a spec is cached just as correctly.

    ``validate`` turns the full parameters (the notebook's defaults overlaid by the given
    ones) into normalised ones (raising ParameterError) with the same library checks the
    notebook runs; ``path`` gives the report's file (without language prefix or suffix),
    ``identity`` names the parameters already in that path; ``accepts`` widens the type
    check for parameters whose default has a narrower type (a city given as a code number).
    """

    name: str
    group: str  # analyses | partnerships | cities
    validate: Callable[[dict], dict]
    path: Callable[[dict], str]
    identity: tuple[str, ...] = ()
    accepts: dict[str, tuple[type, ...]] = field(default_factory=dict)


def _validate_city(p: dict) -> dict:
    return {**p, "city": check_municipality(p.get("city")).code, "year": check_year(p.get("year"))}


def _validate_partnership(p: dict) -> dict:
    return {**p, "partnership": check_partnership(p.get("partnership")),
            "year": check_year(p.get("year"))}


def _validate_size_classes(p: dict) -> dict:
    from . import sizeclass

    out = sizeclass.check_params(p.get("year"), p.get("bounds"), p.get("cities_only", True),
                                 p.get("highlight"))
    return {**p, **out, "bounds": list(out["bounds"])}


def _validate_network(p: dict) -> dict:
    from . import network

    out = network.check_parameters(year=p.get("year"), partnerships=p.get("partnerships"),
                                   size_bounds=p.get("size_bounds"),
                                   layout_seed=p.get("layout_seed", 1),
                                   highlight_city=p.get("highlight_city", ""))
    out.pop("lang")
    return {**p, **out, "size_bounds": list(out["size_bounds"])}


def _city_path(p: dict) -> str:
    name = data.municipalities().set_index("code").at[p["city"], "name_fi"]
    return f"cities/{slug(name)}-{p['city']}"


SPECS: dict[str, NotebookSpec] = {
    spec.name: spec for spec in [
        NotebookSpec("city_profile", "cities", _validate_city, _city_path, identity=("city",),
                     accepts={"city": (str, int), "year": (int, str, type(None))}),
        NotebookSpec("partnership_profile", "partnerships", _validate_partnership,
                     lambda p: f"partnerships/{p['partnership']}", identity=("partnership",),
                     accepts={"year": (int, str, type(None))}),
        NotebookSpec("size_classes", "analyses", _validate_size_classes,
                     lambda p: "analyses/size-classes",
                     accepts={"year": (int, str, type(None)), "bounds": (list, str, tuple),
                              "highlight": (str, type(None))}),
        NotebookSpec("partnership_network", "analyses", _validate_network,
                     lambda p: "analyses/partnership-network",
                     accepts={"year": (int, str, type(None)), "partnerships": (list, str, type(None)),
                              "size_bounds": (list, str, tuple),
                              "highlight_city": (str, int, type(None))}),
    ]
}


def spec_for(notebook: Path) -> NotebookSpec:
    """The registered spec, or a generic one (any other notebook: an analysis reading all data)."""
    if notebook.stem in SPECS:
        return SPECS[notebook.stem]
    return NotebookSpec(notebook.stem, "analyses", dict,
                        lambda p, stem=notebook.stem: f"analyses/{slug(stem)}")


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
    # The notebook's own defaults, overlaid by the given values: the key then covers what
    # the kernel runs with, and PORI, Pori and 609 normalise to one report.
    full = {n: v for n, v in declared.items() if n not in PIPELINE_PARAMS}
    full.update(params)
    return spec.validate(full)


# ================================================================== jobs
@dataclass
class Job:
    notebook: Path
    params: dict  # normalised, defaults included: what the kernel runs with
    given: dict  # as given by the user: shown in the index
    lang: str
    rel: str  # HTML path inside the output folder, e.g. "en/cities/pori-609.html"
    group: str
    reason: str = ""
    key: str = ""

    @property
    def normalised(self) -> dict:
        return self.params

    @property
    def stem(self) -> str:
        """The report's path without language and suffix: pairs the fi and en versions."""
        return stem_of(self.rel, self.lang)

    @property
    def figures(self) -> str:
        return figures_of(self.stem, self.lang)


def stem_of(rel: str, lang: str) -> str:
    rel = rel.removeprefix(f"{lang}/") if lang != "fi" else rel
    return rel.removesuffix(".html")


def figures_of(stem: str, lang: str) -> str:
    prefix = "figures" if lang == "fi" else f"figures/{lang}"
    return f"{prefix}/{stem}"


# A file name longer than this (bytes) is shortened with a stable hash: most file systems
# allow 255, and the pipeline adds a suffix (.ipynb) and temporary-file decorations.
MAX_NAME_BYTES = 160


def _short_name(name: str) -> str:
    """``name`` itself, or its readable start plus a hash of the whole (stable across runs)."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return name.encode("utf-8")[:MAX_NAME_BYTES - 14].decode("utf-8", "ignore").rstrip("-") + f"--{digest}"


_NORMAL_DEFAULTS: dict[tuple, dict] = {}


def _normal_defaults(notebook: Path, spec: NotebookSpec) -> dict:
    # Keyed on the data too: a default such as year=None normalises to the latest year of
    # the data folder in use, which a refresh (or ANALYSIS_DATA_DIR) changes.
    folder = data.data_dir()
    key = (notebook, folder, data._fingerprint(folder))
    if key not in _NORMAL_DEFAULTS:
        defaults = {n: v for n, v in declared_parameters(notebook).items()
                    if n not in PIPELINE_PARAMS}
        try:
            _NORMAL_DEFAULTS[key] = spec.validate(defaults)
        except ParameterError:  # a default the checks refuse: compare raw values
            _NORMAL_DEFAULTS[key] = defaults
    return _NORMAL_DEFAULTS[key]


def _report_stem(notebook: Path, spec: NotebookSpec, normalised: dict) -> str:
    """Stable, readable name; parameters whose normalised value differs from the notebook's
    normalised default are spelled out (``analyses/size-classes--year-2010--bounds-20000-40000``),
    so equivalent spellings give one file. Too long a name is shortened with a hash."""
    stem = spec.path(normalised)
    defaults = _normal_defaults(notebook, spec)
    for name, value in normalised.items():
        if name in spec.identity or value == defaults.get(name):
            continue
        text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        stem += f"--{slug(name)}-{slug(text)}"
    folder, _, name = stem.rpartition("/")
    return f"{folder}/{_short_name(name)}" if folder else _short_name(name)


def check_langs(langs: Iterable[str]) -> list[str]:
    """Languages in the order given, each once; none at all is an error, not a silent no-op."""
    out = []
    for lang in langs:
        if isinstance(lang, str) and not lang.strip():
            continue  # "fi," or ""
        lang = check_lang(lang.strip() if isinstance(lang, str) else lang)
        if lang not in out:
            out.append(lang)
    if not out:
        raise ParameterError("--lang is empty; give fi, en or fi,en")
    return out


def make_jobs(notebook, params: dict, langs: Iterable[str] = LANGS_DEFAULT,
              reason: str = "") -> list[Job]:
    """One job per language for one notebook and its parameters (validated here)."""
    path = notebook_path(notebook)
    langs = check_langs(langs)
    normalised = validate(path, params)
    spec = spec_for(path)
    stem = _report_stem(path, spec, normalised)
    return [Job(path, _plain(normalised), dict(params), lang,
                f"{stem}.html" if lang == "fi" else f"{lang}/{stem}.html", spec.group, reason)
            for lang in langs]


def _plain(params: dict) -> dict:
    """JSON-able values (tuples as lists): what papermill writes into the notebook."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


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
@dataclass
class Context:
    """What every key of one run shares, computed once."""

    package: str
    commit: str  # as the footer shows it
    digests: "readset.Digests"
    with_code: bool = False

    @classmethod
    def now(cls, with_code: bool = False, data_dir=None) -> "Context":
        from .render_quick import git_state

        return cls(package_digest(), git_state(), readset.Digests(data_dir), with_code)


def base_key(job: Job, ctx: Context, langs: list[str]) -> str:
    """Everything but the data: notebook, normalised parameters (its defaults included),
    language, the languages linked from the page, package source (templates included), the
    commit shown in the footer, code shown or not. The data part is the read set."""
    parts = {"notebook": file_digest(job.notebook), "params": job.params, "lang": job.lang,
             "langs": sorted(langs), "package": ctx.package, "commit": ctx.commit,
             "with_code": ctx.with_code}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


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


# ================================================================== manifest
def _empty_manifest() -> dict:
    return {"version": 2, "reports": {}}


_ENTRY_FIELDS = {"status": str, "lang": str, "stem": str, "group": str}


def read_manifest(output: Path, warn: Callable[[str], None] | None = None) -> dict:
    """The manifest, or an empty one (with a warning) when it cannot be read or has the wrong
    shape: a damaged manifest costs a re-render, never a crash. Entries of the wrong shape
    or with a name the file system cannot hold are dropped one by one."""
    path = output / MANIFEST
    if not path.exists():
        return _empty_manifest()
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("reports"), dict):
            raise ValueError("not a manifest")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        if warn:
            warn(f"warning: {path} could not be read ({type(exc).__name__}); rebuilding it: "
                 "every report will render again")
        return _empty_manifest()
    good = {}
    for rel, entry in manifest["reports"].items():
        if (isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in _ENTRY_FIELDS.items())
                and all(len(part.encode()) <= 255 for part in Path(rel).parts)):
            good[rel] = entry
        elif warn:
            warn(f"warning: {path}: dropped the unreadable entry {rel[:80]!r}")
    manifest["reports"] = good
    return manifest


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


# ================================================================== status
STATUSES = ("ok", "stale", "failed", "extra")  # extra: was in the default set, is no more


def entry_status(rel: str, entry: dict, ctx: Context, default_rels: set[str] | None) -> tuple[str, str]:
    """(status, detail) of one manifest entry, computed afresh from the data on disk."""
    if entry.get("status") == "failed":
        return "failed", entry.get("error") or ""
    changed = what_changed(entry, ctx)
    if changed:
        return "stale", ", ".join(changed)
    # A report rendered on request (Pori in 2010) was never in the default set: it is not
    # "no longer" in it. Only what the default set once held and dropped is extra.
    if default_rels is not None and entry.get("in_default") and rel not in default_rels:
        return "extra", ""
    return "ok", ""


def refresh_statuses(manifest: dict, ctx: Context, default_rels: set[str] | None) -> None:
    """Write each entry's current status into the manifest (the index shows it)."""
    for rel, entry in manifest["reports"].items():
        if default_rels is not None and rel in default_rels:
            entry["in_default"] = True
        entry["state"], entry["state_detail"] = entry_status(rel, entry, ctx, default_rels)


def default_rels(all_municipalities: bool = False) -> set[str] | None:
    """The default set's files (None when the data cannot say: no 'extra' status then)."""
    try:
        return {job.rel for job in default_jobs(LANGS_DEFAULT, all_municipalities)}
    except (ParameterError, LookupError, data.DataValidationError, OSError):
        return None


def stale_jobs(output: Path, ctx: Context | None = None) -> list[Job]:
    """Jobs for exactly the reports in ``output`` whose inputs changed (``--stale``)."""
    ctx = ctx or Context.now()
    jobs = []
    for rel, entry in read_manifest(output)["reports"].items():
        if entry.get("status") == "failed" or not what_changed(entry, ctx):
            continue
        notebook = Path(entry.get("notebook_path", ""))
        if not notebook.is_file():
            continue  # nothing to render it from: --prune removes it
        # as the user gave them (the index shows these); they normalise to the same file
        [job] = make_jobs(notebook, entry.get("given", entry.get("params")) or {}, [entry["lang"]],
                          reason=entry.get("reason", ""))
        jobs.append(job)
    return jobs


def prune(output: Path, default_set: set[str]) -> list[str]:
    """Remove every report the default set held once and holds no more (HTML, figures,
    executed notebooks, manifest entry). Reports rendered on request stay."""
    manifest = read_manifest(output)
    removed = []
    for rel in sorted(set(manifest["reports"])):
        entry = manifest["reports"][rel]
        if not entry.get("in_default") or rel in default_set:
            continue
        del manifest["reports"][rel]
        _remove_report(output, rel, entry["lang"])
        removed.append(rel)
    manifest.pop(render_quick.FIELD, None)  # the next run checks in full
    write_manifest(output, manifest)
    from . import render_index

    render_index.write(output, manifest)
    return removed


def _remove_report(output: Path, rel: str, lang: str) -> None:
    import shutil

    from .render_worker import FAILED

    for path in (output / rel, (output / rel).with_suffix(".ipynb"),
                 output / FAILED / Path(rel).with_suffix(".ipynb")):
        path.unlink(missing_ok=True)
    shutil.rmtree(output / figures_of(stem_of(rel, lang), lang), ignore_errors=True)


# ================================================================== the folder
class FolderBusy(RuntimeError):
    """Another render holds the output folder."""


LOCK = render_quick.LOCK


def lock_folder(output: Path, wait: bool = False):
    """An exclusive lock on the output folder for this process's life (released by the OS
    even on SIGKILL). A second render into the same folder exits with one line, or waits."""
    import fcntl

    handle = open(output / LOCK, "a+")  # noqa: SIM115 - held until the process ends
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        handle.close()
        raise FolderBusy(f"another analysis render is writing into {output}; wait for it "
                         "to finish (or use --wait)") from None
    return handle


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
    import shutil

    from .render_worker import STAGING

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
    """Links from a report to the index and to its other-language versions."""
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


def _langs_of(jobs: list[Job], manifest: dict, output: Path) -> dict[str, list[str]]:
    """stem -> languages a page links to: those rendered now and those already on disk."""
    out: dict[str, set[str]] = {}
    for job in jobs:
        out.setdefault(job.stem, set()).add(job.lang)
    for rel, entry in manifest["reports"].items():
        if entry["stem"] in out and entry.get("status") == "ok" and (output / rel).exists():
            out[entry["stem"]].add(entry["lang"])
    return {stem: sorted(l, key=lambda x: (x != "fi", x)) for stem, l in out.items()}


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
    leaves them all up to date records its fingerprint (:mod:`analysis.render_quick`).
    """
    import signal
    import sys

    from tqdm import tqdm

    from . import render_index

    warn = warn or (lambda message: print(message, file=sys.stderr))
    output = check_output(output)
    output.mkdir(parents=True, exist_ok=True)
    lock = lock_folder(output, wait)
    ctx = Context.now(with_code)
    if default_set is True:
        default_set = default_rels()
    manifest = read_manifest(output, warn)
    # Taken before anything is read: a file changed during the run changes the next print.
    manifest.pop(render_quick.FIELD, None)
    print_ = (render_quick.fingerprint(quick_options, ctx.package, ctx.commit)
              if quick_options is not None else None)
    recover(output, manifest)
    refresh_statuses(manifest, ctx, default_set)
    render_index.write(output, manifest)
    todo, unchanged = plan(jobs, output, force, with_code, ctx=ctx, manifest=manifest)
    outcomes = [Outcome(job, "unchanged") for job in unchanged]
    langs_of = _langs_of(jobs, manifest, output)
    for job in unchanged:  # reason may be new even when the HTML is not
        manifest["reports"][job.rel].update(reason=job.reason, group=job.group)

    if todo:
        try:
            check_worker_data()
        except BaseException:
            lock.close()
            raise
    n_workers = max(1, min(n_workers or max_workers(), max_workers(), len(todo) or 1))
    bar = tqdm(total=len(jobs), initial=len(unchanged), unit="report", disable=not progress,
               dynamic_ncols=True)
    interrupted = False

    def on_term(signum, frame):  # SIGTERM (timeout, CI cancel, systemctl stop) = Ctrl-C
        raise KeyboardInterrupt

    previous_term = signal.signal(signal.SIGTERM, on_term) if _main_thread() else None
    try:
        if todo:
            payloads = [{"notebook": str(job.notebook), "params": job.params, "lang": job.lang,
                         "rel": job.rel, "figures": job.figures, "with_code": with_code,
                         "keep_ipynb": keep_ipynb, "nav": _nav(job, langs_of[job.stem])}
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
        render_index.write(output, manifest)
        lock.close()
    order = {job.rel: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.job.rel, 0))
    return Summary(outcomes, output, interrupted)


def check_worker_data() -> None:
    """Read what every worker loads at start (tables and boundaries), so that a broken
    data file is one DataValidationError here rather than workers failing to start."""
    from .paths import BOUNDARIES_FILE

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
             worker_init=None) -> bool:
    """Run the payloads on a pool of warm workers; True when interrupted.

    A worker that cannot start (a kernel port collision, a broken data file) breaks the
    pool: the reports it had not finished are retried on a new pool, up to
    WORKER_START_ATTEMPTS times; reports already written keep their result."""
    import shutil
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from .render_worker import STAGING, init_process, run_job

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
            except KeyboardInterrupt:
                bar.write("interrupted: finishing the reports already running, skipping the rest")
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
                return True
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            remaining = broken
        for payload in remaining:  # the workers never started: say why, keep old pages
            result = {"rel": payload["rel"], "status": "failed", "seconds": 0.0,
                      "error": last_error or "render worker failed"}
            outcomes.append(_record(manifest, by_rel[payload["rel"]], result, ctx))
            bar.update(1)
        return False
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
    from .render_quick import SUMMARY_HEADER, summary_line, summary_row

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
    """What ``--list`` prints: each report, whether it would render or is unchanged, and why."""
    output = check_output(output)
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
