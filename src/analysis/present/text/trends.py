"""Where a place is heading, in words, tables and figures: what
:mod:`analysis.analyses.trends` computes, for the city profile (a municipality against its
size class and Finland), the partnership profile (the members' trends) and the size-class
report (the class's jobs over time), and for the explorer.

    city_text("Pori", 2025, "en"); city_figure("Pori", 2025, "en")
    members_text("growth-cities", "fi"); class_jobs_text(2025, (40000, 100000), True, "fi")

Every number is computed by the analyses; every word comes from ``translations/trends.yaml``.
Drawing imports matplotlib only inside the figure functions.
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses import trends
from analysis.core.text import format_months, format_years
from analysis.data import catalogue
from analysis.data.checks import check_municipality, check_partnership
from analysis.data.names import display_name, name_column, partnership_name
from analysis.present.i18n import (
    bounds_label,
    class_label,
    fmt_float,
    fmt_int,
    fmt_pct,
    fmt_signed,
    fmt_signed_pct,
    t,
)
from analysis.present.text.peers import months_text, period_label

RATE_TABLE = catalogue.INDICATORS["unemployment_rate"].table_id  # 12r5
JOBS_TABLE = catalogue.TABLES["115p"].table_id


# ------------------------------------------------------------------ formats
def rate(value, lang: str) -> str:
    """A rate in per cent: 9.5 -> '9,5 %' (fi) / '9.5%' (en)."""
    return fmt_pct(value / 100, lang) if pd.notna(value) else "–"


def points(value, lang: str, short: bool = False) -> str:
    """A change in percentage points with its sign: '+1,1 prosenttiyksikköä' / '+1.1
    percentage points'; ``short`` for tables: '+1,1 %-yks.' / '+1.1 pp'."""
    if pd.isna(value):
        return "–"
    unit = t("trends.unit.pp" if short else "trends.unit.points", lang)
    return f"{fmt_signed(value, lang, 1)}\u00a0{unit}"


def _direction(change, lang: str, counts: bool = False) -> str:
    if pd.isna(change) or round(float(change), 1 if not counts else 0) == 0:
        return t("trends.word.same", lang)
    if counts:
        return t("trends.word.grew" if change > 0 else "trends.word.shrank", lang)
    return t("trends.word.rose" if change > 0 else "trends.word.fell", lang)


def _name(code: str, lang: str) -> str:
    return display_name(code, lang)


def _size_class(attrs: dict, lang: str) -> str:
    return class_label(attrs["class_lo"], attrs["class_hi"], lang)


def notes(lang: str) -> str:
    """What the two measures are (read under the section heading)."""
    return "\n\n".join([t("trends.jobs_note", lang, table=JOBS_TABLE),
                        t("trends.rate_note", lang, table=RATE_TABLE),
                        t("trends.annual_note", lang)])


def jobs_source(lang: str, years) -> str:
    from analysis.present import style  # matplotlib: imported only when drawing

    return style.source_text(lang, t("trends.source.jobs", lang, table=JOBS_TABLE,
                                     years=format_years(years)))


