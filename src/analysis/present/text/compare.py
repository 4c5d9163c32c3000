"""Words and tables of ``notebooks/compare.ipynb`` (and of the explorer's comparison): what
:mod:`analysis.analyses.compare` computes, in Finnish, English or Swedish. No number is
computed here beyond formatting.

    codes = compare.check_places("Seinäjoki, Vasa, 272")
    pl = compare.places(codes); sbs = compare.side_by_side(codes)
    title(pl, "fi"); values_table(sbs, pl, "fi"); ranks_table(sbs, pl, "fi")
"""

from __future__ import annotations

import pandas as pd

from analysis.analyses import peers
from analysis.data import provenance
from analysis.data.names import name_column
from analysis.present.i18n import NBSP, class_label, fmt_int, municipality_labels, t
from analysis.present.text import peers as peers_text
from analysis.present.text.common import names_list


def names(pl: pd.DataFrame, lang: str) -> list[str]:
    """The places' names in ``lang``, in the report's order (largest first)."""
    return list(pl[name_column(lang)])


def title(pl: pd.DataFrame, lang: str) -> str:
    return "# " + t("compare.title", lang, places=names_list(names(pl, lang), lang))


def intro(pl: pd.DataFrame, lang: str) -> str:
    """What is compared, how ranks read, and the division."""
    return t("compare.intro", lang, n=len(pl), year=pl.attrs["year"], n_all=pl.attrs["n"])


