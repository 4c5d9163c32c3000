"""Finnish urban policy: municipalities, size classes and state–city partnerships.

Modules, one idea each:

- ``paths``     where things live (project root, data, notebooks, reports)
- ``raw``       the official inputs in data/raw and their sidecars; ``pxweb`` reads PxWeb responses
- ``build``     rebuilds the committed data snapshot from data/raw and data/curated
- ``refresh``   newer figures from Statistics Finland's PxWeb API into data/raw, all or nothing
- ``schemas``   the declared schema of every table (pandera)
- ``data``      loads and validates the snapshot; the only door to the tables
- ``names``     resolves a municipality from any name, Swedish name or code
- ``sizeclass`` population size classes, class history, claim checks
- ``network``   the city–partnership graph, projections, coverage, export
- ``style``     house style for figures; ``i18n`` the translation table and number formats
- ``report``    what a notebook shows: Markdown, figures and tables with exported files, footer
- ``params``    checks of notebook parameters (shared by notebooks and ``analysis render``)
- ``provenance`` the Data Package descriptor: sources, licences, what the build did
- ``render``    papermill/nbclient report pipeline; ``cli`` the ``analysis`` command
"""

__version__ = "0.1.0"
# The municipal division and the number of municipalities are facts of the data, not of
# the code: ``provenance.division()`` and ``provenance.municipality_count()`` read them from
# data/datapackage.json.
