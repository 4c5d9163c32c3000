"""Multi-period PxWeb look-alike tables for ``analysis data refresh --history``, built at
test time from the files the snapshot holds (no second copy of the numbers is committed):

- :func:`jobs_in_parts`: table 115p as the API would answer with its commuting dimension
  (``Pendelöinti``: ``SSS`` total, ``1`` working in the home municipality, ``2`` commuting
  in) for every year of ``data/commuting.csv``, which the build made from the two 115p
  Excel exports in ``data/raw/history`` (on the snapshot's division); each whole-country
  row is the sum of the municipalities;
- :func:`unemployment_months`: table 12r5 with all its 23 contents for the months asked,
  the unemployment rate (``TYOTOSUUS``) taken from the history transcription in
  ``data/raw/history`` and every other content marked ``..`` (not available: the history
  kept the rate only), beside the recorded June 2026 response.
"""

from __future__ import annotations

import copy
import json

import pandas as pd

from analysis.core import paths
from analysis.data import catalogue

RAW = paths.DATA_DIR / "raw"


def jobs_in_parts() -> dict:
    frame = pd.read_csv(paths.DATA_DIR / "commuting.csv", dtype={"code": str})
    data = []
    for year, group in frame.groupby("year"):
        parts = {"1": group["local_workers"], "2": group["in_commuters"],
                 "SSS": group["local_workers"] + group["in_commuters"]}
        for part, values in parts.items():
            data.append({"key": ["SSS", str(year), part], "values": [str(int(values.sum()))]})
            data += [{"key": [f"KU{code}", str(year), part], "values": [str(int(v))]}
                     for code, v in zip(group["code"], values)]
    return {"columns": [{"code": "alue_23_20260101", "text": "Työpaikan alue", "type": "d"},
                        {"code": "timeperiod_y", "text": "Vuosi", "type": "t"},
                        {"code": catalogue.COMMUTING, "text": "Pendelöinti", "type": "d"},
                        {"code": "tyolliset", "text": "Työlliset", "type": "c"}],
            "comments": [], "data": data,
            "metadata": [{"updated": "2023-12-21T06.00.00Z",
                          "label": "Alueella työssäkäyvät (työpaikat) muuttujina Työpaikan alue, "
                                   "Vuosi, Pendelöinti ja Tiedot",
                          "source": "Tilastokeskus, työssäkäynti"}]}


def unemployment_months(recorded: dict, months: list[str]) -> dict:
    """The recorded 12r5 response (``recorded``) with ``months`` of the history added."""
    history = json.loads((RAW / catalogue.UNEMPLOYMENT_HISTORY).read_text(encoding="utf-8"))
    rate = {(r["key"][0], r["key"][1]): r["values"][0] for r in history["data"]}
    doc = copy.deepcopy(recorded)
    contents = [c["code"] for c in doc["columns"] if c["type"] == "c"]
    at = contents.index(catalogue.UNEMPLOYMENT_RATE)
    areas = sorted({area for area, _ in rate} | {"SSS"})
    for month in months:
        for area in areas:
            values = [".."] * len(contents)
            values[at] = rate.get((area, month), "..")
            doc["data"].append({"key": [area, month], "values": values})
    return doc