# ------------------------------------------------------------------ one municipality
def city_text(city, year, lang: str) -> str:
    """The direction in numbers: jobs and the in-commuters' share, then the unemployment
    rate's latest month against the class and Finland, its change over 5 and 10 years (the
    same month) and the latest complete year's mean (computed here)."""
    code = check_municipality(city).code
    name = _name(code, lang)
    table = trends.trend_table(code, year)
    attrs = table.attrs
    rows = table.set_index(["measure", "span"])
    size_class = _size_class(attrs, lang)
    paragraphs = [t("trends.class_rule", lang, year=attrs["year"], n=attrs["n_class"])]

    commuting = trends.commuting_series(code)
    last = int(commuting["in_commuter_share"].last_valid_index())
    back = last - max(trends.SPANS)
    shares = trends.in_commuter_share(last)
    peers = trends.class_codes(code, attrs["year"])
    jobs = [t("trends.jobs.latest", lang, year=last, jobs=fmt_int(commuting.at[last, "jobs"], lang),
              share=fmt_pct(commuting.at[last, "in_commuter_share"], lang), before_year=back,
              share_before=fmt_pct(commuting["in_commuter_share"].get(back), lang),
              class_share=fmt_pct(shares[peers].median(), lang))]
    for span in trends.SPANS:
        if ("jobs", span) in rows.index:
            row = rows.loc[("jobs", span)]
            jobs.append(t("trends.jobs.span", lang, span=span, start=row["start_period"],
                          end=row["end_period"], direction=_direction(row["change"], lang, True),
                          change=fmt_signed(row["change"], lang),
                          change_pct=fmt_signed_pct(row["change_pct"], lang),
                          class_change=fmt_signed_pct(row["class_change"], lang),
                          finland_change=fmt_signed_pct(row["finland_change"], lang)))
    paragraphs.append(" ".join(jobs))

    vs = trends.unemployment_vs_class(code, year)
    held = vs["value"].dropna()
    if held.empty:
        paragraphs.append(t("trends.rate.none", lang, name=name))
        return "\n\n".join(paragraphs)
    month = held.index[-1]
    at = vs.loc[month]
    finland = (t("trends.rate.finland", lang, value=rate(at["finland"], lang))
               if pd.notna(at["finland"]) else "")
    words = [t("trends.rate.latest", lang, name=name, rate=rate(at["value"], lang),
               month=period_label(month, lang), size_class=size_class, n=int(at["n"]),
               median=rate(at["median"], lang), low=rate(at["low"], lang),
               high=rate(at["high"], lang), finland=finland)]
    for span in trends.SPANS:
        if ("unemployment_month", span) in rows.index:
            row = rows.loc[("unemployment_month", span)]
            if pd.isna(row["start"]):
                continue
            words.append(t("trends.rate.span", lang, span=span,
                           start=period_label(row["start_period"], lang),
                           end=period_label(row["end_period"], lang),
                           direction=_direction(row["change"], lang),
                           before=rate(row["start"], lang), after=rate(row["end"], lang),
                           change=points(row["change"], lang),
                           class_change=points(row["class_change"], lang)))
    annual = [rows.loc[("unemployment_annual", s)] for s in trends.SPANS
              if ("unemployment_annual", s) in rows.index]
    if annual and pd.notna(annual[-1]["end"]):
        latest = trends.unemployment_annual(int(annual[-1]["end_period"]))
        before = annual[-1]
        words.append(t("trends.rate.annual", lang, year=before["end_period"],
                       rate=rate(before["end"], lang), median=rate(latest[peers].median(), lang),
                       span=before.name[1], before_year=before["start_period"],
                       before=rate(before["start"], lang)))
    paragraphs.append(" ".join(words))
    gaps = trends.gap_months(vs)
    if gaps:
        paragraphs.append(t("trends.rate.gap", lang, months=months_text(gaps, lang)))
    return "\n\n".join(paragraphs)


def trend_report_table(city, year, lang: str):
    """(frame, formatters): the direction over 5 and 10 years, one row per measure and span."""
    code = check_municipality(city).code
    table = trends.trend_table(code, year)
    col = {k: t(f"trends.col.{k}", lang) for k in
           ("measure", "span", "start", "end", "change", "class_change", "finland_change")}
    shown = pd.DataFrame({
        col["measure"]: [t(f"trends.measure.{m}", lang) for m in table["measure"]],
        col["span"]: [f"{_period(a, lang)}–{_period(b, lang)}"
                      for a, b in zip(table["start_period"], table["end_period"])],
        col["start"]: table["start"], col["end"]: table["end"], col["change"]: table["change"],
        col["class_change"]: table["class_change"], col["finland_change"]: table["finland_change"]})
    is_jobs = (table["measure"] == "jobs").tolist()

    def level(values, signed=False, relative=None):
        out = []
        for value, jobs, rel in zip(values, is_jobs, relative or [None] * len(values)):
            if jobs and rel is not None:
                out.append(fmt_signed_pct(rel, lang))
            elif jobs:
                out.append(fmt_signed(value, lang) if signed else fmt_int(value, lang))
            else:
                out.append(points(value, lang, True) if signed else fmt_float(value, lang, 1))
        return out

    formatters = {col["start"]: level(table["start"]), col["end"]: level(table["end"]),
                  col["change"]: [fmt_signed(c, lang) + f" ({fmt_signed_pct(p, lang)})" if j
                                  else points(c, lang, True)
                                  for c, p, j in zip(table["change"], table["change_pct"], is_jobs)],
                  col["class_change"]: level(table["class_change"], True,
                                             list(table["class_change"])),
                  col["finland_change"]: level(table["finland_change"], True,
                                               list(table["finland_change"]))}
    caption = t("trends.table.caption", lang, name=_name(code, lang),
                size_class=_size_class(table.attrs, lang), n=table.attrs["n_class"])
    return shown, formatters, caption


