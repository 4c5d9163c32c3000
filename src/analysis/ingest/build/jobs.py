"""``jobs.csv`` and ``commuting.csv``: jobs by workplace municipality and their two parts.

Statistics Finland's table 115p counts the employed by the municipality they work in (ages
18–74), split by commuting: those who work in their home municipality (*local workers*) and
those who commute in from elsewhere (*in-commuters*). Jobs = local workers + in-commuters.

Sources, year by year:

- 1987–2021: the two PX-Web Excel exports of 115p in ``data/raw/history`` (local workers
  1987–2021 from the 2021 edition, in-commuters 1987–2022 from the 2022 edition), every
  education and age class summed. 2022 has in-commuters but no local workers: neither jobs
  nor the share of in-commuters can be computed, so ``commuting.csv`` leaves it out (every
  row of it sums to the jobs of ``jobs.csv``); the log says so.
- newer years (or, after ``analysis data refresh --history``, any year): the API's
  responses in ``data/raw/pxweb/115p_*.json`` win for their years, as the table's total
  (jobs only) or its two parts (jobs and commuting), whichever the refresh could ask for.
- 2020 by the municipal key figures (``jobs_2020.csv``): compared with 115p and recorded in
  ``datapackage.json`` (``reconciliation_2020``), not used: one source and one definition
  for every year, so the series has no break.

Names in the exports are matched to codes with the snapshot's name index (Mariehamn's
bilingual label included); Pertunmaa, merged into Mäntyharju in 2025, is summed into it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.text import format_years
from analysis.data import catalogue
from analysis.data.names import NameIndex, UnknownMunicipalityError
from analysis.ingest import pxweb
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    check_division_codes,
    read_csv,
)

PARTS = ("local_workers", "in_commuters")
_YEAR = re.compile(r"\d{4}")
_UPDATED = re.compile(r"(\d{4})(\d{2})(\d{2}) \d{2}:\d{2}")
FIRST_VALUE_COLUMN = 2  # A: workplace municipality, B: year, C…Z: education × age


def _column_letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"#{index + 1}"


def _rows(path: Path) -> list[list]:
    """The first sheet's cells (python-calamine: an order of magnitude faster than openpyxl)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise BuildError(f"{path}: cannot be read as an Excel workbook ({exc})") from None
    if not book.sheet_names or not book.sheet_names[0].startswith("001_115p"):
        raise BuildError(f"{path}: first sheet {book.sheet_names[:1]} is not a 115p export "
                         "(001_115p_<edition>)")
    return book.get_sheet_by_index(0).to_python()


def _check_header(path: Path, header: list[list], part: str) -> None:
    """The export holds the part expected, every education class and every age class."""
    texts = [[str(c).strip() for c in row] for row in header]
    if not texts or not texts[0][0].startswith(catalogue.JOBS_TITLE):
        raise BuildError(f"{path}: title row does not start with {catalogue.JOBS_TITLE!r}: "
                         "not a 115p export")
    labels = {row[FIRST_VALUE_COLUMN] for row in texts if len(row) > FIRST_VALUE_COLUMN}
    other = next(p for p in PARTS if p != part)
    if catalogue.COMMUTING_LABELS[part] not in labels or catalogue.COMMUTING_LABELS[other] in labels:
        raise BuildError(f"{path}: the header does not hold {catalogue.COMMUTING_LABELS[part]!r} "
                         f"alone (its sidecar says {part})")
    width = len(catalogue.EDUCATION_LABELS) * len(catalogue.AGE_LABELS)
    starts = range(FIRST_VALUE_COLUMN, FIRST_VALUE_COLUMN + width, len(catalogue.AGE_LABELS))
    education = [row for row in texts if row[FIRST_VALUE_COLUMN] == catalogue.EDUCATION_LABELS[0]]
    if not education or tuple(education[0][i] for i in starts) != catalogue.EDUCATION_LABELS:
        raise BuildError(f"{path}: the education classes differ from the catalogue's "
                         f"{list(catalogue.EDUCATION_LABELS)}")
    ages = [row for row in texts if row[FIRST_VALUE_COLUMN] == catalogue.AGE_LABELS[0]]
    wanted = list(catalogue.AGE_LABELS) * len(catalogue.EDUCATION_LABELS)
    if not ages or ages[0][FIRST_VALUE_COLUMN:FIRST_VALUE_COLUMN + width] != wanted:
        raise BuildError(f"{path}: the age classes differ from the catalogue's "
                         f"{list(catalogue.AGE_LABELS)}")


