"""The render layer: ``analysis render`` turns parameterised notebooks into a folder of
offline HTML reports with a front page and a status page, fast (warm kernels in parallel
workers), incremental (keys from what each report read) and failure-safe (atomic writes,
failed reports keep their previous page).

    from analysis import render
    jobs = render.default_jobs(langs=("fi", "en"))       # or render.make_jobs("city_profile", {...})
    summary = render.run(jobs, output=paths.REPORTS_DIR, n_workers=2)

Steps, in this order, so that bad input never costs a kernel or a file:

1. **Validate** every job's parameters (:mod:`.notebooks`): names against the notebook's
   ``parameters`` cell, types, then values with the report's parameter object
   (:mod:`analysis.analyses.params`), the same checks the notebook runs.
2. **Lock** the output folder and tidy what an interrupted run left (:mod:`.folder`),
   compute every manifest entry's status afresh (:mod:`.manifest`), write the index
   (:mod:`.index`).
3. **Key** each job (:mod:`.keys`) and skip those whose key and read set are unchanged.
4. **Execute and export** the rest in worker processes with one warm kernel each
   (:mod:`.pool`, :mod:`.worker`).
5. **Record** each result in the manifest and write the index at the end (also after
   Ctrl-C or SIGTERM). With nothing to do, :mod:`.quick` answers before pandas is imported.

Modules: :mod:`.notebooks` (registry, parameters), :mod:`.jobs` (jobs, file names, the
default set), :mod:`.keys`, :mod:`.manifest`, :mod:`.folder`, :mod:`.pool` (the run),
:mod:`.worker` (one warm kernel), :mod:`.index` (the front and status pages), :mod:`.quick`.
"""

# The public names of the render layer, imported on first use (PEP 562): `analysis render`
# with nothing to do imports only :mod:`.quick`, and a kernel only :mod:`.worker`.
_EXPORTS = {
    "FolderBusy": "folder",
    "check_output": "folder",
    "lock_folder": "folder",
    "recover": "folder",
    "LANGS_DEFAULT": "jobs",
    "Job": "jobs",
    "check_langs": "jobs",
    "default_jobs": "jobs",
    "figures_of": "jobs",
    "linked_href": "jobs",
    "make_jobs": "jobs",
    "profile_cities": "jobs",
    "stem_of": "jobs",
    "with_linked": "jobs",
    "Context": "keys",
    "Digests": "keys",
    "base_key": "keys",
    "what_changed": "keys",
    "MANIFEST": "manifest",
    "entry_status": "manifest",
    "default_rels": "manifest",
    "prune": "manifest",
    "read_manifest": "manifest",
    "refresh_statuses": "manifest",
    "stale_jobs": "manifest",
    "write_manifest": "manifest",
    "PIPELINE_PARAMS": "notebooks",
    "SPECS": "notebooks",
    "declared_parameters": "notebooks",
    "load_parameters_file": "notebooks",
    "notebook_path": "notebooks",
    "parse_value": "notebooks",
    "spec_for": "notebooks",
    "validate": "notebooks",
    "Outcome": "pool",
    "Summary": "pool",
    "check_worker_data": "pool",
    "describe": "pool",
    "max_workers": "pool",
    "plan": "pool",
    "run": "pool",
    "summary_table": "pool",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