def _period(period: str, lang: str) -> str:
    return period_label(period, lang) if "M" in str(period) else str(period)


def city_figure(city, year, lang: str):
    """Jobs since the first year held, in two parts, above the unemployment rate every
    month against the size class's median and range and Finland: one figure."""
    from functools import partial

    from analysis.present.figures.trends import draw_jobs, draw_rate, two_panels

    code = check_municipality(city).code
    name = _name(code, lang)
    commuting = trends.commuting_series(code)
    rates = trends.unemployment_vs_class(code, year)
    jobs_years = [int(y) for y in commuting.dropna().index]
    rate_years = sorted({int(p[:4]) for p in rates.index})
    return two_panels(
        lang, title=t("trends.fig.city", lang, name=name),
        source=_sources(lang, jobs_years, rates),
        top=(t("trends.panel.jobs", lang, first=jobs_years[0], last=jobs_years[-1]), 1,
             partial(draw_jobs, commuting=commuting, lang=lang)),
        bottom=(t("trends.panel.rate", lang, first=rate_years[0], last=rate_years[-1],
                  size_class=_size_class(rates.attrs, lang), n=rates.attrs["n_class"]), 2,
                partial(draw_rate, frame=rates, name=name, lang=lang,
                        median_label=t("trends.legend.median", lang),
                        range_label=t("trends.legend.range", lang))))


def _sources(lang: str, years, rates: pd.DataFrame) -> str:
    """One source line for the jobs (its years) and the unemployment rate (its months)."""
    from analysis.present import style  # matplotlib: imported only when drawing

    months = rates.index[rates["median"].notna()]
    return style.source_text(lang, t("trends.source.jobs", lang, table=JOBS_TABLE,
                                     years=format_years(years)),
                             t("trends.source.rate", lang, table=RATE_TABLE,
                               months=format_months(months)))


# ------------------------------------------------------------------ a partnership's members
def _members(pid: str) -> list[str]:
    ms = data.memberships()
    return sorted(ms.loc[ms["partnership_id"] == pid, "code"])


def members_text(partnership, lang: str) -> str:
    pid = check_partnership(partnership)
    codes = _members(pid)
    group = trends.group_trends(codes)
    jobs, rates = group["jobs"], group["unemployment"]
    first, last = int(jobs.index.min()), int(jobs.index.max())
    start, end = jobs.at[first, "members"], jobs.at[last, "members"]
    held = rates["median"].dropna()
    month = held.index[-1]
    finland = (t("trends.rate.finland", lang, value=rate(rates.at[month, "finland"], lang))
               if pd.notna(rates.at[month, "finland"]) else "")
    return "\n\n".join([t("trends.members.intro", lang, first=first, last=last,
                          direction=_direction(end - start, lang, True),
                          start=fmt_int(start, lang), end=fmt_int(end, lang),
                          change_pct=fmt_signed_pct(end / start - 1, lang),
                          finland_change=fmt_signed_pct(
                              jobs.at[last, "finland"] / jobs.at[first, "finland"] - 1, lang),
                          median=rate(held.iloc[-1], lang), month=period_label(month, lang),
                          finland=finland),
                        notes(lang)])


