"""Published claims: the curated claims as data, and the check of the growth-cities
claim under every definition (figures checked against the snapshot's population table,
31 Dec, 2025 division, and its jobs table)."""

import shutil

import pytest
import yaml

from analysis.analyses import claims
from analysis.analyses.sizeclass import MID_SIZE_BOUNDS
from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.present.i18n import NBSP
from analysis.present.text import size_classes as view


def test_the_claim_is_curated_data_not_code():
    claim = claims.default()
    assert claim.claim_id == "growth-cities-size" and claim.source_id == "seinajoki-2023"
    assert (claim.count, claim.residents, claim.jobs) == (16, 1_100_000, 500_000)
    assert claim.bounds == (40_000, 100_000) and claim.cities_only
    assert claim.approximate == ("residents", "jobs")
    with pytest.raises(ParameterError, match="unknown claim 'nope'; claims: growth-cities-size, "
                                             "growth-cities-employment"):
        claims.load("nope")


def test_a_new_claim_is_a_data_change(tmp_path, monkeypatch):
    """A second claim added to data/curated/claims.yaml (no code) is built, loaded and
    checked like the first."""
    from analysis.ingest.build import build_snapshot

    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder)
    spec = yaml.safe_load((folder / "curated" / "claims.yaml").read_text(encoding="utf-8"))
    spec["claims"].append({"claim_id": "small-towns", "source_id": "ministry-2024",
                           "kind": "class_totals", "bounds": [10000, 20000], "cities_only": False,
                           "definitions": ["municipalities"], "figures": {"count": {"claimed": 43}},
                           "about_fi": "koe", "about_en": "test", "about_sv": "prov"})
    (folder / "curated" / "claims.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                                    encoding="utf-8")
    build_snapshot(output=folder, sources_dir=tmp_path / "none")
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(folder))
    assert claims.claim_ids() == ["growth-cities-size", "growth-cities-employment", "small-towns"]
    assert claims.claim_ids("class_totals") == ["growth-cities-size", "small-towns"]
    check = claims.claim_check(claims.load("small-towns"), year=2024)
    assert check["definition"].unique().tolist() == ["municipalities"]
    assert check.set_index("quantity").at["count", "computed"] == 43  # the standard class 10 000–20 000


# -- claim check -------------------------------------------------------------------------------
def test_rounds_to():
    assert claims.rounds_to(1_095_256, 1_100_000) and claims.rounds_to(1_050_000, 1_100_000)
    assert not claims.rounds_to(1_049_999, 1_100_000) and not claims.rounds_to(969_692, 1_100_000)
    assert not claims.rounds_to(395_200, 500_000) and claims.rounds_to(450_000, 500_000)
    assert claims.precision_step(1_100_000) == 100_000 and claims.significant_digits(16) == 2


def test_growth_cities_claim_check():
    check = claims.claim_check()
    assert check.attrs["year"] == 2022  # the latest population when the release appeared
    table = check.set_index(["definition", "quantity"])
    assert table.loc[("cities", "count"), ["computed", "confirmed"]].tolist() == [16, True]
    assert table.loc[("cities", "residents"), ["computed", "confirmed"]].tolist() == [969_692, False]
    assert table.loc[("cities", "jobs"), ["computed", "confirmed", "data_year"]].tolist() == [
        409_242, False, 2021]  # 115p's 2021, the latest jobs year published by 2023-10
    assert table.loc[("municipalities", "residents"), ["computed", "confirmed"]].tolist() == [
        1_095_256, True]
    assert table.loc[("municipalities", "count"), "computed"] == 19
    assert table.loc[("subregions", "count"), "computed"] == 14
    assert table.loc[("partnership", "count"), "computed"] == 15
    assert table.loc[("cities", "residents"), "difference"] == 969_692 - 1_100_000
    summary = claims.claim_summary(check)
    assert summary == {"confirmed": ["count"], "not_confirmed": ["residents", "jobs"],
                       "reproduced_by": [],
                       "matches": {"count": ["cities"], "residents": ["municipalities"],
                                   "jobs": []}}


def test_claim_check_other_year_and_missing_year():
    assert claims.claim_check(year=2024).set_index(["definition", "quantity"]).loc[
        ("cities", "residents"), "computed"] == 977_549
    with pytest.raises(ParameterError, match="available years"):
        claims.claim_check(year=1900)


def test_claim_year_follows_from_the_source_date():
    # The release is dated 2023-10: the latest population then published was 31 Dec 2022.
    assert claims.load("growth-cities-size").source_date == "2023-10"
    assert claims.load("growth-cities-size").year == 2022
    assert claims.year_available_at("2024-03") == 2022 and claims.year_available_at("2024-05") == 2023
    # Jobs: 115p's 2021 edition (local workers to 2021) was updated 2023-02-16; its 2022
    # edition holds in-commuters only for 2022, so jobs end in 2021 whatever the date.
    assert claims.jobs_year_available_at("2023-10") == 2021
    assert claims.jobs_year_available_at("2024-06") == 2021
    assert claims.jobs_year_available_at("2023-10", population_year=2015) == 2015


def test_claim_texts_state_what_is_confirmed():
    check = claims.claim_check()
    fi = view.claim_verdict_text(check, lang="fi")
    assert "**Lukumäärä: vahvistuu.**" in fi and "**Asukkaat: ei vahvistu.**" in fi
    assert "**Työpaikat: ei vahvistu.**" in fi and f"409{NBSP}242 (vuosi 2021)" in fi
    en = view.closing_text(check, None, MID_SIZE_BOUNDS, True, lang="en")
    assert "969,692 residents (claimed about 1,100,000: not confirmed)" in en
    assert "16 cities (claimed 16: confirmed)" in en and "No definition reproduces: jobs" in en
    frame, _ = view.claim_report_table(check, lang="en")
    assert "2021 (latest then published)" in set(frame["Data year"])


