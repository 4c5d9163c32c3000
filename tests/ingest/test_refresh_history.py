"""`analysis data refresh --history` against the PxWeb look-alike on 127.0.0.1 with
multi-period tables built from the snapshot's own history files (tests/ingest/
history_fixtures.py): every period a table offers is asked for, split under the API's cell
limit and within its rate limit; 115p in its two commuting parts where the API offers them,
else as its total, and the sidecar and the summary say which."""

from __future__ import annotations

import json

import pandas as pd
from history_fixtures import jobs_in_parts, unemployment_months
from typer.testing import CliRunner

from analysis.cli import app
from analysis.ingest import refresh as rf


def client_for(server, **kw) -> rf.PxWebClient:
    return rf.PxWebClient(server.base_url, **{"timeout": 10.0, "retries": 2, "backoff": 0.01, **kw})


def _csv(folder, name):
    return pd.read_csv(folder / name, dtype={"code": str}, keep_default_na=False)


def test_history_of_jobs_in_parts_split_under_the_cell_limit(server, data_copy):
    server.tables["115p"] = jobs_in_parts()  # 1987–2021, SSS + both parts
    server.config["maxValues"] = 5000  # one year: 309 areas × 2 parts = 618 cells -> 8 per call
    before = {name: _csv(data_copy, name) for name in ("jobs.csv", "commuting.csv")}
    result = rf.refresh(data_copy, client_for(server), tables=["115p"], history=True)
    assert result.changed and result.tables[0].asked == "parts"
    assert result.tables[0].new == [str(y) for y in range(1987, 2022)]
    posts = server.requests("POST", "115p")
    assert len(posts) == 5 and server.max_cells_asked <= 5000
    assert server.too_many_values == 0 and server.rate_violations == 0
    files = sorted(p for p in (data_copy / "raw" / "pxweb").glob("115p_*.json")
                   if not p.name.endswith(".meta.json"))
    assert [f.name for f in files][:2] == ["115p_1987-1994.json", "115p_1995-2002.json"]
    meta = json.loads(files[0].with_name("115p_1987-1994.meta.json").read_text())
    assert meta["asked"] == "parts" and meta["periods"] == [str(y) for y in range(1987, 1995)]
    query = {q["code"]: q["selection"]["values"] for q in meta["request"]["query"]}
    assert query["Pendelöinti"] == ["1", "2"] and query["Tiedot"] == ["tyolliset"]
    # The API's answer (the same numbers) now wins for every year: the tables are unchanged.
    from analysis import data

    data.check(data_copy)
    for name, frame in before.items():
        assert _csv(data_copy, name).equals(frame), name
    package = json.loads((data_copy / "datapackage.json").read_text())
    sources = next(r for r in package["resources"] if r["name"] == "commuting")["sources"]
    assert sources[0]["file"] == "raw/pxweb/115p_2019-2021.json"
    text = rf.summary(result)
    assert "1987–2021 (35 periods) (asked in parts: local workers and in-commuters)" in text


def test_history_asks_the_total_where_the_parts_are_not_offered(server, data_copy):
    result = rf.refresh(data_copy, client_for(server), tables=["115p"], history=True)
    assert result.tables[0].asked == "total" and result.tables[0].new == ["2020"]
    meta = json.loads((data_copy / "raw" / "pxweb" / "115p_2020.meta.json").read_text())
    assert meta["asked"] == "total"
    assert {q["code"] for q in meta["request"]["query"]} == {"alue_23_20260101", "timeperiod_y",
                                                              "Tiedot"}
    jobs, commuting = _csv(data_copy, "jobs.csv"), _csv(data_copy, "commuting.csv")
    fetched = {r["key"][0][2:]: int(r["values"][0]) for r in server.tables["115p"]["data"]
               if r["key"][0].startswith("KU")}
    assert jobs[jobs["year"] == 2020].set_index("code")["jobs"].to_dict() == fetched
    assert 2020 not in set(commuting["year"])  # a total has no parts: that year leaves commuting
    assert "asked as the total: jobs only" in rf.summary(result)


def test_history_gives_the_indicators_their_series(server, data_copy):
    months = [f"2024M{m:02d}" for m in range(1, 13)] + ["2025M01"]
    server.tables["12r5"] = unemployment_months(server.tables["12r5"], months)
    server.config["maxValues"] = 15_000  # one month: 23 contents × 309 areas -> 2 per call
    before = _csv(data_copy, "unemployment.csv")
    result = rf.refresh(data_copy, client_for(server), tables=["12r5"], history=True)
    assert result.tables[0].new == months  # 2026M06 is held already
    assert len(server.requests("POST", "12r5")) == 7 and server.max_cells_asked <= 15_000
    indicators = _csv(data_copy, "indicators.csv")
    rate = indicators[indicators["indicator"] == "unemployment_rate"]
    assert sorted(rate["period"].unique()) == [*months, "2026M06"]  # a series now
    unemployed = indicators[indicators["indicator"] == "unemployed"]
    assert (unemployed.loc[unemployed["period"] == "2024M06", "missing_reason"]
            == "not available or too uncertain to publish").all()
    assert _csv(data_copy, "unemployment.csv").equals(before)  # the same rates, now from the API


def test_cli_history_dry_run(server, data_copy):
    server.tables["115p"] = jobs_in_parts()
    out = CliRunner().invoke(app, ["data", "refresh", "--history", "--dry-run", "--table", "115p",
                                   "--base-url", server.base_url, "--data-dir", str(data_copy)])
    assert out.exit_code == 0, out.output
    assert "newer: 1987–2021 (35 periods) (asked in parts" in out.output
    assert server.requests("POST") == []