def read_export(path: Path, part: str, names: NameIndex, updated: str | None = None
                ) -> pd.DataFrame:
    """One 115p Excel export: code (as the export means it), year, ``part`` (the 24
    education × age classes summed). Stops on an unknown name, a value that is not a
    count, a municipality lacking a year, or an update stamp other than the sidecar's."""
    rows = _rows(path)
    first = next((i for i, row in enumerate(rows)
                  if len(row) > 1 and _YEAR.fullmatch(str(row[1]).strip())), None)
    if first is None:
        raise BuildError(f"{path}: no data rows (a year in column B)")
    _check_header(path, rows[:first], part)
    width = len(catalogue.EDUCATION_LABELS) * len(catalogue.AGE_LABELS)
    labels, years, blocks, name, end = [], [], [], None, len(rows)
    for number in range(first, len(rows)):
        row = rows[number]
        year = str(row[1]).strip() if len(row) > 1 else ""
        if not year:
            end = number
            break
        if str(row[0]).strip():
            name = str(row[0]).strip()
        if not _YEAR.fullmatch(year) or len(row) < FIRST_VALUE_COLUMN + width:
            raise BuildError(f"{path}: row {number + 1} ({name}): expected a year and {width} "
                             "counts")
        labels.append(name)
        years.append(int(year))
        blocks.append(row[FIRST_VALUE_COLUMN:FIRST_VALUE_COLUMN + width])
    counts = np.array([[v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan
                        for v in block] for block in blocks], dtype=float)
    bad = ~(counts >= 0) | (counts != np.floor(counts))  # NaN (text, empty) fails too
    if bad.any():
        at, column = (int(i) for i in np.argwhere(bad)[0])
        raise BuildError(f"{path}: row {first + at + 1}, column "
                         f"{_column_letter(FIRST_VALUE_COLUMN + column)} ({labels[at]} "
                         f"{years[at]}): {blocks[at][column]!r} is not a count")
    records = zip(labels, years, counts.sum(axis=1).astype("int64"))
    footer = [str(c).strip() for row in rows[end:] for c in row if str(c).strip()]
    if any(_YEAR.fullmatch(str(row[1]).strip()) for row in rows[end:] if len(row) > 1):
        raise BuildError(f"{path}: a data row after the blank row at row {end + 1}")
    if updated is not None:
        stamp = next((f"{m[1]}-{m[2]}-{m[3]}" for text in footer
                      if (m := _UPDATED.fullmatch(text))), None)
        if stamp != str(updated)[:10]:
            raise BuildError(f"{path}: the export says it was updated {stamp}, its sidecar "
                             f"{updated}")
    frame = pd.DataFrame(list(records), columns=["name", "year", part])
    codes = {}
    for label in frame["name"].unique():
        try:
            codes[label] = names.match(label)
        except UnknownMunicipalityError as exc:
            raise BuildError(f"{path}: workplace area {label!r}: {exc}") from None
    frame.insert(0, "code", frame["name"].map(codes))
    years = sorted(frame["year"].unique())
    counts = frame.groupby("code")["year"].nunique()
    short = counts[counts != len(years)]
    twice = sorted(frame.loc[frame.duplicated(["code", "year"]), "code"])
    if len(short) or twice:
        raise BuildError(f"{path}: municipalities without every year {format_years(years)} "
                         f"once: {sorted(short.index) or twice}")
    frame.attrs["bilingual"] = sorted(label for label in codes if " - " in label)
    return frame


def _exports(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser, names: NameIndex
             ) -> pd.DataFrame:
    """Both parts from the Excel exports on the snapshot's division: code, year,
    local_workers, in_commuters, for the years both hold."""
    parts = {}
    for part, name in (("local_workers", catalogue.JOBS_LOCAL_WORKERS),
                       ("in_commuters", catalogue.JOBS_IN_COMMUTERS)):
        meta = inputs.sidecar(name)
        if meta.get("commuting") != part:
            raise BuildError(f"{inputs.raw / name}: its sidecar names commuting "
                             f"{meta.get('commuting')!r}, expected {part!r}")
        frame = read_export(inputs.path(name), part, names, meta.get("updated"))
        for label in frame.attrs["bilingual"]:
            log.add("commuting", f"{name}: the bilingual label {label!r} matched to code "
                                 f"{frame.loc[frame['name'] == label, 'code'].iloc[0]}")
        frame = harmoniser.counts(frame.drop(columns="name"), [part], "commuting", log, name)
        log.add("commuting", f"{name}: {part} {format_years(frame['year'].unique())}, the 24 "
                             "education × age classes (ages 18–74) summed")
        parts[part] = frame
    both = parts["local_workers"].merge(parts["in_commuters"], on=["code", "year"], how="outer")
    only = both[both[list(PARTS)].isna().any(axis=1)]
    if len(only):
        for part in PARTS:
            lacking = only[only[part].isna()]
            if len(lacking):
                log.add("commuting", f"left out {len(lacking)} rows of year(s) "
                        f"{format_years(lacking['year'].unique())}: {part} not given for them "
                        "(neither jobs nor the in-commuters' share can be computed)")
    both = both.dropna(subset=list(PARTS))
    return both.astype({p: "int64" for p in PARTS})


