"""Finnish urban policy: municipalities, size classes and state–city partnerships.

The package's folders are its layers, each importing only the ones below it (a contract
in ``pyproject.toml`` that ``make test`` checks):

- ``cli``       the ``analysis`` command
- ``render``    notebooks into the HTML report site
- ``present``   words, numbers formatted, figures, the explorer
- ``ingest``    raw inputs, the build of the snapshot, the refresh from the PxWeb API
- ``analyses``  size classes, claims, the network, profiles, peers: data in, data out
- ``data``      the snapshot's read side: tables, schemas, provenance, names, read sets
- ``core``      paths, errors, languages, files: no other layer

For analysts: ``analysis.data`` (every table), ``analysis.tables`` (tidy tables with
names fi/sv/en) and ``analysis.names`` (resolve any name or code). After ``import
analysis`` each of these is an attribute, imported on first use, so ``import analysis``
stays cheap (no pandas, no data read).
"""

__version__ = "0.1.0"

import importlib as _importlib

# Loaded on first attribute access (PEP 562).
_MODULES = frozenset({"core", "data", "ingest", "analyses", "present", "render", "cli",
                      "tables", "names"})


def __getattr__(name: str):
    if name in _MODULES:
        module = _importlib.import_module(f".{name}", __name__)
        globals()[name] = module  # later lookups skip __getattr__
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _MODULES)
