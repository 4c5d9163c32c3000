"""The ``analysis`` command: one entry point, a sub-command per task.

    analysis data build --source ../shared/reference   rebuild data/ from the reference files
    analysis data check                                validate the snapshot, print a summary
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
    source: Path = typer.Option(paths.REFERENCE_DIR, help="Folder of the official reference files."),
    output: Path = typer.Option(paths.DATA_DIR, help="Where to write the snapshot."),
    sources_dir: Optional[Path] = typer.Option(
        None, help="Folder of the source documents (default: 'sources' beside --source)."),
) -> None:
    """Rebuild every table of the snapshot from the reference files (deterministic)."""
    from .build import BuildError, build_snapshot

    try:
        package = build_snapshot(source, output, sources_dir=sources_dir)
    except BuildError as exc:
        fail(str(exc))
    for res in package["resources"]:
        typer.echo(f"{res['path']:<20} {res['rows']:>6} rows")
        for step in res.get("transformations", []):
            typer.echo(f"    - {step}")
    typer.echo(f"wrote {output}")


@data_app.command("check")
def data_check(
    data_dir: Optional[Path] = typer.Option(None, help="Snapshot folder (default: data/)."),
) -> None:
    """Validate the snapshot against its schemas and print a summary."""
    from .data import DataValidationError, check

    try:
        summary = check(data_dir)
    except DataValidationError as exc:
        fail(str(exc))
    for key, value in summary.items():
        typer.echo(f"{key:<18} {value}")
    typer.echo("snapshot valid")


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
    from .params import ParameterError

    try:
        if file.suffix.lower() not in network.EXPORT_FORMATS:
            raise ParameterError(f"cannot export to {file.name!r}; the file name must end in "
                                 f"{', '.join(network.EXPORT_FORMATS)}")
        graph = network.bipartite_graph(year=year, partnerships=partnerships)
        written = network.export(graph, file)
    except ParameterError as exc:
        fail(str(exc))
    cities = len(network.city_nodes(graph))
    typer.echo(f"{cities} municipalities, {len(network.partnership_nodes(graph))} partnerships, "
               f"{graph.number_of_edges()} memberships (population {graph.graph['year']})")
    for path in written:
        typer.echo(f"wrote {path}")




# ------------------------------------------------------------------ render (issue 8)
# `analysis render` is defined below this line.


if __name__ == "__main__":
    app()
