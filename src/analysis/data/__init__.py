"""The data layer: the committed snapshot's read side.

``analysis.data`` itself is the door analysts and reports use: every table of the
snapshot as a validated DataFrame (a fresh copy each call), noted in the read set of the
report that reads it.

    from analysis import data
    data.population(); data.municipalities(); data.boundaries()    # EPSG:3067
    data.jobs(); data.commuting(); data.unemployment()             # series by year / month
    data.similar(); data.similarity_measures()                     # similar municipalities

Modules:

- :mod:`~analysis.data.snapshot`    load, cache and hand out the tables (re-exported here)
- :mod:`~analysis.data.schemas`     the declared schema of every table (pandera)
- :mod:`~analysis.data.validation`  the one validation of a snapshot folder (load, check, build)
- :mod:`~analysis.data.provenance`  the Data Package descriptor: vintages, sources, licences
- :mod:`~analysis.data.catalogue`   the official tables and indicators the snapshot holds
- :mod:`~analysis.data.readset`     what each report read (render keys, footer)
- :mod:`~analysis.data.names`       resolve a municipality from any name or code
- :mod:`~analysis.data.checks`      parameter checks that need the data (year, place, partnership)
- :mod:`~analysis.data.evidence`    memberships traced to their source documents
- :mod:`~analysis.data.memo`        per-process results that keep their read set
"""

from analysis.core.paths import data_dir
from analysis.data.snapshot import (
                                    Snapshot,
                                    boundaries,
                                    check,
                                    claims,
                                    commuting,
                                    country_indicators,
                                    indicators,
                                    jobs,
                                    load,
                                    memberships,
                                    mergers,
                                    municipalities,
                                    partnerships,
                                    population,
                                    population_years,
                                    similar,
                                    similarity_measures,
                                    snapshot_token,
                                    sources,
                                    unemployment,
)
from analysis.data.validation import DataValidationError

__all__ = ["DataValidationError", "Snapshot", "boundaries", "check", "claims", "commuting",
           "country_indicators", "data_dir", "indicators", "jobs", "load", "memberships",
           "mergers", "municipalities", "partnerships", "population", "population_years",
           "similar", "similarity_measures", "snapshot_token", "sources", "unemployment"]
