"""``unemployment.csv``: the unemployment rate of every municipality at the end of every
month the raw inputs hold (table 12r5: unemployed job seekers as a share of the labour
force, %).

Sources: the history 2007M01–2025M01 (``data/raw/history``: the R data file as kept, read
through its PxWeb json transcription, whose codes are those from before the API's June
2026 renaming) and every response of 12r5 in ``data/raw/pxweb`` (the recorded 2026M06,
and whatever a refresh adds); where two files hold the same month, the one the table
updated later wins. Months no file holds are not rows: the months between the history and
the responses are a gap, and stay one. A value the source marks (``...``) is a row without
value, with the marker's reason. Whole-country values are not here: they are the
``unemployment_rate`` rows of ``country_indicators.csv`` (the history has none).
"""

from __future__ import annotations

import pandas as pd

from analysis.core.text import format_months, months_between
from analysis.data import catalogue
from analysis.ingest import pxweb
from analysis.ingest.build.common import BuildError, BuildLog, Harmoniser, Inputs, check_division_codes

TABLE = "unemployment"


def _rows(path, harmoniser: Harmoniser, log: BuildLog) -> pd.DataFrame:
    response = pxweb.read_response(path, "12r5")
    areas = pxweb.split_areas(response.frame)
    municipal = areas["municipality"]
    drop = check_division_codes(path, "12r5", set(municipal["code"]), harmoniser, log, TABLE)
    rows = municipal[~municipal["code"].isin(drop)
                     & (municipal["variable"] == catalogue.UNEMPLOYMENT_RATE)]
    value, reason = pxweb.numeric(rows["text"])
    period = rows["period"].astype(str)
    bad = sorted(set(period[~period.str.fullmatch(r"\d{4}M(0[1-9]|1[0-2])")]))
    if bad:
        raise BuildError(f"{path}: table 12r5: periods that are not months: {bad[:3]}")
    return pd.DataFrame({"code": rows["code"].to_numpy(), "period": period.to_numpy(),
                         "year": period.str[:4].astype(int).to_numpy(),
                         "month": period.str[5:].astype(int).to_numpy(),
                         "value": value.to_numpy(), "missing_reason": reason.to_numpy(),
                         "updated": response.updated, "file": path.name})


def build_unemployment(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser,
                       indicators: pd.DataFrame) -> pd.DataFrame:
    paths = [inputs.path(catalogue.UNEMPLOYMENT_HISTORY), *inputs.pxweb_files("12r5")]
    parts = []
    for path in paths:
        part = _rows(path, harmoniser, log)
        held = part["value"].notna().sum()
        log.add(TABLE, f"{path.parent.name}/{path.name}: {format_months(part['period'].unique())}, "
                       f"{held} values, {len(part) - held} missing with the source's reason")
        parts.append(part)
    keys = ["code", "period"]
    frame = (pd.concat(parts, ignore_index=True).sort_values(["updated", "file"])
             .drop_duplicates(keys, keep="last").drop(columns=["updated", "file"])
             .sort_values(keys).reset_index(drop=True))
    # The indicators table reads the same responses: both must say the same for their months.
    rate = indicators[indicators["indicator"] == "unemployment_rate"].set_index(keys)["value"]
    ours = frame.set_index(keys)["value"].reindex(rate.index)
    differ = ~((ours == rate) | (ours.isna() & rate.isna()))
    if differ.any():
        raise BuildError(f"unemployment.csv and indicators.csv differ for {differ.sum()} "
                         f"municipality-months, e.g. {differ[differ].index[0]}")
    periods = sorted(frame["period"].unique())
    gap = [m for m in months_between(periods[0], periods[-1]) if m not in set(periods)]
    held = int(frame["value"].notna().sum())
    log.notes[TABLE] = {"months": format_months(periods), "municipality_months": len(frame),
                        "values": held, "missing": len(frame) - held,
                        "months_not_held": format_months(gap) if gap else ""}
    log.add(TABLE, f"{format_months(periods)}: {len(frame)} municipality-months, {held} values, "
                   f"{len(frame) - held} missing with the source's reason"
                   + (f"; months {format_months(gap)} are in no raw file (a gap, not rows)"
                      if gap else ""))
    return frame
