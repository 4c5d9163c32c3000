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
- ``profiles``  city and partnership profiles; ``peers`` comparisons with class peers
- ``present``   each report's sentences, tables and captions (the analyses above return data only)
- ``style``     house style for figures; ``i18n`` the translation table and number formats
- ``report``    what a notebook shows: Markdown, figures and tables with exported files, footer
- ``exports``   table files for office suites: CSV with BOM, XLSX with number formats
- ``params``    checks of notebook parameters (shared by notebooks and ``analysis render``)
- ``provenance`` the Data Package descriptor: sources, licences, what the build did
- ``render``    papermill/nbclient report pipeline; ``cli`` the ``analysis`` command
- ``tables``    tidy accessors for analysts: codes and fi/sv/en names side by side
- ``explore``   the widgets and views of notebooks/explore.ipynb

After ``import analysis`` every module above is an attribute (``analysis.tables``,
``analysis.sizeclass``, …), imported on first use, so ``import analysis`` stays cheap.
"""

__version__ = "0.1.0"
# The municipal division and the number of municipalities are facts of the data, not of
# the code: ``provenance.division()`` and ``provenance.municipality_count()`` read them from
# data/datapackage.json.

import importlib as _importlib

# Loaded on first attribute access (PEP 562): importing the package reads no data and pulls
# in neither pandas nor matplotlib, and no submodule imports the package's namespace back.
_MODULES = frozenset({
    "paths", "raw", "pxweb", "build", "schemas", "data", "names", "sizeclass", "network",
    "style", "i18n", "report", "params", "provenance", "render", "cli", "tables", "explore",
    "profiles", "findings", "plots", "exports", "present", "peers",
})


def __getattr__(name: str):
    if name in _MODULES:
        module = _importlib.import_module(f".{name}", __name__)
        globals()[name] = module  # later lookups skip __getattr__
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _MODULES)
