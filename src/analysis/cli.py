"""The ``analysis`` command: one entry point, a sub-command per task.

    analysis data build     rebuild data/ from data/raw and data/curated (no network, no ../shared)
    analysis data check     validate the snapshot (schemas, rows, checksums), print a summary
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import paths

app = typer.Typer(help="Finnish urban policy analysis: data, size classes, networks, reports.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
data_app = typer.Typer(help="Build and check the committed data snapshot.", no_args_is_help=True)
app.add_typer(data_app, name="data")
network_app = typer.Typer(help="The city–partnership network (graph, export).", no_args_is_help=True)
app.add_typer(network_app, name="network")


def fail(message: str, code: int = 2) -> None:
    """Print a one-line (or short) error and exit non-zero, no traceback."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@data_app.command("build")
def data_build(
    output: Path = typer.Option(paths.DATA_DIR, help="The data folder to rebuild (its raw/ and "
                                "curated/ are the inputs)."),
    raw_dir: Optional[Path] = typer.Option(None, "--raw", help="Raw inputs (default: OUTPUT/raw)."),
    sources_dir: Optional[Path] = typer.Option(
        None, help="Folder of the source documents, to check the memberships' evidence "
                   "(default: ../shared/sources beside the project, where it exists)."),
) -> None:
    """Rebuild every table of the snapshot from data/raw and data/curated (deterministic)."""
    from .build import BuildError, build_snapshot

    try:
        package = build_snapshot(raw_dir, output, sources_dir=sources_dir)
    except BuildError as exc:
        fail(str(exc))
    for res in package["resources"]:
        typer.echo(f"{res['path']:<24} {res['rows']:>6} rows")
        for step in res.get("transformations", []):
            typer.echo(f"    - {step}")
    typer.echo(f"wrote {output}")


@data_app.command("check")
def data_check(
    data_dir: Optional[Path] = typer.Option(None, help="Snapshot folder (default: data/)."),
    sources_dir: Optional[Path] = typer.Option(
        None, "--sources", help="Also check every membership's evidence against the source "
                                "documents in this folder."),
) -> None:
    """Validate the snapshot (schemas, row counts, checksums) and print a summary."""
    from .data import DataValidationError, check

    try:
        summary = check(data_dir, sources_dir=sources_dir)
    except DataValidationError as exc:
        fail(str(exc))
    for key, value in summary.items():
        typer.echo(f"{key:<22} {value}")
    typer.echo("snapshot valid")


# ------------------------------------------------------------------ refresh (issue 13)
@data_app.command("refresh")
def data_refresh(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what is newer; fetch nothing else."),
    table: Optional[list[str]] = typer.Option(
        None, "--table", help="Only this table id (repeatable), e.g. --table 11re --table 12r5."),
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="PxWeb v1 database URL, e.g. a mirror or proxy "
                                 "(default: Statistics Finland's StatFin)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Seconds to wait for each call."),
    data_dir: Optional[Path] = typer.Option(None, help="Snapshot folder (default: data/)."),
) -> None:
    """Bring newer official figures from Statistics Finland's PxWeb API (all or nothing)."""
    from . import refresh as rf

    folder = paths.data_dir(data_dir)
    client = rf.PxWebClient(base_url or rf.DEFAULT_BASE_URL, timeout=timeout)
    try:
        result = rf.refresh(folder, client, tables=table, dry_run=dry_run,
                            echo=lambda line: typer.echo(line, err=True))
    except rf.RefreshError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; data/ unchanged", code=130)
    if result.changed and folder == paths.data_dir():  # reports read the default data folder
        result.stale_reports = rf.stale_reports(folder, paths.REPORTS_DIR)
    typer.echo(rf.summary(result))


@app.command("findings")
def findings_command(
    write: Optional[Path] = typer.Option(None, "--write", help="Replace the findings block of "
                                         "this file (README.md) instead of printing it."),
) -> None:
    """README's findings, computed from the data (the block README cites)."""
    from . import findings
    from .data import DataValidationError

    try:
        if write:
            findings.write(write)
            typer.echo(f"wrote the findings block of {write}")
        else:
            typer.echo(findings.markdown())
    except (DataValidationError, ValueError) as exc:
        fail(str(exc))


# ------------------------------------------------------------------ network (issue 5)
# `analysis network export FILE` is defined below this line.
@network_app.command("export")
def network_export(
    file: Path = typer.Argument(..., help="Output file: .graphml, .gexf, or .csv (writes "
                                "FILE_nodes.csv and FILE_edges.csv)."),
    year: Optional[int] = typer.Option(None, help="Population year of the node attributes "
                                       "(default: the latest)."),
    partnerships: str = typer.Option("all", help="Partnership ids, comma-separated."),
) -> None:
    """Write the city–partnership graph for Gephi, Cytoscape or a spreadsheet."""
    from . import network
    from .data import DataValidationError
    from .params import ParameterError

    try:
        if file.suffix.lower() not in network.EXPORT_FORMATS:
            raise ParameterError(f"cannot export to {file.name!r}; the file name must end in "
                                 f"{', '.join(network.EXPORT_FORMATS)}")
        graph = network.bipartite_graph(year=year, partnerships=partnerships)
        written = network.export(graph, file)
    except (ParameterError, DataValidationError) as exc:
        fail(str(exc).strip().splitlines()[0])
    except OSError as exc:  # the folder does not exist, is not writable, the disk is full
        fail(f"cannot write {file}: {exc.strerror or exc}")
    cities = len(network.city_nodes(graph))
    typer.echo(f"{cities} municipalities, {len(network.partnership_nodes(graph))} partnerships, "
               f"{graph.number_of_edges()} memberships (population {graph.graph['year']})")
    for path in written:
        typer.echo(f"wrote {path}")


