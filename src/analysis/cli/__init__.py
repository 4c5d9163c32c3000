"""The ``analysis`` command: one entry point, a sub-command per task.

    analysis data build      rebuild data/ from data/raw and data/curated (no network)
    analysis data check      validate the snapshot (schemas, rows, checksums), print a summary
    analysis data refresh    newer figures from Statistics Finland's PxWeb API, all or nothing
    analysis render          notebooks into the HTML report site
    analysis network export  the city–partnership graph for Gephi, Cytoscape or a spreadsheet
    analysis findings        README's findings, computed from the data

Every command shares one error path (:class:`analysis.cli.app.OneLineErrors`): a problem the user
can fix is one line ``error: …`` and exit code 2.
"""

from __future__ import annotations

from analysis.cli import data, misc, render  # noqa: F401 - registers the commands
from analysis.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The ``analysis`` console script."""
    app()


if __name__ == "__main__":
    main()
