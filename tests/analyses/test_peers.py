"""The comparison section's numbers (analysis.peers) recomputed here from the raw PxWeb
responses in data/raw/pxweb and the committed CSVs, read with json and csv only —
independently of the library — plus the N-of-M sentence and missing values."""

import csv
import json
import math
import statistics

import pandas as pd
import pytest

from analysis.analyses import peers
from analysis.core import paths
from analysis.present.text import peers as peers_report

RAW = paths.DATA_DIR / "raw" / "pxweb"
SEINAJOKI = "743"


def _raw(table: str, column: str) -> dict[str, str]:
    """{area code without 'KU': value text} of one value column of a raw response."""
    [path] = [p for p in RAW.glob(f"{table}_*.json") if not p.name.endswith(".meta.json")]
    doc = json.loads(path.read_text(encoding="utf-8"))
    dims = [c["code"] for c in doc["columns"] if c["type"] in ("d", "t")]
    values = [c["code"] for c in doc["columns"] if c["type"] == "c"]
    area = next(d for d in dims if d.lower().startswith("alue"))
    out = {}
    for row in doc["data"]:
        key = dict(zip(dims, row["key"]))
        if any(v != "SSS" for d, v in key.items() if d.startswith("sukupuoli")):
            continue  # 11re: both sexes only
        code = key[area]
        if code.startswith("KU"):
            out[code[2:]] = row["values"][values.index(column)]
    return out


def _population_2025() -> dict[str, int]:
    return {c: int(v) for c, v in _raw("11re", "vaerak-vaesto").items()}


