"""``analysis findings`` and ``analysis network export``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from analysis.cli.app import app, fail, network_app


@app.command("findings")
def findings_command(
    write: Optional[Path] = typer.Option(None, "--write", help="Replace the findings block of "
                                         "this file (README.md) instead of printing it."),
) -> None:
    """README's findings, computed from the data (the block README cites)."""
    from analysis.present import findings

    if write:
        findings.write(write)
        typer.echo(f"wrote the findings block of {write}")
    else:
        typer.echo(findings.markdown())


@network_app.command("export")
def network_export(
    file: Path = typer.Argument(..., help="Output file: .graphml, .gexf, or .csv (writes "
                                "FILE_nodes.csv and FILE_edges.csv)."),
    year: Optional[int] = typer.Option(None, help="Population year of the node attributes "
                                       "(default: the latest)."),
    partnerships: str = typer.Option("all", help="Partnership ids, comma-separated."),
) -> None:
    """Write the city–partnership graph for Gephi, Cytoscape or a spreadsheet."""
    from analysis.analyses import network
    from analysis.core.errors import ParameterError
    from analysis.present.text.network import labelled

    if file.suffix.lower() not in network.EXPORT_FORMATS:
        raise ParameterError(f"cannot export to {file.name!r}; the file name must end in "
                             f"{', '.join(network.EXPORT_FORMATS)}")
    graph = labelled(network.bipartite_graph(year=year, partnerships=partnerships))
    try:
        written = network.export(graph, file)
    except OSError as exc:  # the folder does not exist, is not writable, the disk is full
        fail(f"cannot write {file}: {exc.strerror or exc}")
    cities = len(network.city_nodes(graph))
    typer.echo(f"{cities} municipalities, {len(network.partnership_nodes(graph))} partnerships, "
               f"{graph.number_of_edges()} memberships (population {graph.graph['year']})")
    for path in written:
        typer.echo(f"wrote {path}")
