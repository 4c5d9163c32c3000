"""`analysis data refresh` against a PxWeb look-alike on 127.0.0.1 (real HTTP, no mocks).

Every test works on a copy of the data folder in tmp_path, never on data/.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.ingest import refresh as rf


# ------------------------------------------------------------------ fixtures and helpers
def tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest()
                                         if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


def noop_build(raw: Path, output: Path) -> None:
    """Keeps the copied tables: the refresh's own steps are tested without the lead's build."""


def client_for(server, **kw) -> rf.PxWebClient:
    options = dict(timeout=5.0, retries=2, backoff=0.01)  # generous: the machine is shared
    options.update(kw)
    return rf.PxWebClient(server.base_url, **options)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ dry run
def test_dry_run_lists_newer_periods_and_fetches_nothing_else(server, data_copy):
    server.add_period("11re", "2026", "2025")
    server.add_period("12r5", "2026M07", "2026M06")
    before = tree_hash(data_copy)
    result = rf.refresh(data_copy, client_for(server), dry_run=True)
    new = {t.table_id: t.new for t in result.tables}
    assert new == {"11re": ["2026"], "11ra": [], "121w": [], "12bs": [], "14ww": [],
                   "12r5": ["2026M07"], "115p": []}
    assert server.requests("POST") == []
    assert len(server.requests("GET")) == 1 + len(rf.TABLES)  # ?config + one metadata each
    assert tree_hash(data_copy) == before
    text = rf.summary(result)
    assert "newer: 2026M07" in text and "dry run" in text


def test_cli_dry_run(server, data_copy):
    server.add_period("11re", "2026", "2025")
    out = CliRunner().invoke(app, ["data", "refresh", "--dry-run", "--table", "11re",
                                   "--base-url", server.base_url, "--timeout", "2",
                                   "--data-dir", str(data_copy)])
    assert out.exit_code == 0, out.output
    assert "11re" in out.output and "newer: 2026" in out.output
    assert server.requests("POST") == []


# ------------------------------------------------------------------ a new year, end to end
def test_refresh_adds_one_more_year(server, data_copy):
    server.add_period("11re", "2026", "2025")
    client = client_for(server)
    result = rf.refresh(data_copy, client, build=noop_build)
    assert result.changed
    added = {t.table_id: t.new for t in result.tables if t.new}
    assert added == {"11re": ["2026"]}
    raw = data_copy / "raw" / "pxweb" / "11re_2026.json"
    meta = json.loads((data_copy / "raw" / "pxweb" / "11re_2026.meta.json").read_text())
    body = raw.read_bytes()
    assert meta["sha256"] == hashlib.sha256(body).hexdigest()
    assert meta["table_id"] == "11re" and meta["periods"] == ["2026"]
    assert meta["municipal_division"] == 2026 and meta["licence"] == "CC-BY-4.0"
    assert meta["updated"] == "2026-04-01T05:00:00Z" and meta["retrieved"].endswith("Z")
    assert meta["url"] == server.base_url + "11re.px"
    query = {q["code"]: q["selection"]["values"] for q in meta["request"]["query"]}
    assert query["timeperiod_y"] == ["2026"] and query["Tiedot"] == ["vaerak-vaesto"]
    assert query["sukupuoli_9_20180101"] == ["SSS", "1", "2"]
    assert len(query["alue_23_20260101"]) == 309  # SSS + 308 municipalities
    assert {"file", "publisher", "table_id", "title", "periods", "municipal_division", "route",
            "updated", "retrieved", "url", "request", "licence", "sha256"} <= set(meta)
    doc = json.loads(body)
    rows = {(r["key"][0], r["key"][1]): int(r["values"][0]) for r in doc["data"]}
    for sex in ("SSS", "1", "2"):  # Finland = sum of municipalities in the new year
        assert rows[("SSS", sex)] == sum(v for (a, s), v in rows.items() if a != "SSS" and s == sex)
    assert not (data_copy / rf.STAGING_NAME).exists()
    assert not (data_copy / rf.BACKUP_NAME).exists()
    from analysis import data

    data.check(data_copy)
    # a second run finds nothing newer and changes nothing
    before = tree_hash(data_copy)
    again = rf.refresh(data_copy, client_for(server), build=noop_build)
    assert not again.changed and tree_hash(data_copy) == before


def test_refresh_end_to_end_with_build(server, data_copy):
    import pandas as pd

    from analysis import data

    server.add_period("11re", "2026", "2025")
    result = rf.refresh(data_copy, client_for(server))
    assert result.changed
    data.check(data_copy)
    population = pd.read_csv(data_copy / "population.csv", dtype={"code": str})
    assert population["year"].max() == 2026
    assert len(population[population["year"] == 2026]) == 308


def test_cli_refresh_against_server(server, data_copy):
    server.add_period("11re", "2026", "2025")
    out = CliRunner().invoke(app, ["data", "refresh", "--base-url", server.base_url,
                                   "--data-dir", str(data_copy)])
    assert out.exit_code == 0, out.output
    assert "added: 2026" in out.output and "analysis render" in out.output
    assert (data_copy / "raw" / "pxweb" / "11re_2026.json").exists()


# ------------------------------------------------------------------ jobs by workplace (115p)
def test_jobs_by_workplace_request_on_synthetic_fixture(server, data_copy):
    server.add_period("115p", "2022", "2020")
    result = rf.refresh(data_copy, client_for(server), tables=["115p"], build=noop_build)
    assert [t.new for t in result.tables] == [["2022"]]  # to 2021 held in the Excel exports
    meta = json.loads((data_copy / "raw" / "pxweb" / "115p_2022.meta.json").read_text())
    query = {q["code"]: q["selection"]["values"] for q in meta["request"]["query"]}
    assert set(query) == {"alue_23_20260101", "timeperiod_y", "Tiedot"}  # the rest eliminated
    assert query["Tiedot"] == ["tyolliset"] and query["timeperiod_y"] == ["2022"]
    doc = json.loads((data_copy / "raw" / "pxweb" / "115p_2022.json").read_bytes())
    assert len(doc["data"]) == 309


# ------------------------------------------------------------------ failures leave data/ as it was
FAILURES = {
    "http 500 after retries": ({("POST", "11re"): ["500"] * 3}, "HTTP 500"),
    "http 400": ({("POST", "11re"): ["400"]}, "HTTP 400"),
    "http 403 too many values": ({("POST", "11re"): ["403"]}, "maxValues"),
    "429 after retries": ({("POST", "11re"): ["429"] * 3}, "HTTP 429"),
    "timeout": ({("POST", "11re"): ["timeout"] * 3}, "no answer within"),
    "malformed json": ({("POST", "11re"): ["malformed"]}, "malformed JSON"),
    "unknown area code": ({("POST", "11re"): ["unknown_area"]}, "999"),
    "metadata 500": ({("GET", "11re"): ["500"] * 3}, "HTTP 500"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_failure_leaves_data_unchanged(server, data_copy, case):
    faults, message = FAILURES[case]
    server.add_period("11re", "2026", "2025")
    server.add_period("121w", "2026", "2025")
    server.faults.update({k: list(v) for k, v in faults.items()})
    before = tree_hash(data_copy)
    client = client_for(server, timeout=0.3) if case == "timeout" else client_for(server)
    with pytest.raises(rf.RefreshError) as info:
        rf.refresh(data_copy, client, build=noop_build)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert tree_hash(data_copy) == before


def test_unknown_area_code_names_codes_and_merger_table(server, data_copy):
    server.add_period("11re", "2026", "2025")
    server.faults[("POST", "11re")] = ["unknown_area"]
    with pytest.raises(rf.DivisionError) as info:
        rf.refresh(data_copy, client_for(server), build=noop_build)
    text = str(info.value)
    assert "999" in text and "020" in text and "data/curated/mergers.csv" in text


def test_municipality_gone_from_metadata_stops_before_fetching(server, data_copy):
    server.add_period("11re", "2026", "2025")
    doc = server.tables["11re"]
    doc["data"] = [r for r in doc["data"] if r["key"][0] != "KU005"]
    before = tree_hash(data_copy)
    with pytest.raises(rf.DivisionError, match="missing: 005"):
        rf.refresh(data_copy, client_for(server), build=noop_build)
    assert server.requests("POST") == [] and tree_hash(data_copy) == before


def test_keyboard_interrupt_during_fetch(server, data_copy):
    server.add_period("11re", "2026", "2025")
    server.add_period("121w", "2026", "2025")
    before = tree_hash(data_copy)

    def interrupt(line: str) -> None:  # Ctrl-C while the second table is being fetched
        if line.startswith("121w: fetching"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rf.refresh(data_copy, client_for(server), build=noop_build, echo=interrupt)
    assert len(server.requests("POST", "11re")) == 1  # the first table was fetched and staged
    assert tree_hash(data_copy) == before


def test_validation_error_after_build(server, data_copy):
    server.add_period("11re", "2026", "2025")
    before = tree_hash(data_copy)

    def bad_build(raw: Path, output: Path) -> None:
        table = output / "population.csv"
        table.write_text(table.read_text() + "005,2026,-5\n")

    with pytest.raises(rf.RefreshError, match="does not pass the build/check"):
        rf.refresh(data_copy, client_for(server), build=bad_build)
    assert tree_hash(data_copy) == before


def test_interrupt_during_swap_rolls_back(server, data_copy, monkeypatch):
    server.add_period("11re", "2026", "2025")
    before = tree_hash(data_copy)
    real_rename = Path.rename
    count = {"n": 0}

    def flaky_rename(self, target):
        count["n"] += 1
        if count["n"] == 5:
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", flaky_rename)
    with pytest.raises(KeyboardInterrupt):
        rf.refresh(data_copy, client_for(server), build=noop_build)
    monkeypatch.undo()
    assert tree_hash(data_copy) == before


def test_no_network_one_line_and_nothing_changed(data_copy):
    before = tree_hash(data_copy)
    port = closed_port()
    out = CliRunner().invoke(app, ["data", "refresh", "--base-url",
                                   f"http://127.0.0.1:{port}/api/v1/fi/StatFin/",
                                   "--timeout", "2", "--data-dir", str(data_copy)])
    assert out.exit_code != 0
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: no network"), out.output
    assert "connection refused" in lines[0]
    assert tree_hash(data_copy) == before


def test_retry_on_429_and_500_then_success(server, data_copy):
    server.add_period("11re", "2026", "2025")
    server.faults[("POST", "11re")] = ["429", "500"]
    result = rf.refresh(data_copy, client_for(server), build=noop_build)
    assert result.changed and len(server.requests("POST", "11re")) == 3


# ------------------------------------------------------------------ schema drift
def test_unknown_missing_value_marker_names_table_and_variable(server, data_copy):
    server.add_period("121w", "2026", "2025")
    row = next(r for r in server.tables["121w"]["data"] if r["key"] == ["2026", "KU020"])
    row["values"][3] = "-"
    before = tree_hash(data_copy)
    with pytest.raises(rf.RefreshError, match=r"table 121w, variable 'ssaaty-vm43_tulo'.*'-'"):
        rf.refresh(data_copy, client_for(server), build=noop_build)
    assert tree_hash(data_copy) == before


def test_new_variable_in_metadata_is_an_error(server, data_copy):
    server.add_period("11re", "2026", "2025")
    doc = server.tables["11re"]
    doc["columns"].insert(1, {"code": "ika_5v", "text": "Ikä", "type": "d"})
    for row in doc["data"]:
        row["key"].insert(1, "SSS")
    with pytest.raises(rf.RefreshError, match=r"table 11re: unknown variable 'ika_5v'"):
        rf.refresh(data_copy, client_for(server), dry_run=True)


def test_renamed_time_variable_is_an_error(server, data_copy):
    server.tables["12bs"]["columns"][0]["code"] = "vuosi"
    with pytest.raises(rf.RefreshError, match=r"table 12bs: time variable 'timeperiod_y'"):
        rf.refresh(data_copy, client_for(server), tables=["12bs"], dry_run=True)


def test_renamed_content_column_is_an_error(server, data_copy):
    server.tables["14ww"]["columns"][3]["code"] = "hkturaha18_median"
    with pytest.raises(rf.RefreshError, match=r"table 14ww: no variable offers the contents "
                       r"\['hkturaha18_med'\] \(closest: variable 'Tiedot'\)"):
        rf.refresh(data_copy, client_for(server), tables=["14ww"], dry_run=True)


# ------------------------------------------------------------------ limits
def test_rate_limit_from_config_is_respected(server, data_copy):
    server.config.update(maxCalls=3, timeWindow=0.5)
    client = client_for(server)
    start = time.monotonic()
    rf.refresh(data_copy, client, dry_run=True)
    elapsed = time.monotonic() - start
    assert client.limiter.max_calls == 3 and client.limiter.window == 0.5
    assert len(server.log) == 1 + len(rf.TABLES)
    assert server.rate_violations == 0
    assert elapsed >= 1.0  # 8 calls at 3 per 0.5 s need at least two full windows


def test_default_rate_limit_without_config(server, data_copy):
    server.faults[("GET", "config")] = ["400"]
    client = client_for(server)
    client.configure()
    assert (client.limiter.max_calls, client.limiter.window) == (30, 10.0)


def test_queries_split_by_period_below_max_values(server, data_copy):
    server.config["maxValues"] = 1000  # one year of 11re is 309 areas x 3 sexes = 927 cells
    server.add_period("11re", "2026", "2025")
    server.add_period("11re", "2027", "2025")
    result = rf.refresh(data_copy, client_for(server), build=noop_build)
    assert result.changed
    assert server.too_many_values == 0 and server.max_cells_asked <= 1000
    assert len(server.requests("POST")) == 2
    for year in ("2026", "2027"):
        meta = json.loads((data_copy / "raw" / "pxweb" / f"11re_{year}.meta.json").read_text())
        assert meta["periods"] == [year]


def test_period_larger_than_max_values_stops_before_fetching(server, data_copy):
    server.config["maxValues"] = 500  # the build reads whole periods: no split by area
    server.add_period("11re", "2026", "2025")
    before = tree_hash(data_copy)
    with pytest.raises(rf.RefreshError, match=r"table 11re: one period needs 927 cells"):
        rf.refresh(data_copy, client_for(server), build=noop_build)
    assert server.requests("POST") == [] and tree_hash(data_copy) == before


def test_queries_pack_periods_up_to_max_values(server, data_copy):
    server.config["maxValues"] = 2000  # two years of 11re fit in one call (1 854 cells)
    server.add_period("11re", "2026", "2025")
    server.add_period("11re", "2027", "2025")
    rf.refresh(data_copy, client_for(server), build=noop_build)
    assert len(server.requests("POST")) == 1 and server.max_cells_asked <= 2000
    meta = json.loads((data_copy / "raw" / "pxweb" / "11re_2026-2027.meta.json").read_text())
    assert meta["periods"] == ["2026", "2027"]


def test_unknown_table_id(data_copy):
    with pytest.raises(rf.RefreshError, match="unknown table"):
        rf.refresh(data_copy, rf.PxWebClient("http://127.0.0.1:9/"), tables=["nope"])


def test_leftover_staging_is_removed_but_leftover_backup_stops(server, data_copy):
    server.add_period("11re", "2026", "2025")
    (data_copy / rf.STAGING_NAME / "junk").mkdir(parents=True)
    rf.refresh(data_copy, client_for(server), build=noop_build)
    assert not (data_copy / rf.STAGING_NAME).exists()
    (data_copy / rf.BACKUP_NAME).mkdir()
    server.add_period("11re", "2027", "2025")
    with pytest.raises(rf.RefreshError, match="killed while swapping"):
        rf.refresh(data_copy, client_for(server), build=noop_build)


@pytest.mark.slow
def test_new_year_is_the_latest_in_a_rendered_report(server, data_copy, tmp_path, monkeypatch):
    from analysis import render

    server.add_period("11re", "2026", "2025")
    rf.refresh(data_copy, client_for(server))
    pori = next(int(r["values"][0]) for r in server.tables["11re"]["data"]
                if r["key"] == ["KU609", "SSS", "2026"])
    monkeypatch.setenv("ANALYSIS_DATA_DIR", str(data_copy))
    out = tmp_path / "reports"
    summary = render.run(render.make_jobs("city_profile", {"city": "Pori"}, ["en"]), out,
                         n_workers=1, progress=False)
    assert summary.exit_code == 0, render.summary_table(summary)
    page = (out / "en/cities/pori-609.html").read_text(encoding="utf-8")
    assert "2026" in page and f"{pori:,}" in page


def test_retry_after_is_honoured(server, data_copy):
    server.add_period("11re", "2026", "2025")
    server.faults[("POST", "11re")] = ["429:1"]
    rf.refresh(data_copy, client_for(server), build=noop_build)
    posts = [t for t, *_ in server.requests("POST", "11re")]
    assert len(posts) == 2 and posts[1] - posts[0] >= 1.0


def test_jobs_by_workplace_end_to_end_with_build(server, data_copy):
    import pandas as pd

    from analysis import data

    server.add_period("115p", "2022", "2020")
    old = pd.read_csv(data_copy / "jobs.csv", dtype={"code": str})
    rf.refresh(data_copy, client_for(server), tables=["115p"])
    data.check(data_copy)
    jobs = pd.read_csv(data_copy / "jobs.csv", dtype={"code": str})
    assert sorted(jobs["year"].unique()) == list(range(1987, 2023))
    assert jobs[jobs["year"] < 2022].reset_index(drop=True).equals(old)
    fetched = {r["key"][0][2:]: int(r["values"][0]) for r in server.tables["115p"]["data"]
               if r["key"][1] == "2022" and r["key"][0].startswith("KU")}
    new = jobs[jobs["year"] == 2022].set_index("code")["jobs"].to_dict()
    assert new == fetched


def test_build_error_from_the_real_build_leaves_data_unchanged(server, data_copy):
    server.add_period("11re", "2026", "2025")
    row = next(r for r in server.tables["11re"]["data"] if r["key"] == ["SSS", "SSS", "2026"])
    row["values"] = [str(int(row["values"][0]) + 1)]  # Finland no longer the sum of municipalities
    before = tree_hash(data_copy)
    with pytest.raises(rf.RefreshError, match=r"does not pass the build/check.*whole-country row"):
        rf.refresh(data_copy, client_for(server))
    assert tree_hash(data_copy) == before


def test_jobs_provenance_names_the_fetched_table(server, data_copy):
    server.add_period("115p", "2022", "2020")
    rf.refresh(data_copy, client_for(server), tables=["115p"])
    package = json.loads((data_copy / "datapackage.json").read_text())
    jobs = next(r for r in package["resources"] if r["name"] == "jobs")
    assert [s["file"] for s in jobs["sources"]] == [
        "raw/pxweb/115p_2022.json", "raw/history/115p_2021_local_workers_by_workplace_1987-2021.xlsx",
        "raw/history/115p_2022_in_commuters_by_workplace_1987-2022.xlsx", "raw/jobs_2020.csv"]
    assert jobs["years"] == list(range(1987, 2023))
