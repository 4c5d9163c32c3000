"""Sentences and tables of ``notebooks/indicator.ipynb``: one indicator across the country,
what :mod:`analysis.analyses.indicators` computes, in Finnish, English or Swedish.

    frame = indicators.values("births")
    intro_text(frame, "sv"); ranking_table(frame, "sv")
    history_text(indicators.history("births"), frame, "sv")
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses.indicators import PER_1000, Outline, summary
from analysis.data import provenance
from analysis.data.names import name_column, partnership_name
from analysis.present.i18n import bounds_label, fmt_float, fmt_int, t
from analysis.present.text.peers import period_label, reason_label, unit_label

DIGITS = {"%": 1, "years": 1, "EUR": 0, PER_1000: 1, "persons": 0}


def indicator_name(indicator: str, lang: str) -> str:
    return t(f"indicator.name.{indicator}", lang)


def unit_text(unit: str, lang: str) -> str:
    """'%', 'vuotta', 'euroa', '1 000 asukasta kohden', 'henkilöä' (a unit in ``lang``)."""
    return t("indicator.unit.persons", lang) if unit == "persons" else unit_label(unit, lang)


def fmt_shown(value, frame: pd.DataFrame, lang: str, unit: str | None = None) -> str:
    """A compared value with the digits of its unit (the indicator's, or per 1 000)."""
    digits = DIGITS.get(unit or frame.attrs["shown_unit"], 1)
    return fmt_int(value, lang) if digits == 0 else fmt_float(value, lang, digits)


def with_unit(value, frame: pd.DataFrame, lang: str) -> str:
    """'12,8 %', '41,6 vuotta', '6,4 / 1 000 asukasta' (the compared value in its unit)."""
    unit = frame.attrs["shown_unit"]
    key = {"%": "pct", "years": "years", "EUR": "eur", PER_1000: "per_1000"}[unit]
    return t(f"peers.with_unit.{key}", lang, value=fmt_shown(value, frame, lang))


def period_text(frame: pd.DataFrame, lang: str) -> str:
    return period_label(frame.attrs["period"], lang)


def names(codes, lang: str) -> list[str]:
    munis = data.municipalities().set_index("code")[name_column(lang)]
    return [str(munis[c]) for c in codes]


def group_label(outline: Outline, lang: str) -> str:
    """What is outlined, as a reader says it: 'cities of 40,000–100,000 residents (2025)'
    or the partnership's short name ('' for none)."""
    if outline.kind == "class":
        return t("indicator.group.class", lang, bounds=bounds_label(outline.bounds, lang),
                 year=outline.year)
    if outline.kind == "partnership":
        return partnership_name(outline.partnership, lang)
    return ""


def source_line(frame: pd.DataFrame, lang: str) -> str:
    """The indicator's publisher, table and period (from the data package)."""
    table = frame.attrs["source_table"]
    return t("indicator.source", lang, publisher=provenance.table_source(table)["publisher"],
             table=table, period=period_text(frame, lang))


def _listed(frame: pd.DataFrame, codes, lang: str) -> str:
    shown = frame.set_index("code")["shown"]
    return ", ".join(f"{n} {with_unit(shown[c], frame, lang)}" for c, n in zip(codes, names(codes, lang)))


def intro_text(frame: pd.DataFrame, lang: str) -> str:
    """Title and opening: what the indicator is, its period and source, how it is compared,
    the median, quartiles, Finland, the highest and lowest municipalities, what is missing
    and the outlined group."""
    a, s = frame.attrs, summary(frame)
    name = indicator_name(a["indicator"], lang)
    table = a["source_table"]
    parts = [t("indicator.title", lang, name=name, period=period_text(frame, lang)),
             t("indicator.about", lang, n=fmt_int(len(frame), lang), period=period_text(frame, lang),
               publisher=provenance.table_source(table)["publisher"], table=table,
               unit=unit_text(a["unit"], lang))]
    if a["shown_unit"] == PER_1000:
        text = t("indicator.per_1000", lang, year=a["population_year"])
        if a["population_year"] != a["year"]:
            text += " " + t("indicator.population_earlier", lang, year=a["population_year"],
                            period=period_text(frame, lang))
        parts.append(text)
    quartiles = {q: fmt_shown(s[q], frame, lang) for q in ("q25", "q75")}
    key = "indicator.summary" if pd.notna(s["country"]) else "indicator.summary.no_country"
    parts.append(t(key, lang, median=with_unit(s["q50"], frame, lang), **quartiles,
                   country=with_unit(s["country"], frame, lang),
                   top=_listed(frame, s["top"], lang), bottom=_listed(frame, s["bottom"], lang)))
    if s["missing"]:
        reasons = {reason_label(r, lang) or t("peers.reason.not-in-the-data", lang)
                   for r in frame.loc[frame["shown"].isna(), "missing_reason"]}
        parts.append(t("indicator.missing", lang, n=s["missing"], reasons="; ".join(sorted(reasons))))
    parts.append(outline_text(frame, lang))
    return "\n\n".join(parts)


def outline_text(frame: pd.DataFrame, lang: str) -> str:
    outline, s = frame.attrs["outline"], summary(frame)
    if outline.kind == "none":
        return t("indicator.outline.none", lang)
    if outline.kind == "partnership" and not outline.codes:
        return t("indicator.outline.empty", lang, name=group_label(outline, lang))
    values = {"n": s["group_n"], "median": with_unit(s["group_median"], frame, lang),
              "above": s["group_above_country"] if s["group_above_country"] is not None else "–"}
    if outline.kind == "class":
        return t("indicator.outline.class", lang, bounds=bounds_label(outline.bounds, lang),
                 year=outline.year, **values)
    return t("indicator.outline.partnership", lang, name=group_label(outline, lang), **values)


def ranking_table(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """Every municipality by rank (missing values last, without a rank): name, region,
    the value as published, per 1 000 residents where the indicator is a count, and
    whether it is outlined. Returns the table and its formatters."""
    a = frame.attrs
    munis = data.municipalities().set_index("code")
    rows = frame.sort_values(["rank", "code"], na_position="last")
    value_col = t("indicator.col.value", lang, unit=unit_text(a["unit"], lang))
    out = pd.DataFrame({
        t("indicator.col.rank", lang): rows["rank"].reset_index(drop=True),
        t("col.municipality", lang): munis.loc[rows["code"], name_column(lang)].to_numpy(),
        t("col.region", lang): munis.loc[rows["code"], name_column(lang, "region")].to_numpy(),
        value_col: rows["value"].to_numpy(),
    })
    formatters = {value_col: lambda v: fmt_shown(v, frame, lang, a["unit"])}
    if a["shown_unit"] == PER_1000:
        per = t("indicator.col.per_1000", lang)
        out[per] = rows["shown"].to_numpy()
        formatters[per] = lambda v: fmt_shown(v, frame, lang)
    if a["outline"].kind != "none":
        out[t("indicator.col.outlined", lang)] = ["●" if v else "" for v in rows["in_outline"]]
    if rows["shown"].isna().any():
        out[t("indicator.col.note", lang)] = [reason_label(r, lang) if pd.isna(v) else ""
                                              for r, v in zip(rows["missing_reason"], rows["shown"])]
    rank = t("indicator.col.rank", lang)
    formatters[rank] = lambda v: "–" if pd.isna(v) else str(int(v))
    return out, formatters


def ranking_caption(frame: pd.DataFrame, lang: str) -> str:
    return t("indicator.ranking_caption", lang, n=fmt_int(len(frame), lang),
             period=period_text(frame, lang))


def history_text(history: pd.DataFrame, frame: pd.DataFrame, lang: str) -> str:
    """One period: says so; more: how the median and Finland moved."""
    if len(history) < 2:
        return t("indicator.history.one", lang, period=period_text(frame, lang))
    first, last = history.iloc[0], history.iloc[-1]
    return t("indicator.history.many", lang, n=len(history),
             first=period_label(first["period"], lang), last=period_label(last["period"], lang),
             first_median=with_unit(first["q50"], frame, lang),
             last_median=with_unit(last["q50"], frame, lang),
             first_country=with_unit(first["country"], frame, lang),
             last_country=with_unit(last["country"], frame, lang))
