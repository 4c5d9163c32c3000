"""The ingest layer: from official inputs to the committed snapshot.

- :mod:`~analysis.ingest.raw`      raw inputs in ``data/raw`` and their sidecars
- :mod:`~analysis.ingest.pxweb`    PxWeb responses read against the catalogue
- :mod:`~analysis.ingest.client`   the HTTP client of Statistics Finland's PxWeb API
- :mod:`~analysis.ingest.refresh`  ``analysis data refresh``: newer periods, all or nothing
- :mod:`~analysis.ingest.build`    ``analysis data build``: the snapshot, one module per table
"""