# ------------------------------------------------------------------ render (issue 8)
# `analysis render` is defined below this line.
@app.command("render", context_settings={"allow_extra_args": True,
                                         "ignore_unknown_options": True})
def render_command(
    ctx: typer.Context,
    notebook: Optional[str] = typer.Argument(
        None, help="Render one notebook (name or path); default: the whole default set. "
                   "Parameters follow it as -p NAME VALUE (read like papermill: numbers, "
                   "True/None, [lists]); repeat -p for more."),
    parameters_file: Optional[Path] = typer.Option(
        None, "-y", "--parameters-file", help="YAML file of parameters, like papermill's -f."),
    list_only: bool = typer.Option(False, "--list", help="Print what would be rendered and why."),
    output: Path = typer.Option(paths.REPORTS_DIR, "--output", help="Output folder."),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1,
                                       help="Parallel workers (default and maximum: cores)."),
    force: bool = typer.Option(False, "--force", help="Render even when nothing changed."),
    stale: bool = typer.Option(False, "--stale", help="Render exactly the reports in the "
                               "folder whose inputs changed."),
    prune: bool = typer.Option(False, "--prune", help="Remove the reports the default set "
                               "no longer holds."),
    wait: bool = typer.Option(False, "--wait", help="If another render holds the folder, "
                              "wait for it instead of exiting."),
    with_code: bool = typer.Option(False, "--with-code", help="Show the code cells in the HTML."),
    keep_ipynb: bool = typer.Option(False, "--keep-ipynb", help="Keep executed notebooks beside the HTML."),
    lang: str = typer.Option("fi,en", "--lang", help="Languages, comma-separated."),
    all_municipalities: bool = typer.Option(
        False, "--all-municipalities", help="Add a profile of every municipality of the division."),
) -> None:
    """Render notebooks into HTML reports with an index (incremental: unchanged reports are skipped)."""
    default_run = notebook is None and not (ctx.args or parameters_file or list_only or stale
                                            or prune)
    # The default set with the options of a run that left it all up to date, and nothing
    # changed since: answered from fingerprints, before pandas is even imported.
    folder = output.resolve()
    quick_options = {"output": str(folder), "lang": lang, "with_code": with_code,
                     "keep_ipynb": keep_ipynb, "all_municipalities": all_municipalities}
    if default_run and not force:
        from . import render_quick

        done = render_quick.unchanged(folder, quick_options)
        if done is not None:
            typer.echo(render_quick.summary(done, folder))
            raise typer.Exit(0)
    from . import render
    from .data import DataValidationError
    from .params import ParameterError, load_parameters_file

    # Everything is validated before any kernel starts or any file is written; data errors
    # (a broken snapshot) are one line too.
    try:
        output = render.check_output(output)
        langs = render.check_langs(lang.split(","))
        params: dict = {}
        if parameters_file is not None:
            params.update(load_parameters_file(parameters_file))
        params.update(_pairs(ctx.args))
        if (stale or prune) and (notebook or params):
            raise ParameterError("--stale and --prune work on the whole folder; give no NOTEBOOK")
        if jobs is not None and jobs > render.max_workers():
            typer.echo(f"--jobs {jobs}: this machine has {render.max_workers()} cores; "
                       f"using {render.max_workers()}", err=True)
            jobs = render.max_workers()
        default_set = render.default_rels(all_municipalities)
        if stale:
            job_list = render.stale_jobs(output)
        elif prune:
            job_list = []
        elif notebook is None:
            if params:
                raise ParameterError("-p/-y need a NOTEBOOK; the default set uses each "
                                     "notebook's own parameters")
            job_list = render.default_jobs(langs, all_municipalities)
        else:
            job_list = render.make_jobs(notebook, params, langs)
        if list_only:
            typer.echo(render.describe(job_list, output, force, with_code))
            return
        if prune:
            output.mkdir(parents=True, exist_ok=True)
            lock = render.lock_folder(output, wait)
            removed = render.prune(output, default_set or set())
            lock.close()
            for rel in removed:
                typer.echo(f"removed {rel}")
            typer.echo(f"{len(removed)} reports removed")
            return
        summary = render.run(job_list, output, jobs, force=force, with_code=with_code,
                             keep_ipynb=keep_ipynb, default_set=default_set, wait=wait,
                             warn=lambda message: typer.echo(message, err=True),
                             quick_options=quick_options if default_run else None)
    except (ParameterError, LookupError, DataValidationError, render.FolderBusy) as exc:
        fail(str(exc).strip().splitlines()[0] if isinstance(exc, DataValidationError) else str(exc))
    except OSError as exc:  # a full disk, a folder made read-only mid-run
        fail(f"{exc.strerror or exc}: {exc.filename or output}")
    typer.echo(render.summary_table(summary))
    raise typer.Exit(summary.exit_code)


def _pairs(args: list[str]) -> dict:
    """``-p NAME VALUE`` pairs (typer cannot declare a repeatable two-value option)."""
    from .params import ParameterError
    from .render import parse_value

    params, rest = {}, list(args)
    while rest:
        flag = rest.pop(0)
        if flag not in ("-p", "--parameter"):
            raise ParameterError(f"unexpected argument {flag!r}; parameters go as -p NAME VALUE")
        if len(rest) < 2:
            raise ParameterError(f"{flag} needs a NAME and a VALUE")
        name, value = rest.pop(0), rest.pop(0)
        params[name] = parse_value(value)
    return params


def main() -> None:
    """The ``analysis`` command. A missing data folder (an installed copy without
    ANALYSIS_DATA_DIR) can surface in any sub-command: one line for all of them."""
    try:
        app()
    except paths.DataNotFoundError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
