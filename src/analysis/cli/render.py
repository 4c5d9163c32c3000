"""``analysis render``: notebooks into HTML reports (see :mod:`analysis.render`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from analysis.cli.app import app
from analysis.core import paths
from analysis.core.errors import ParameterError


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
    output: Optional[str] = typer.Option(None, "--output", help="Output folder (default: "
                                         "reports/ of the project)."),
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
    lang: str = typer.Option("fi,en", "--lang", help="Languages, comma-separated: fi, en, sv."),
    all_municipalities: bool = typer.Option(
        False, "--all-municipalities", help="Add a profile of every municipality of the division."),
    svg: bool = typer.Option(
        False, "--svg", help="With --all-municipalities, write SVG files for the added profiles "
        "too (they get PNG, CSV and XLSX; the default set always has SVG)."),
) -> None:
    """Render notebooks into HTML reports with an index (incremental: unchanged reports are skipped)."""
    default_run = notebook is None and not (ctx.args or parameters_file or list_only or stale
                                            or prune)
    if output is not None and not output.strip():
        raise ParameterError("--output is empty; give a folder, e.g. --output reports")
    output = Path(output) if output is not None else paths.REPORTS_DIR
    # The default set with the options of a run that left it all up to date, and nothing
    # changed since: answered from fingerprints, before pandas is even imported.
    folder = output.resolve()
    from analysis.render import quick as render_quick  # the standard library only

    quick_options = render_quick.options(folder, lang, with_code, keep_ipynb,
                                         all_municipalities, svg)
    if default_run and not force:
        done = render_quick.unchanged(folder, quick_options)
        if done is not None:
            typer.echo(render_quick.summary(done, folder))
            raise typer.Exit(0)
    from analysis import render

    def say(message: str) -> None:
        typer.echo(message, err=True)

    # Everything is validated before any kernel starts or any file is written; data errors
    # (a broken snapshot) and OSErrors (a full disk, a folder made read-only mid-run) are one
    # line too (the command's error path: analysis.cli.app).
    output = render.check_output(output)
    langs = render.check_langs(lang.split(","))
    params: dict = {}
    if parameters_file is not None:
        params.update(render.load_parameters_file(parameters_file))
    params.update(_pairs(ctx.args))
    if (stale or prune) and (notebook or params):
        raise ParameterError("--stale and --prune work on the whole folder; give no NOTEBOOK")
    if jobs is not None and jobs > render.max_workers():
        typer.echo(f"--jobs {jobs}: this machine has {render.max_workers()} cores; "
                   f"using {render.max_workers()}", err=True)
        jobs = render.max_workers()
    default_set = render.default_rels(all_municipalities)
    if (stale or prune) and not output.is_dir():
        typer.echo(f"{output} holds no reports; nothing to do")
        return
    if stale:
        job_list = render.stale_jobs(output)
    elif prune:
        job_list = []
    elif notebook is None:
        if params:
            raise ParameterError("-p/-y need a NOTEBOOK; the default set uses each "
                                 "notebook's own parameters")
        job_list = render.default_jobs(langs, all_municipalities, svg=svg)
    else:
        job_list = render.with_linked(render.make_jobs(notebook, params, langs))
    if list_only:
        typer.echo(render.describe(job_list, output, force, with_code))
        return
    if prune:
        output.mkdir(parents=True, exist_ok=True)
        lock = render.lock_folder(output, wait, say)
        removed = render.prune(output, default_set or set(), say)
        lock.close()
        for rel in removed:
            typer.echo(f"removed {rel}")
        typer.echo(f"{len(removed)} reports removed")
        return
    summary = render.run(job_list, output, jobs, force=force, with_code=with_code,
                         keep_ipynb=keep_ipynb, default_set=default_set, wait=wait,
                         warn=say, quick_options=quick_options if default_run else None)
    typer.echo(render.summary_table(summary))
    raise typer.Exit(summary.exit_code)


def _pairs(args: list[str]) -> dict:
    """``-p NAME VALUE`` pairs (typer cannot declare a repeatable two-value option)."""
    from analysis.render import parse_value

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
