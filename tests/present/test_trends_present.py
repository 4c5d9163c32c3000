"""The trends in words, tables and figures: numbers from the analyses, the gap never drawn
across, alt text and the plotted numbers on every figure, fi/en/sv for every new key."""

import string

import numpy as np
import pytest

from analysis.analyses import claims, trends
from analysis.present import i18n
from analysis.present.text import trends as view

NBSP = "\u00a0"


def test_every_trends_key_has_fi_en_and_sv_with_the_same_placeholders():
    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    keys = {k: v for k, v in i18n.translations().items() if k.startswith("trends.")}
    assert len(keys) > 60
    for key, value in keys.items():
        assert set(value) == {"fi", "en", "sv"} and all(str(v).strip() for v in value.values()), key
        assert fields(value["fi"]) == fields(value["en"]) == fields(value["sv"]), key


def test_city_text_gives_the_direction_in_numbers():
    fi = view.city_text("Seinäjoki", None, "fi")
    assert f"Vuonna 2021 kunnassa oli 32{NBSP}683 työpaikkaa" in fi
    assert f"5 vuodessa (2016 → 2021) työpaikkojen määrä on kasvanut: +2{NBSP}644 (+8,8{NBSP}%)" in fi
    assert "(kesäkuu 2026)" in fi and "koko maassa 12,8" in fi
    assert "Kuukausilta helmikuu 2025–toukokuu 2026 ei ole tietoa" in fi
    en = view.city_text("Seinäjoki", None, "en")
    assert "32,683 jobs; 28.1% of them were filled by in-commuters (2011: 26.3%" in en
    assert "Over 10 years (June 2016 → June 2026) the rate has fallen: 11.2% → 9.5%" in en
    assert "The mean of 2024 was 8.2%" in en


def test_trend_table_rows_and_units():
    frame, formatters, caption = view.trend_report_table("Pori", None, "en")
    assert len(frame) == 8 and frame["Measure"].iloc[0] == "Jobs"
    assert formatters["Change"][0] == "+943 (+2.8%)"
    assert formatters["Change"][4].endswith("pp")  # the rate in percentage points
    assert formatters["Finland's change"][0] == "+4.5%" and formatters["Finland's change"][2] == "–"
    assert "19 municipalities" in caption and "Computed here" in caption


def _line(ax, label):
    return next(line for line in ax.get_lines() if line.get_label() == label)


def test_city_figure_breaks_at_the_gap_and_carries_alt_text_and_numbers():
    fig = view.city_figure("Kajaani", None, "en")
    frame = trends.unemployment_vs_class("Kajaani")
    jobs_ax, rate_ax = fig.axes
    y = np.asarray(_line(rate_ax, "Kajaani").get_ydata(), dtype=float)
    gap = frame.index.get_loc("2025M02")
    assert np.isnan(y[gap]) and np.isnan(y[frame.index.get_loc("2026M05")])  # never joined
    assert not np.isnan(y[frame.index.get_loc("2025M01")])
    alt = fig._analysis_alt
    assert alt.startswith("Stacked area chart: jobs 1987–2021")
    assert "The data hold no figures for February 2025–May 2026" in alt
    assert "Kajaani: 14.7% in January 2007 and 12.2% in June 2026" in alt
    numbers = fig._analysis_data.set_index("period")
    assert numbers.loc["2021", "Jobs"] == 15_653  # the jobs panel's rows, then the months
    assert (numbers.loc["1987":"2021", "working in their home municipality"]
            + numbers.loc["1987":"2021", "in-commuters"] == numbers.loc["1987":"2021", "Jobs"]).all()
    months = numbers.loc["2007M01":]
    assert len(months) == 234 and months["Finland"].notna().sum() == 1
    assert months.loc["2007M01", "Kajaani"] == 14.7


def test_members_and_class_views():
    text = view.members_text("growth-cities", "en")
    assert "The members' jobs together have fallen 1987–2021: 403,810 → 395,404" in text
    frame, _fmt, caption = view.members_table("growth-cities", "fi")
    assert len(frame) == 15 and frame.iloc[0, 0] == "Vaasa"  # most jobs first
    assert "kesäkuu 2026" in caption and "2024" in caption
    assert "409\u00a0242" in view.class_jobs_text(None, (40_000, 100_000), True, "fi")
    fig = view.class_jobs_figure(None, (40_000, 100_000), True, "en")
    assert fig._analysis_data.iloc[-1, 1] == 409_242
    fig = view.members_figure("growth-cities", "fi")
    assert "15 jäsenen mediaani" in fig._analysis_alt
    numbers = fig._analysis_data.set_index("ajankohta")
    assert numbers.loc["2026M06", "jäsenten mediaani"] == pytest.approx(12.2)
    assert numbers.loc["2025M06"].drop("n").isna().all()  # the gap


def test_the_second_claim_is_checked_with_what_was_published_then():
    check = claims.trend_check()
    a = check.attrs
    assert (a["jobs_end"], a["rate_end"], a["last_month"]) == (2021, 2022, "2023M08")
    assert len(check) == 15 and a["several"] == 3
    assert check.at["743", "verdict"] == "consistent" and a["n_consistent"] == 1
    assert a["verdict"] == "not_supported" and a["employment_rate_table"] == "115x"
    assert check.at["743", "jobs_change"] == pytest.approx(32_683 / 30_039 - 1)
    en = view.claim_text("en") + view.claim_verdict_text("en")
    assert "table 115x" in en and "1 of 15 (Seinäjoki)" in en
    assert "so the data do not support the claim" in en
    frame, _fmt, _caption = view.claim_table("fi")
    assert frame.iloc[0, 0] == "Seinäjoki" and frame.iloc[0, -1] == "väitteen mukainen"
