"""``jobs.csv``: jobs located in each municipality (by workplace)."""

from __future__ import annotations

import pandas as pd

from analysis.core.text import format_years
from analysis.data import catalogue
from analysis.ingest import pxweb
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    check_division_codes,
    read_csv,
)


def build_jobs(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> pd.DataFrame:
    jobs = read_csv(inputs.path(catalogue.JOBS_KEY_FIGURES)).astype({"year": int, "jobs": int})
    jobs = harmoniser.counts(jobs, ["jobs"], "jobs", log, catalogue.JOBS_KEY_FIGURES)
    if set(jobs["code"]) != harmoniser.codes:
        raise BuildError(f"{catalogue.JOBS_KEY_FIGURES}: codes differ from the division after harmonising")
    frames = []
    for path in inputs.pxweb_files("115p"):  # newer years, fetched by `analysis data refresh`
        response = pxweb.read_response(path)
        areas = pxweb.split_areas(response.frame)
        municipal = areas["municipality"]
        drop = check_division_codes(path, "115p", set(municipal["code"]), harmoniser, log)
        municipal = municipal[~municipal["code"].isin(drop)]
        values, reasons = pxweb.numeric(municipal["text"])
        if reasons.notna().any():
            raise BuildError(f"{path}: table 115p: jobs missing for "
                             f"{sorted(municipal.loc[reasons.notna(), 'code'])}")
        frame = pd.DataFrame({"code": municipal["code"], "year": municipal["period"].astype(int),
                              "jobs": values.astype(int)})
        country = areas["country"].set_index(areas["country"]["period"].astype(int))["text"]
        for year_value, total in country.astype(int).items():
            found = int(frame.loc[frame["year"] == year_value, "jobs"].sum())
            if found != total:
                raise BuildError(f"{path}: year {year_value}: municipalities sum to {found}, "
                                 f"the table's whole-country row says {total}")
        frame["file"], frame["updated"] = path.name, response.updated
        frames.append(frame)
        log.add("jobs", f"pxweb/{path.name}: years {format_years(frame['year'].unique())} "
                        "(table 115p); municipalities sum to the whole-country row")
    if frames:
        api = (pd.concat(frames).sort_values(["updated", "file"])
               .drop_duplicates(["code", "year"], keep="last"))
        jobs = pd.concat([jobs[~jobs["year"].isin(set(api["year"]))],
                          api[["code", "year", "jobs"]]], ignore_index=True)
    return jobs.sort_values(["code", "year"]).reset_index(drop=True)