def members_table(partnership, lang: str):
    """(frame, formatters, caption): one row per member, largest jobs first."""
    pid = check_partnership(partnership)
    table = trends.member_trends(_members(pid)).sort_values("jobs", ascending=False)
    a = table.attrs
    names = data.municipalities().set_index("code")[name_column(lang)]
    month = period_label(a["month"], lang)
    cols = {"name": t("col.municipality", lang), "jobs": t("trends.col.jobs", lang, year=a["jobs_year"])}
    frame = pd.DataFrame({cols["name"]: names.reindex(table.index).to_numpy(),
                          cols["jobs"]: table["jobs"].to_numpy()})
    formatters = {cols["jobs"]: lambda v: fmt_int(v, lang)}
    for span in trends.SPANS:
        column = t("trends.col.jobs_change", lang, span=span)
        frame[column] = table[f"jobs_change_{span}y"].to_numpy()
        formatters[column] = lambda v: fmt_signed_pct(v, lang)
    for key, year_value in (("share_before", a["share_before_year"]), ("share", a["share_year"])):
        column = t("trends.col.share", lang, year=year_value)
        frame[column] = table[key].to_numpy()
        formatters[column] = lambda v: fmt_pct(v, lang)
    column = t("trends.col.rate", lang, month=month)
    frame[column] = table["rate"].to_numpy()
    formatters[column] = lambda v: fmt_float(v, lang, 1)
    for span in trends.SPANS:
        column = t("trends.col.rate_change", lang, span=span)
        frame[column] = table[f"rate_change_{span}y"].to_numpy()
        formatters[column] = lambda v: fmt_signed(v, lang, 1)
    column = t("trends.col.annual", lang, year=a["annual_year"])
    frame[column] = table["annual"].to_numpy()
    formatters[column] = lambda v: fmt_float(v, lang, 1)
    caption = t("trends.members.caption", lang, jobs_year=a["jobs_year"], month=month,
                annual_year=a["annual_year"])
    return frame, formatters, caption


def members_figure(partnership, lang: str):
    """The members' unemployment rate every month: their median and range, and Finland's
    where held (their jobs are in :func:`members_text` and :func:`members_table`)."""
    from functools import partial

    from analysis.present.figures.trends import draw_rate, one_panel

    pid = check_partnership(partnership)
    codes = _members(pid)
    rates = trends.group_trends(codes)["unemployment"]
    name = partnership_name(pid, lang)
    years = sorted({int(p[:4]) for p in rates.index})
    return one_panel(
        lang, title=t("trends.fig.group", lang, name=name, first=years[0], last=years[-1]),
        subtitle=t("trends.fig.group_sub", lang, n=len(codes)),
        source=_rate_source(lang, rates), rows=2,
        draw=partial(draw_rate, frame=rates, name=name, lang=lang,
                     median_label=t("trends.legend.members_median", lang),
                     range_label=t("trends.legend.members_range", lang)))


def _rate_source(lang: str, rates: pd.DataFrame) -> str:
    from analysis.present import style  # matplotlib: imported only when drawing

    return style.source_text(lang, t("trends.source.rate", lang, table=RATE_TABLE,
                                     months=format_months(rates.index[rates["median"].notna()])))


# ------------------------------------------------------------------ a size class
def class_jobs_text(year, bounds, cities_only, lang: str) -> str:
    frame = trends.class_jobs(year, bounds, cities_only)
    first, last = int(frame.index.min()), int(frame.index.max())
    return t("trends.class_jobs.text", lang, year=frame.attrs["year"],
             n=len(frame.attrs["codes"]), first=first, last=last,
             start=fmt_int(frame.at[first, "members"], lang),
             end=fmt_int(frame.at[last, "members"], lang),
             change_pct=fmt_signed_pct(frame.at[last, "members"] / frame.at[first, "members"] - 1,
                                       lang),
             start_share=fmt_pct(frame.at[first, "members_share"], lang),
             end_share=fmt_pct(frame.at[last, "members_share"], lang),
             each_end=fmt_int(frame.at[last, "each_year"], lang))


def class_jobs_figure(year, bounds, cities_only, lang: str):
    from analysis.present.figures.trends import class_jobs_figure as draw

    frame = trends.class_jobs(year, bounds, cities_only)
    return draw(frame, bounds_label(frame.attrs["bounds"], lang), lang,
                source=jobs_source(lang, frame.index))


# ------------------------------------------------------------------ the trend claim
def _claim_check(claim_id: str | None):
    from analysis.analyses import claims

    claim = claims.load(claim_id) if claim_id else claims.load(claims.trend_ids()[0])
    return claim, claims.trend_check(claim)


