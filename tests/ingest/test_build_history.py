"""The histories (issue 21): jobs by workplace 1987–2021 and their two parts from 115p's
Excel exports, the monthly unemployment rate 2007M01–2025M01 (+ 2026M06) from 12r5, built
into jobs.csv, commuting.csv and unemployment.csv; each number traced to the raw files."""

import json
import shutil
import warnings

import pandas as pd
import pytest

from analysis import data
from analysis.core import paths
from analysis.data import catalogue, provenance
from analysis.ingest import raw
from analysis.ingest.build import BuildError, build_snapshot

RAW = paths.DATA_DIR / "raw"


@pytest.fixture(scope="module")
def jobs():
    return data.jobs().set_index(["code", "year"])["jobs"]


@pytest.fixture(scope="module")
def commuting():
    return data.commuting().set_index(["code", "year"])


# ------------------------------------------------------------------ the R file and its transcription
def test_json_transcription_equals_the_r_data_file():
    """Every key and value string of the json is the R object's (read with the rdata package)."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdata warns about the R classes it maps to lists
        r = rdata.read_rda(RAW / catalogue.UNEMPLOYMENT_HISTORY_R)["data_1"]
    doc = json.loads((RAW / catalogue.UNEMPLOYMENT_HISTORY).read_text(encoding="utf-8"))

    def plain(value):  # R's length-one character vectors -> str, lists and dicts recursively
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if hasattr(value, "tolist"):
            items = value.tolist()
            return items[0] if len(items) == 1 else items
        return value

    assert [plain(c) for c in r["columns"]] == doc["columns"]
    assert plain(r["metadata"]) == doc["metadata"]
    assert plain(r["comments"]) == doc["comments"] == []
    assert len(r["data"]) == len(doc["data"]) == 66_836
    assert [plain(row) for row in r["data"]] == doc["data"]
    assert str(r["url"][0]) == raw.read_sidecar(RAW / catalogue.UNEMPLOYMENT_HISTORY)["url"]


# ------------------------------------------------------------------ jobs and commuting
def test_jobs_every_year_1987_to_2021_for_every_municipality(jobs):
    frame = data.jobs()
    assert sorted(frame["year"].unique()) == list(range(1987, 2022))
    assert len(frame) == 308 * 35
    assert provenance.resource("jobs")["years"] == list(range(1987, 2022))


def test_seinajoki_and_kajaani_jobs_and_in_commuters(jobs, commuting):
    assert [jobs[("743", y)] for y in (2000, 2010, 2021)] == [24_254, 29_121, 32_683]
    assert [jobs[("205", y)] for y in (2000, 2010, 2021)] == [14_963, 15_942, 15_653]
    seinajoki, kajaani = commuting.loc[("743", 2021)], commuting.loc[("205", 2021)]
    assert seinajoki["in_commuters"] / (seinajoki["local_workers"] + seinajoki["in_commuters"]) \
        == pytest.approx(0.2808, abs=5e-5)
    assert kajaani["in_commuters"] / (kajaani["local_workers"] + kajaani["in_commuters"]) \
        == pytest.approx(0.1842, abs=5e-5)


def test_the_parts_sum_to_the_jobs_in_every_row(jobs, commuting):
    assert len(commuting) == len(jobs)  # 2022 has in-commuters only: left out of both
    total = commuting["local_workers"] + commuting["in_commuters"]
    assert (total == jobs.reindex(total.index)).all()
    steps = " ".join(provenance.resource("commuting")["transformations"])
    assert "left out 308 rows of year(s) 2022: local_workers not given" in steps


@pytest.fixture(scope="module")
def raw_exports():
    """Both exports read again, independently, with openpyxl: name, year, summed counts."""
    import openpyxl

    out = {}
    for part, name in (("local", catalogue.JOBS_LOCAL_WORKERS),
                       ("in", catalogue.JOBS_IN_COMMUTERS)):
        sheet = openpyxl.load_workbook(RAW / name, read_only=True).worksheets[0]
        current, sums = None, {}
        for row in sheet.iter_rows(min_row=7, values_only=True):
            if row[1] is None:
                break
            current = row[0] or current
            sums[(current, int(row[1]))] = sum(row[2:26])
        out[part] = sums
    return out


def test_mantyharju_holds_pertunmaa_and_mariehamn_is_matched(raw_exports, commuting):
    local, incoming = raw_exports["local"], raw_exports["in"]
    for year in (1987, 2021):
        row = commuting.loc[("507", year)]
        assert row["local_workers"] == local[("Mäntyharju", year)] + local[("Pertunmaa", year)]
        assert row["in_commuters"] == incoming[("Mäntyharju", year)] + incoming[("Pertunmaa", year)]
        mariehamn = commuting.loc[("478", year)]
        assert mariehamn["local_workers"] == local[("Maarianhamina - Mariehamn", year)]
    assert "588" not in set(data.commuting()["code"])
    steps = " ".join(provenance.resource("commuting")["transformations"])
    assert "summed 35 row(s) of 588 into 507" in steps
    assert "'Maarianhamina - Mariehamn' matched to code 478" in steps


def test_country_sum_of_the_exports_is_kept(raw_exports):
    frame = data.jobs()
    for year in (1987, 2005, 2021):
        expected = sum(v for (_, y), v in raw_exports["local"].items() if y == year) + \
            sum(v for (_, y), v in raw_exports["in"].items() if y == year)
        assert frame.loc[frame["year"] == year, "jobs"].sum() == expected


def test_2020_reconciliation_with_the_key_figures_is_recorded():
    jobs = provenance.resource("jobs")
    note = jobs["reconciliation"]
    assert note["year"] == 2020 and note["municipalities"] == 308 and note["equal"] == 304
    assert {d["code"]: d["difference"] for d in note["differences"]} == \
        {"049": 2, "050": 2, "091": 3, "092": 1}
    assert note["used"].startswith("115p")
    key = pd.read_csv(RAW / catalogue.JOBS_KEY_FIGURES, dtype={"code": str}).set_index("code")["jobs"]
    ours = data.jobs().query("year == 2020").set_index("code")["jobs"]
    assert ours["091"] - key["091"] == 3
    roles = {s["file"]: s.get("role") for s in jobs["sources"]}
    assert roles["raw/jobs_2020.csv"].startswith("compared only")
    assert roles[f"raw/{catalogue.JOBS_LOCAL_WORKERS}"] is None


# ------------------------------------------------------------------ unemployment
def test_unemployment_months_held_and_missing():
    frame = data.unemployment()
    periods = sorted(frame["period"].unique())
    assert periods[0] == "2007M01" and "2025M01" in periods and periods[-1] == "2026M06"
    assert len(periods) == 217 + 1  # 2007M01–2025M01, then 2026M06
    assert not frame["period"].between("2025M02", "2026M05").any()  # the gap stays a gap
    assert len(frame) == 308 * 218
    missing = frame[frame["value"].isna()]
    assert len(missing) == 692 + 4
    assert set(missing["missing_reason"]) == {"confidential (data protection)"}
    assert (frame["period"] == frame["year"].astype(str) + "M"
            + frame["month"].astype(str).str.zfill(2)).all()
    res = provenance.resource("unemployment")
    assert res["vintage"] == "2007M01–2025M01, 2026M06" and "years" not in res
    assert res["missing"] == 696 and res["values"] == 66_448


def test_unemployment_values_are_the_raw_files():
    frame = data.unemployment().set_index(["code", "period"])
    doc = json.loads((RAW / catalogue.UNEMPLOYMENT_HISTORY).read_text(encoding="utf-8"))
    rows = {(r["key"][0][2:], r["key"][1]): r["values"][0] for r in doc["data"]}
    assert frame.at[("743", "2007M01"), "value"] == float(rows[("743", "2007M01")])
    assert frame.at[("205", "2025M01"), "value"] == float(rows[("205", "2025M01")])
    marked = next(k for k, v in rows.items() if v == "...")
    assert pd.isna(frame.at[marked, "value"])
    june = data.indicators().query("indicator == 'unemployment_rate'").set_index(["code", "period"])
    assert frame.loc[june.index, "value"].equals(june["value"])  # 2026M06: the same response


# ------------------------------------------------------------------ bad input fails loudly
def test_commuting_that_does_not_sum_to_the_jobs_is_refused(snapshot_copy):
    path = snapshot_copy / "commuting.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    code, year, local, incoming = lines[5].strip().split(",")
    lines[5] = f"{code},{year},{local},{int(incoming) + 1}\n"
    path.write_text("".join(lines), encoding="utf-8")
    provenance.reseal(snapshot_copy)
    with pytest.raises(data.DataValidationError, match=r"commuting.csv: row 4 \(line 6\), column "
                       r"'in_commuters': .*local_workers \+ in_commuters = .* jobs.csv says"):
        data.load(snapshot_copy)


def test_unemployment_period_and_month_must_agree(snapshot_copy):
    path = snapshot_copy / "unemployment.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("005,2007M02,2007,2,", "005,2007M02,2007,3,", 1), encoding="utf-8")
    provenance.reseal(snapshot_copy)
    with pytest.raises(data.DataValidationError, match=r"unemployment.csv.*period = year and month"):
        data.load(snapshot_copy)


@pytest.fixture
def inputs_only(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(RAW, folder / "raw")
    shutil.copytree(paths.CURATED_DIR, folder / "curated")
    return folder


def _edit_export(folder, cell, value):
    import openpyxl

    path = folder / "raw" / catalogue.JOBS_IN_COMMUTERS
    book = openpyxl.load_workbook(path)
    book.worksheets[0][cell] = value
    book.save(path)
    raw.write_sidecar(path, raw.read_sidecar(path))  # recorded on purpose: the quirk is "real"


def test_a_value_that_is_not_a_count_names_file_row_and_column(inputs_only):
    _edit_export(inputs_only, "E8", "..")
    with pytest.raises(BuildError, match=r"115p_2022_in_commuters_by_workplace_1987-2022.xlsx: "
                                         r"row 8, column E \(Akaa 1988\): '\.\.' is not a count"):
        build_snapshot(output=inputs_only)
    assert not (inputs_only / "jobs.csv").exists()


def test_an_unknown_workplace_area_is_named(inputs_only):
    _edit_export(inputs_only, "A7", "Akaa-Urjala")
    with pytest.raises(BuildError, match=r"workplace area 'Akaa-Urjala': unknown municipality"):
        build_snapshot(output=inputs_only)


def test_the_history_json_on_the_old_codes_is_read_as_12r5():
    from analysis.ingest import pxweb

    response = pxweb.read_response(RAW / catalogue.UNEMPLOYMENT_HISTORY, "12r5")
    assert response.layout.role == "former" and response.time_variable == "Kuukausi"
    assert response.periods[0] == "2007M01" and len(response.periods) == 217


def test_a_trend_claim_needs_a_known_subject(inputs_only):
    path = inputs_only / "curated" / "claims.yaml"
    text = path.read_text(encoding="utf-8").replace("subject: growth-cities", "subject: growth-towns")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match="a trend claim needs a subject, the partnership"):
        build_snapshot(output=inputs_only)
