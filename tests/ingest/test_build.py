"""`analysis data build` reproduces the committed snapshot byte for byte from the project alone."""

import filecmp
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from analysis.core import paths
from analysis.data.evidence import check_evidence
from analysis.data.validation import DataValidationError
from analysis.ingest import raw
from analysis.ingest.build import BuildError, build_snapshot

SNAPSHOT_FILES = [*paths.TABLE_FILES.values(), paths.BOUNDARIES_FILE, paths.DATAPACKAGE_FILE]


def test_fresh_clone_without_shared_rebuilds_data_exactly(tmp_path):
    """A clone with no ../shared beside it: copy the project alone and run the command."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(paths.PROJECT_ROOT), str(clone)],
                   check=True)
    # The working tree may hold uncommitted work under test: overlay src/ and data/ inputs.
    for part in ("src", "data/raw", "data/curated"):
        shutil.rmtree(clone / part, ignore_errors=True)
        shutil.copytree(paths.PROJECT_ROOT / part, clone / part)
    for name in SNAPSHOT_FILES:
        (clone / "data" / name).unlink(missing_ok=True)
    assert not (clone.parent / "shared").exists()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(clone / "src"),
           "ANALYSIS_PROJECT_ROOT": str(clone)}
    result = subprocess.run([sys.executable, "-m", "analysis.cli", "data", "build"],
                            cwd=clone, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in SNAPSHOT_FILES:
        assert filecmp.cmp(clone / "data" / name, paths.DATA_DIR / name, shallow=False), \
            f"{name}: committed data/ is stale; run `analysis data build`"


def test_build_twice_is_identical_and_independent_of_the_documents(inputs_only, tmp_path):
    assert paths.SOURCES_DIR.exists(), "CI must have ../shared/sources beside the checkout"
    other = tmp_path / "other"
    shutil.copytree(inputs_only, other)
    build_snapshot(output=inputs_only, sources_dir=paths.SOURCES_DIR)
    build_snapshot(output=other, sources_dir=tmp_path / "no-documents-here")
    for name in SNAPSHOT_FILES:
        assert filecmp.cmp(inputs_only / name, other / name, shallow=False), name


def test_evidence_is_located_in_the_documents():
    """Fails (never skips) when the documents are missing: CI has them beside the checkout."""
    assert paths.SOURCES_DIR.exists(), "../shared/sources is missing"
    spec = yaml.safe_load((paths.CURATED_DIR / "partnerships.yaml").read_text(encoding="utf-8"))
    assert check_evidence(spec, paths.SOURCES_DIR, paths.CURATED_DIR) == [
        "growth-cities-network-seinajoki.fi.txt", "thematic-partnerships.fi.txt"]
    # The city named somewhere else in the document is not enough: the range must hold it.
    c6 = next(p for p in spec["partnerships"] if p["partnership_id"] == "c6")
    c6["source_lines"] = "9-11"
    with pytest.raises(DataValidationError, match=r"c6: .* not found in thematic-partnerships.fi.txt "
                                         r"lines 9–11"):
        check_evidence(spec, paths.SOURCES_DIR, paths.CURATED_DIR)


def test_memberships_carry_their_line_ranges():
    members = pd.read_csv(paths.DATA_DIR / "memberships.csv", dtype=str)
    assert (members.loc[members["partnership_id"] == "vitality", "source_lines"] == "9-11").all()
    assert members["source_lines"].notna().all()


def test_a_raw_file_changed_after_recording_stops_the_build(inputs_only):
    path = inputs_only / "raw" / "jobs_2020.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n005,2020,3302", "\n005,2020,330"),
                    encoding="utf-8")
    with pytest.raises(BuildError, match=r"jobs_2020.csv: sha256 .* differs from its sidecar"):
        build_snapshot(output=inputs_only)
    assert not (inputs_only / "jobs.csv").exists()


def test_build_stops_on_a_new_quirk(inputs_only):
    path = inputs_only / "raw" / "jobs_2020.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n005,", "\n5,", 1), encoding="utf-8")
    raw.write_sidecar(path, raw.read_sidecar(path))  # recorded on purpose: the quirk is "real"
    with pytest.raises(BuildError, match=r"jobs_2020.csv: row 1 \(line 2\), column 'code'"):
        build_snapshot(output=inputs_only)
    assert not (inputs_only / "jobs.csv").exists()


def _edit_pxweb(folder, name, edit):
    path = folder / "raw" / "pxweb" / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    raw.write_sidecar(path, raw.read_sidecar(path))


def test_unknown_missing_value_marker_names_table_and_variable(inputs_only):
    def edit(doc):
        doc["data"][5]["values"][1] = "-"
    _edit_pxweb(inputs_only, "11ra_2025.json", edit)
    with pytest.raises(BuildError, match=r"table 11ra: .*variable vaesto_alle15_p: unknown value "
                                         r"or missing-value marker '-'"):
        build_snapshot(output=inputs_only)


def test_new_column_names_table_and_variable(inputs_only):
    def edit(doc):
        doc["columns"].append({"code": "vaesto_uusi", "text": "new", "type": "c"})
        for row in doc["data"]:
            row["values"].append("1")
    _edit_pxweb(inputs_only, "12bs_2025.json", edit)
    with pytest.raises(BuildError, match=r"table 12bs: new variable\(s\) \['vaesto_uusi'\]"):
        build_snapshot(output=inputs_only)


def test_a_response_on_another_division_names_the_codes(inputs_only):
    def edit(doc):
        for row in doc["data"]:
            if row["key"][0] == "KU507":
                row["key"][0] = "KU588"
    _edit_pxweb(inputs_only, "11ra_2025.json", edit)
    with pytest.raises(BuildError, match=r"another municipal division \(codes not in the \d+ "
                                         r"division: \['588'\]; division municipalities missing: "
                                         r"\['507'\]\).*mergers.csv"):
        build_snapshot(output=inputs_only)


# -- population: one series, one source per year --------------------------------------------
def _raw_11re_wide():
    return pd.read_csv(paths.DATA_DIR / "raw" / "population_1972_2023_division2024.csv", dtype=str)


def test_population_1972_to_latest_sums_to_the_official_country_totals():
    pop = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"code": str})
    totals = pop.groupby("year")["population"].sum()
    wide = _raw_11re_wide().set_index("alue_code")
    for year in range(1972, 2024):
        assert totals[year] == int(wide.at["SSS", str(year)]), year
    # Figures Statistics Finland gives for the whole country on 31 December.
    assert totals[2023] == 5_603_851 and totals[2024] == 5_635_971 and totals[2025] == 5_652_881


def test_statistics_finland_wins_over_the_thl_copy_and_differences_are_recorded():
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    population = next(r for r in package["resources"] if r["name"] == "population")
    note = population["source_differences"]
    # Recompute the differences independently of the build.
    thl = pd.read_csv(paths.DATA_DIR / "raw" / "population_2000_2022.csv", dtype={"code": str})
    thl.loc[thl["code"] == "588", "code"] = "507"
    thl = thl.groupby(["code", "year"], as_index=False)["population"].sum()
    wide = _raw_11re_wide()
    stat = wide[wide["alue_code"].str.startswith("KU")].melt(
        id_vars=["kunta"], value_vars=[str(y) for y in range(2000, 2023)], var_name="year",
        value_name="population").astype({"year": int, "population": int})
    stat.loc[stat["kunta"] == "588", "kunta"] = "507"
    stat = stat.groupby(["kunta", "year"], as_index=False)["population"].sum()
    both = thl.merge(stat, left_on=["code", "year"], right_on=["kunta", "year"])
    differing = both[both["population_x"] != both["population_y"]]
    assert note["municipality_years_differing"] == len(differing) == 101
    assert note["largest_difference"] == {"code": "091", "year": 2008, "thl": 574_564,
                                          "11re": 576_632, "difference": -2068}
    pop = pd.read_csv(paths.DATA_DIR / "population.csv", dtype={"code": str}).set_index(
        ["code", "year"])["population"]
    assert pop[("091", 2008)] == 576_632  # Statistics Finland's own figure
    assert population["year_sources"]["2023"] == "population_1972_2023_division2024.csv"
    assert population["year_sources"]["2025"] == "pxweb/11re_2025.json"


# -- indicators: recomputed from the raw responses, independently of the build ----------------
def _raw_value(file, area, column):
    doc = json.loads((paths.DATA_DIR / "raw" / "pxweb" / file).read_text(encoding="utf-8"))
    columns = [c["code"] for c in doc["columns"] if c["type"] == "c"]
    dims = [c["code"] for c in doc["columns"] if c["type"] != "c"]
    area_at = next(i for i, d in enumerate(dims) if d.lower().startswith("alue"))
    row = next(r for r in doc["data"] if r["key"][area_at] == area)
    return row["values"][columns.index(column)]


def test_indicators_match_the_raw_responses():
    ind = pd.read_csv(paths.DATA_DIR / "indicators.csv", dtype={"code": str, "period": str})
    ind = ind.set_index(["code", "indicator"])
    assert ind.at[("743", "share_65_plus"), "value"] == float(
        _raw_value("11ra_2025.json", "KU743", "vaesto_yli64_p"))
    assert ind.at[("743", "median_income"), "value"] == float(
        _raw_value("14ww_2024.json", "KU743", "tjt-ekvikturaha_med"))
    assert ind.at[("743", "median_income"), "period"] == "2024"
    assert ind.at[("609", "unemployment_rate"), "period"] == "2026M06"
    assert ind.at[("609", "net_migration_internal"), "value"] == float(
        _raw_value("121w_2025.json", "KU609", "ssaaty-vm43_netto"))
    # 13 indicators for every municipality; "..." kept as missing with its reason.
    assert ind.groupby(level="code").size().eq(13).all() and ind.index.get_level_values(0).nunique() == 308
    missing = ind[ind["value"].isna()]
    assert len(missing) > 0 and (missing["missing_reason"] == "confidential (data protection)").all()
    assert "199" not in ind.index.get_level_values(0)  # "municipality unknown" is left out


def test_country_indicators_are_the_tables_own_whole_country_rows():
    country = pd.read_csv(paths.DATA_DIR / "country_indicators.csv").set_index("indicator")
    assert country.at["unemployment_rate", "value"] == float(
        _raw_value("12r5_2026M06.json", "SSS", "TYOTOSUUS"))
    assert country.at["mean_age", "value"] == float(
        _raw_value("11ra_2025.json", "SSS", "vaesto_keski_ika"))
