"""``analysis data build | check | refresh``: the snapshot's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from analysis.cli.app import Terminated, data_app, error
from analysis.core import paths


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
    from analysis.core.files import lock
    from analysis.ingest.build import build_snapshot, remove_leftovers
    from analysis.ingest.refresh import DATA_LOCK

    output.mkdir(parents=True, exist_ok=True)
    with lock(output, DATA_LOCK, "analysis data refresh or build"):
        remove_leftovers(output)  # of a build killed before its end; none runs but ours
        package = build_snapshot(raw_dir, output, sources_dir=sources_dir)
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
    from analysis.data import check

    summary = check(data_dir, sources_dir=sources_dir)
    for key, value in summary.items():
        typer.echo(f"{key:<22} {value}")
    typer.echo("snapshot valid")


@data_app.command("refresh")
def data_refresh(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what is newer; fetch nothing else."),
    table: Optional[list[str]] = typer.Option(
        None, "--table", help="Only this table id (repeatable), e.g. --table 11re --table 12r5."),
    base_url: Optional[str] = typer.Option(
        None, "--base-url", help="PxWeb v1 database URL, e.g. a mirror or proxy "
                                 "(default: Statistics Finland's StatFin)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, max=86400.0,
                                  help="Seconds to wait for each call (at most a day)."),
    data_dir: Optional[Path] = typer.Option(None, help="Snapshot folder (default: data/)."),
    history: bool = typer.Option(False, "--history", help="Ask each table for every period it "
                                 "offers that data/raw/pxweb does not hold (whole series), not "
                                 "only the newer ones."),
) -> None:
    """Bring newer official figures from Statistics Finland's PxWeb API (all or nothing)."""
    from analysis.ingest import refresh as rf

    folder = paths.data_dir(data_dir)
    client = rf.PxWebClient(base_url or rf.DEFAULT_BASE_URL, timeout=timeout)
    try:
        result = rf.refresh(folder, client, tables=table, dry_run=dry_run,
                            echo=lambda line: typer.echo(line, err=True), history=history)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the refresh removed its staging
        terminated = isinstance(exc, Terminated)
        error(f"{'terminated' if terminated else 'interrupted'}; {folder.name}/ unchanged")
        raise typer.Exit(143 if terminated else 130) from None
    if result.changed and folder == paths.data_dir():  # reports read the default data folder
        result.stale_reports = _stale_reports(folder)
    typer.echo(rf.summary(result))


def _stale_reports(folder: Path) -> list[str] | None:
    """Reports the refreshed data makes stale (``analysis render`` re-renders them), if
    that can be computed; a courtesy, never a reason to fail a finished refresh."""
    try:
        from analysis import render

        todo, _ = render.plan(render.default_jobs(), paths.REPORTS_DIR, data_dir=folder)
        return [job.rel for job in todo]
    except Exception:  # noqa: BLE001
        return None