def _csv(name: str) -> list[dict]:
    with open(paths.DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def seinajoki():
    return peers.city_comparison(SEINAJOKI, 2025)


def _class_of(pop: dict[str, int], code: str) -> list[str]:
    from analysis.analyses.sizeclass import STANDARD_EDGES  # the scheme's edges, not its code

    edges = list(STANDARD_EDGES) + [math.inf]
    for lo, hi in zip(edges, edges[1:]):
        if lo <= pop[code] < hi:
            return [c for c, p in pop.items() if lo <= p < hi]
    raise AssertionError(code)


def test_official_values_come_from_the_raw_tables(seinajoki):
    assert seinajoki.at["share_under_15", "value"] == float(_raw("11ra", "vaesto_alle15_p")[SEINAJOKI])
    assert seinajoki.at["mean_age", "value"] == float(_raw("11ra", "vaesto_keski_ika")[SEINAJOKI])
    assert seinajoki.at["median_income", "value"] == float(
        _raw("14ww", "tjt-ekvikturaha_med")[SEINAJOKI])
    assert seinajoki.at["unemployment_rate", "value"] == float(_raw("12r5", "TYOTOSUUS")[SEINAJOKI])
    assert seinajoki.at["unemployment_rate", "period"] == "2026M06"
    assert seinajoki.at["median_income", "period"] == "2024"


def test_rates_per_1000_use_the_population_of_the_same_year(seinajoki):
    pop = _population_2025()
    for measure, column in (("net_migration_internal_per_1000", "ssaaty-vm43_netto"),
                            ("net_immigration_per_1000", "ssaaty-vm4142")):
        expected = int(_raw("121w", column)[SEINAJOKI]) / pop[SEINAJOKI] * 1000
        assert seinajoki.at[measure, "value"] == pytest.approx(expected)
        assert seinajoki.at[measure, "year"] == 2025


def test_changes_and_jobs_per_resident_from_the_csv_tables(seinajoki):
    pop = {(r["code"], int(r["year"])): int(r["population"]) for r in _csv("population.csv")}
    jobs = {r["code"]: int(r["jobs"]) for r in _csv("jobs.csv") if r["year"] == "2021"}
    assert seinajoki.at["population_change_10y", "value"] == pytest.approx(
        (pop[SEINAJOKI, 2025] / pop[SEINAJOKI, 2015] - 1) * 100)
    assert seinajoki.at["jobs_per_resident", "value"] == pytest.approx(  # the latest jobs year
        jobs[SEINAJOKI] / pop[SEINAJOKI, 2021])
    # Finland: the sums over the municipalities
    total = lambda y: sum(v for (c, yr), v in pop.items() if yr == y)  # noqa: E731
    assert seinajoki.at["population_change_5y", "finland"] == pytest.approx(
        (total(2025) / total(2020) - 1) * 100)


def test_class_median_rank_and_peers_from_the_raw_tables(seinajoki):
    pop = _population_2025()
    peers_codes = _class_of(pop, SEINAJOKI)
    assert seinajoki.attrs["n_class"] == len(peers_codes)
    tertiary = {c: float(v) for c, v in _raw("12bs", "kaste5T8osuus").items() if c in peers_codes}
    assert seinajoki.at["share_tertiary", "class_median"] == pytest.approx(
        statistics.median(tertiary.values()))
    higher = sum(v > tertiary[SEINAJOKI] for v in tertiary.values())
    assert seinajoki.at["share_tertiary", "rank"] == higher + 1
    assert seinajoki.at["share_tertiary", "n_peers"] == len(tertiary)
    country = {r["indicator"]: float(r["value"]) for r in _csv("country_indicators.csv")}
    assert seinajoki.at["share_tertiary", "finland"] == country["share_tertiary"]


def test_n_of_m_matches_the_table(seinajoki):
    summary = peers.above_median_summary(seinajoki)
    assert summary["m"] == seinajoki["value"].notna().sum() == len(peers.MEASURES)
    assert summary["n"] == int((seinajoki["value"] > seinajoki["class_median"]).sum())
    frame, _ = peers_report.city_table(seinajoki, "fi")
    shown = frame.set_index("Tunnusluku")
    above = (shown["Seinäjoki"] > shown["Kokoluokan mediaani"]).sum()
    assert above == summary["n"]  # rounding in the table does not change a side
    assert "Huomautus" not in frame  # no value missing: no note column
    _, formatters = peers_report.city_table(seinajoki, "fi")
    texts = dict(zip(shown.index, formatters["Seinäjoki"]))  # each row its own decimals
    assert texts["Alle 15-vuotiaiden osuus"] == "16,0"
    assert texts["Rahatulojen mediaani kulutusyksikköä kohden"] == "29\u00a0989"
    assert texts["Työpaikkoja asukasta kohden"] == "0,50"  # jobs 2021 / residents 2021
    text = peers_report.city_summary_text(seinajoki, "fi")
    assert f"{summary['n']} tunnusluvussa {summary['m']}:stä" in text
    standout = peers_report.measure_label(summary["standout"], "en").lower()
    assert standout in peers_report.city_summary_text(seinajoki, "en")


def _with_missing_unemployment() -> str:
    rows = [r for r in _csv("indicators.csv")
            if r["indicator"] == "unemployment_rate" and r["value"] == ""]
    assert rows, "the snapshot has no municipality without an unemployment rate"
    return rows[0]["code"]


def test_missing_value_is_shown_with_its_reason_and_not_counted():
    code = _with_missing_unemployment()
    comp = peers.city_comparison(code)
    assert pd.isna(comp.at["unemployment_rate", "value"])
    assert comp.at["unemployment_rate", "missing_reason"] == "confidential (data protection)"
    assert comp.at["unemployment_rate", "above_median"] is None
    assert pd.isna(comp.at["unemployment_rate", "rank"])
    summary = peers.above_median_summary(comp)
    assert summary["m"] == len(peers.MEASURES) - 1
    assert summary["missing"] == ["unemployment_rate"]
    assert summary["standout"] != "unemployment_rate"
    frame, _ = peers_report.city_table(comp, "fi")
    assert "puuttuu: salassa pidettävä (tietosuoja)" in set(frame["Huomautus"])
    text = peers_report.city_summary_text(comp, "en")
    assert f"in {summary['n']} of the {summary['m']} indicators" in text
    assert "confidential (data protection)" in text


def test_partnership_members_against_the_other_class_municipalities():
    comp = peers.partnership_comparison("growth-cities")
    members = comp.attrs["members"]
    assert len(members) == 15 and not set(members) & set(comp.attrs["others"])
    pop = _population_2025()
    income = {c: float(v) for c, v in _raw("14ww", "tjt-ekvikturaha_med").items()}
    assert comp.at["median_income", "members_median"] == statistics.median(
        income[c] for c in members)
    classes = [tuple(_class_of(pop, c)) for c in members]
    modal = max(set(classes), key=classes.count)  # the class holding most members
    assert sum(c in modal for c in members) == 14  # Kajaani is below the class
    others = sorted(set(modal) - set(members))
    assert comp.attrs["others"] == others
    assert comp.at["median_income", "others_median"] == statistics.median(
        income[c] for c in others)
    summary = peers.partnership_summary(comp)
    assert summary["n"] == int((comp["members_median"] > comp["others_median"]).sum())
    assert summary["m"] == len(peers.MEASURES)
    text = peers_report.partnership_summary_text(comp, "en")
    assert f"in {summary['n']} of {summary['m']} indicators" in text
    assert peers_report.measure_label(summary["standout"], "en").lower() in text


def test_partnership_without_members():
    comp = peers.partnership_comparison("regional-towns")
    assert comp.attrs["members"] == [] and comp["members_median"].isna().all()
    assert (comp["n_members"] == 0).all() and comp["finland"].notna().all()
    assert "no members" in peers_report.partnership_summary_text(comp, "en")
    frame, _ = peers_report.partnership_table(comp, "en")
    assert len(frame) == len(peers.MEASURES)


def test_class_medians_per_standard_class():
    medians = peers.class_medians(2025)
    pop = _population_2025()
    mid = [c for c, p in pop.items() if 40_000 <= p < 100_000]
    under15 = [float(v) for c, v in _raw("11ra", "vaesto_alle15_p").items() if c in mid]
    assert medians.at["share_under_15", 5] == pytest.approx(statistics.median(under15))
    frame, _ = peers_report.class_medians_table(medians, "en", (40_000, 100_000))
    assert any(c.startswith("► 40,000–100,000") for c in frame.columns)
    assert "Finland" in frame.columns


def test_periods_and_sources_come_from_the_data(seinajoki):
    frame, _ = peers_report.city_table(seinajoki, "en")
    assert set(frame["Period"]) >= {"2025", "2024", "June 2026", "2020–2025", "2015–2025"}
    parts = " ".join(peers_report.source_parts(seinajoki, "fi"))
    for table in ("11ra", "121w", "12bs", "14ww", "12r5"):
        assert table in parts
    assert "kesäkuu 2026" in parts and "KEHA" in parts


def test_figures_draw_in_both_languages(seinajoki):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.present.figures import peers as plots
    from analysis.present.text.peers import measure_label

    values = peers.peer_values(SEINAJOKI, 2025)
    for lang in ("fi", "en"):
        fig = plots.city_figure(seinajoki, values, lang)
        texts = [text.get_text() for text in fig.axes[0].texts]
        # one row per measure, titled with its name, each with its own scale's labels
        assert [m for m in peers.MEASURES if measure_label(m, lang) not in texts] == []
        assert len(texts) > 3 * len(peers.MEASURES)
        plt.close(fig)
    comp = peers.partnership_comparison("growth-cities")
    fig = plots.partnership_figure(comp, peers.group_values("growth-cities"), "fi")
    plt.close(fig)


def test_nearest_peers_are_numbers_and_the_table_only_names_them():
    from analysis.analyses import profiles
    from analysis.present.text import city_profile as city_view

    prof = profiles.city_profile("Pori")
    peers = profiles.nearest_peers(prof)
    assert len(peers) == min(profiles.PEERS_SHOWN, len(prof.class_members))
    assert "609" in set(peers["code"])
    assert peers["population"].is_monotonic_decreasing
    for column in ("population", "change", "jobs", "n_partnerships"):
        assert pd.api.types.is_numeric_dtype(peers[column]), column
    table = city_view.peer_table(prof, "en")
    assert table.iloc[:, 2].tolist() == peers["population"].tolist()
    assert [n for n in table.iloc[:, 0] if n.startswith("► ")] == ["► Pori"]


def test_a_remembered_comparison_notes_the_reads_of_the_first_call():
    """Every profile needs every municipality's values, computed once per kernel; a later
    report that gets them from memory must still record what they were read from, or its
    render key would miss the data it depends on."""
    from analysis.data import readset

    peers._comparison_indicators.cache_clear()
    readset.start()
    first_frame = peers.city_comparison("Pori", 2025)
    first = readset.collected()
    readset.start()
    again = peers.city_comparison("Pori", 2025)
    assert readset.collected() == first
    assert {"indicators", "jobs", "population"} <= {item[1] for item in first}
    pd.testing.assert_frame_equal(again, first_frame)
    frame = peers.comparison_indicators(2025)
    frame["value"] = 0.0  # a caller's change stays in its copy
    assert peers.comparison_indicators(2025)["value"].ne(0.0).any()