# ------------------------------------------------------------------ the places
def places_table(pl: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Who the places are: name (with the Swedish name of a bilingual municipality in
    Finnish), region, population and its rank among all municipalities, size class, the
    urban–rural grouping."""
    return pd.DataFrame({
        t("col.municipality", lang): municipality_labels(pl, lang).to_numpy(),
        t("col.code", lang): pl["code"].to_numpy(),
        t("col.region", lang): pl[name_column(lang, "region")].to_numpy(),
        t("compare.col.population", lang, year=pl.attrs["year"]): pl["population"].to_numpy(),
        t("compare.col.population_rank", lang): [f"{r}/{pl.attrs['n']}"
                                                 for r in pl["population_rank"]],
        t("col.size_class", lang): [class_label(lo, hi, lang) for lo, hi in
                                    zip(pl["class_lo"], pl["class_hi"])],
        t("similar.measure.urban_rural", lang): [t(f"similar.urban_rural.{code}", lang)
                                                 for code in pl["urban_rural_code"]],
    })


def places_formatters(pl: pd.DataFrame, lang: str) -> dict:
    return {t("compare.col.population", lang, year=pl.attrs["year"]): lambda v: fmt_int(v, lang)}


# ------------------------------------------------------------------ side by side
def _meta(sbs: pd.DataFrame) -> pd.DataFrame:
    """One row per measure: unit, period, source_table (the first place's; all share them)."""
    return sbs.drop_duplicates("measure").set_index("measure")[["unit", "period",
                                                                 "source_table", "finland"]]


def values_table(sbs: pd.DataFrame, pl: pd.DataFrame, lang: str):
    """(frame, formatters): one row per measure, its unit, period and source table, each
    place's value and Finland's. Numbers stay numbers (rounded to the measure's decimals)
    for CSV/XLSX; the formatters give each row's text with its own decimals."""
    meta = _meta(sbs)
    wide = sbs.pivot(index="measure", columns="code", values="value").loc[meta.index]
    frame = pd.DataFrame({  # two compact columns: up to ten places and Finland follow
        t("peers.col.measure_unit", lang): [
            f"{peers_text.measure_label(m, lang)} ({peers_text.unit_label(u, lang)})"
            for m, u in zip(meta.index, meta["unit"])],
        t("peers.col.period_source", lang): [
            f"{peers_text.period_label(p, lang)} · {peers_text.source_table_label(s, lang)}"
            for p, s in zip(meta["period"], meta["source_table"])]})
    formatters = {}
    columns = [(code, name) for code, name in zip(pl["code"], names(pl, lang))]
    columns.append(("finland", t("peers.col.finland", lang)))
    for code, label in columns:
        values = meta["finland"] if code == "finland" else wide[code]
        frame[label] = [round(v, peers.MEASURES[m].digits) if pd.notna(v) else v
                        for m, v in zip(meta.index, values)]
        formatters[label] = [peers_text.fmt_value(v, m, lang) for m, v in zip(meta.index, values)]
    return frame, formatters


def values_caption(sbs: pd.DataFrame, lang: str) -> str:
    missing = sbs[sbs["value"].isna()]
    text = t("compare.values_caption", lang, year=sbs.attrs["year"])
    if len(missing):
        from analysis.data.names import display_name

        items = [f"{display_name(c, lang)}, {_lower(peers_text.measure_label(m, lang))}: "
                 f"{peers_text.reason_label(r, lang)}"
                 for c, m, r in zip(missing["code"], missing["measure"], missing["missing_reason"])]
        text += " " + t("peers.city.missing", lang, items="; ".join(items))
    return text


def _rank(rank, n) -> str:
    return "–" if pd.isna(rank) else f"{int(rank)}/{int(n)}"


def ranks_table(sbs: pd.DataFrame, pl: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per measure; for each place its rank among all municipalities and, in
    brackets, within its own size class ('18/308 (3/19)'); 1 = the highest value."""
    meta = _meta(sbs)
    frame = pd.DataFrame({t("peers.col.measure", lang): [peers_text.measure_label(m, lang)
                                                         for m in meta.index]})
    for code, name in zip(pl["code"], names(pl, lang)):
        rows = sbs[sbs["code"] == code].set_index("measure").loc[meta.index]
        frame[name] = [f"{_rank(a, n)}{NBSP}({_rank(c, k)})" if pd.notna(a) else "–" for a, n, c, k in
                       zip(rows["rank_all"], rows["n_all"], rows["rank_class"], rows["n_class"])]
    return frame


def ranks_caption(pl: pd.DataFrame, lang: str) -> str:
    return t("compare.ranks_caption", lang, year=pl.attrs["year"])


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def highlights(sbs: pd.DataFrame, pl: pd.DataFrame, lang: str) -> str:
    """One line per place: the indicator where it ranks highest among all municipalities
    and the one where it ranks lowest (rank relative to how many hold a value)."""
    lines = []
    for code, name in zip(pl["code"], names(pl, lang)):
        rows = sbs[(sbs["code"] == code) & sbs["rank_all"].notna()].set_index("measure")
        if rows.empty:
            continue
        position = (rows["rank_all"] - 1) / (rows["n_all"] - 1)
        high, low = position.idxmin(), position.idxmax()
        lines.append("- " + t("compare.highlight", lang, name=name,
                              high=_lower(peers_text.measure_label(high, lang)),
                              high_rank=_rank(rows.at[high, "rank_all"], rows.at[high, "n_all"]),
                              low=_lower(peers_text.measure_label(low, lang)),
                              low_rank=_rank(rows.at[low, "rank_all"], rows.at[low, "n_all"])))
    return t("compare.highlights", lang) + "\n\n" + "\n".join(lines)


# ------------------------------------------------------------------ histories
def unemployment_source(lang: str) -> str:
    """Publishers, months and the table of the unemployment series (datapackage.json)."""
    item = provenance.resource("unemployment")
    publishers = "; ".join(sorted({s["publisher"] for s in item["sources"]
                                   if not s.get("role")}))
    return t("compare.source.unemployment", lang, publisher=publishers,
             months=item.get("vintage", ""),
             table="; ".join(sorted({s["table_id"] for s in item["sources"]})))


def gap_text(series: pd.DataFrame, lang: str) -> str | None:
    """The months inside the range no place has a value for, named ('helmikuu 2025 –
    toukokuu 2026'): the lines break there."""
    from analysis.core.text import format_months

    empty = series.index[series.isna().all(axis=1)]
    if not len(empty):
        return None
    runs = [" – ".join(peers_text.period_label(p, lang) for p in run.split("–"))
            for run in format_months(empty).split(", ")]
    return t("compare.gap", lang, months=", ".join(runs))


def histories_text(hist: dict, pl: pd.DataFrame, lang: str) -> str:
    """What the three figures show and from when."""
    pop, jobs, rate = hist["population"], hist["jobs"], hist["unemployment"]
    text = t("compare.histories", lang, pop_first=int(pop.index.min()),
             pop_last=int(pop.index.max()), jobs_first=int(jobs.index.min()),
             jobs_last=int(jobs.index.max()), rate_first=peers_text.period_label(rate.index[0], lang),
             rate_last=peers_text.period_label(rate.index[-1], lang))
    gap = gap_text(rate, lang)
    return f"{text} {gap}" if gap else text