def _api(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser) -> list[pd.DataFrame]:
    """Years fetched by ``analysis data refresh``: code, year, jobs and, where the response
    holds the two parts, local_workers and in_commuters; plus file and updated."""
    frames = []
    for path in inputs.pxweb_files("115p"):
        response = pxweb.read_response(path)
        areas = pxweb.split_areas(response.frame)
        municipal = areas["municipality"]
        drop = check_division_codes(path, "115p", set(municipal["code"]), harmoniser, log, "jobs")
        municipal = municipal[~municipal["code"].isin(drop)]
        values, reasons = pxweb.numeric(municipal["text"])
        if reasons.notna().any():
            raise BuildError(f"{path}: table 115p: jobs missing for "
                             f"{sorted(municipal.loc[reasons.notna(), 'code'])}")
        municipal = municipal.assign(value=values.astype("int64"),
                                     year=municipal["period"].astype(int))
        country = areas["country"].assign(value=pd.to_numeric(areas["country"]["text"]),
                                          year=areas["country"]["period"].astype(int))
        parts = bool(response.layout.fixed)
        key = [catalogue.COMMUTING] if parts else []
        found = municipal.groupby(["year", *key])["value"].sum()
        stated = country.set_index(["year", *key])["value"]
        for index, total in stated.items():
            if int(found.get(index, 0)) != int(total):
                raise BuildError(f"{path}: {index}: municipalities sum to {int(found.get(index, 0))}, "
                                 f"the table's whole-country row says {int(total)}")
        if parts:
            by_part = {v: k for k, v in catalogue.COMMUTING_PARTS.items()}
            frame = municipal.assign(part=municipal[catalogue.COMMUTING].map(by_part)).pivot(
                index=["code", "year"], columns="part", values="value").reset_index()
            frame["jobs"] = frame["local_workers"] + frame["in_commuters"]
            what = "its two parts (jobs and commuting)"
        else:
            frame = municipal[["code", "year", "value"]].rename(columns={"value": "jobs"})
            what = "its total (jobs only)"
        frame["file"], frame["updated"] = path.name, response.updated
        frames.append(frame)
        log.add("jobs", f"pxweb/{path.name}: years {format_years(frame['year'].unique())} "
                        f"(table 115p, {what}); municipalities sum to the whole-country rows")
    return frames


def _reconcile(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser,
               jobs: pd.DataFrame) -> None:
    """2020 by the municipal key figures against 115p's sum: recorded, not used."""
    name = catalogue.JOBS_KEY_FIGURES
    key = read_csv(inputs.path(name)).astype({"year": int, "jobs": int})
    key = harmoniser.counts(key, ["jobs"], "jobs", log, name)
    year = int(key["year"].max())
    ours = jobs[jobs["year"] == year].set_index("code")["jobs"]
    theirs = key[key["year"] == year].set_index("code")["jobs"].reindex(ours.index)
    diff = (ours - theirs).dropna()
    differ = diff[diff != 0]
    log.notes.setdefault("jobs", {})["reconciliation"] = {
        "year": year, "compared_with": f"raw/{name}", "municipalities": int(len(diff)),
        "equal": int((diff == 0).sum()), "used": "115p (local workers + in-commuters)",
        "differences": [{"code": code, "key_figures": int(theirs[code]), "table_115p": int(ours[code]),
                         "difference": int(d)} for code, d in differ.items()]}
    log.add("jobs", f"{name}: the key figures' {year} count compared with 115p's sum: equal in "
                    f"{int((diff == 0).sum())} of {len(diff)} municipalities, "
                    f"{len(differ)} differ by at most {int(differ.abs().max()) if len(differ) else 0}"
                    f" ({', '.join(f'{c} {int(d):+d}' for c, d in differ.items())}); 115p is used "
                    "for every year (one source, one definition), the key figures only compared")


def build_jobs(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser, names: NameIndex
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(jobs: code, year, jobs; commuting: code, year, local_workers, in_commuters)."""
    commuting = _exports(inputs, log, harmoniser, names)
    jobs = commuting.assign(jobs=commuting["local_workers"] + commuting["in_commuters"])
    jobs = jobs[["code", "year", "jobs"]]
    log.add("jobs", f"{format_years(jobs['year'].unique())}: 115p's local workers + in-commuters "
                    f"({catalogue.JOBS_LOCAL_WORKERS}, {catalogue.JOBS_IN_COMMUTERS})")
    _reconcile(inputs, log, harmoniser, jobs)
    frames = _api(inputs, log, harmoniser)
    if frames:
        api = (pd.concat(frames).sort_values(["updated", "file"])
               .drop_duplicates(["code", "year"], keep="last"))
        years = set(api["year"])
        jobs = pd.concat([jobs[~jobs["year"].isin(years)], api[["code", "year", "jobs"]]],
                         ignore_index=True)
        columns = ["code", "year", *PARTS]
        with_parts = (api.dropna(subset=list(PARTS))[columns] if set(PARTS) <= set(api)
                      else pd.DataFrame(columns=columns))
        replaced = sorted(years & set(commuting["year"]))
        if replaced:
            log.add("commuting", f"years {format_years(replaced)} taken from the API's answer "
                                 "(parts where it gave them, else left out)")
        commuting = pd.concat([commuting[~commuting["year"].isin(years)], with_parts],
                              ignore_index=True)
    jobs = jobs.astype({"jobs": "int64"}).sort_values(["code", "year"]).reset_index(drop=True)
    commuting = (commuting.astype({p: "int64" for p in PARTS})
                 .sort_values(["code", "year"]).reset_index(drop=True))
    return jobs, commuting