def claim_text(lang: str, claim_id: str | None = None) -> str:
    """What the trend claim says, what the data cannot and can say about it."""
    claim, check = _claim_check(claim_id)
    a = check.attrs
    source = data.sources().set_index("source_id").loc[claim.source_id]
    about_lang = lang if lang in ("fi", "en") else "en"  # claims.csv holds fi and en
    about = data.claims().query("claim_id == @claim.claim_id")[f"about_{about_lang}"].iloc[0]
    title_lang = lang if f"title_{lang}" in source.index else "en"
    first = check.iloc[0]
    return "\n\n".join([
        t("trends.claim.intro", lang, title=source[f"title_{title_lang}"], date=source["date"],
          about=about, partnership=partnership_name(a["subject"], lang), n=len(check)),
        t("trends.claim.cannot", lang, table=a["employment_rate_table"]),
        t("trends.claim.can", lang, jobs_start=a["jobs_start"], jobs_end=a["jobs_end"],
          rate_start=a["rate_start"], rate_end=a["rate_end"],
          last_month=period_label(a["last_month"], lang), span=a["span"], year=a["year"],
          finland_change=fmt_signed_pct(first["finland_jobs_change"], lang))])


def claim_table(lang: str, claim_id: str | None = None):
    """(frame, formatters, caption): the check city by city, numbers as numbers."""
    _claim, check = _claim_check(claim_id)
    a = check.attrs
    check = check.sort_values(["met", "jobs_change"], ascending=[False, False])
    names = data.municipalities().set_index("code")[name_column(lang)]
    col = {
        "name": t("col.municipality", lang),
        "jobs_change": t("trends.claim.col.jobs_change", lang, start=a["jobs_start"],
                         end=a["jobs_end"]),
        "class_jobs_change": t("trends.claim.col.class_jobs_change", lang),
        "rate_end": t("trends.claim.col.rate_end", lang, year=a["rate_end"]),
        "class_rate_end": t("trends.claim.col.class_rate_end", lang, year=a["rate_end"]),
        "rate_change": t("trends.claim.col.rate_change", lang, start=a["rate_start"],
                         end=a["rate_end"]),
        "class_rate_change": t("trends.claim.col.class_rate_change", lang),
        "met": t("trends.claim.col.met", lang), "verdict": t("trends.claim.col.verdict", lang)}
    frame = pd.DataFrame({col["name"]: names.reindex(check.index).to_numpy()})
    for key in ("jobs_change", "class_jobs_change", "rate_end", "class_rate_end", "rate_change",
                "class_rate_change", "met"):
        frame[col[key]] = check[key].to_numpy()
    frame[col["verdict"]] = [t(f"trends.claim.v.{v}", lang) for v in check["verdict"]]
    formatters = {col["jobs_change"]: lambda v: fmt_signed_pct(v, lang),
                  col["class_jobs_change"]: lambda v: fmt_signed_pct(v, lang),
                  col["rate_end"]: lambda v: fmt_float(v, lang, 1),
                  col["class_rate_end"]: lambda v: fmt_float(v, lang, 1),
                  col["rate_change"]: lambda v: fmt_signed(v, lang, 1),
                  col["class_rate_change"]: lambda v: fmt_signed(v, lang, 1),
                  col["met"]: lambda v: fmt_int(v, lang)}
    caption = t("trends.claim.caption", lang, date=a["date"], start=a["jobs_start"],
                end=a["jobs_end"],
                finland_change=fmt_signed_pct(check["finland_jobs_change"].iloc[0], lang))
    return frame, formatters, caption


def claim_verdict_text(lang: str, claim_id: str | None = None) -> str:
    _claim, check = _claim_check(claim_id)
    a = check.attrs
    names = data.municipalities().set_index("code")[name_column(lang)]
    consistent = sorted(names[c] for c in check.index[check["verdict"] == "consistent"])
    return t("trends.claim.verdict", lang, n_consistent=a["n_consistent"], n=len(check),
             names=t("trends.claim.names", lang, names=", ".join(consistent)) if consistent else "",
             n_partly=a["n_partly"], n_none=int((check["verdict"] == "not_consistent").sum()),
             several=a["several"],
             verdict=t("trends.claim.supports" if a["verdict"] == "consistent"
                       else "trends.claim.not_supported", lang))
