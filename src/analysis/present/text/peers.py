"""Words and tables of the comparison sections ("Vertailu / How it compares"): what
:mod:`analysis.analyses.peers` computes, in Finnish, English or Swedish. No number is computed here beyond
formatting; every period, table id and publisher comes from the data or its provenance.

    comp = peers.city_comparison("Seinäjoki")
    city_summary_text(comp, "fi")
    frame, formatters = city_table(comp, "fi")
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses import peers
from analysis.analyses.sizeclass import MID_SIZE_BOUNDS
from analysis.core.text import format_years, slug
from analysis.data import provenance
from analysis.data.names import resolve
from analysis.present.i18n import class_label, fmt_float, fmt_int, t

UNIT_KEYS = {"%": "pct", "years": "years", "EUR": "eur", "per_1000": "per_1000",
             "per_resident": "per_resident"}
CLASS_MARK = "► "


# ------------------------------------------------------------------ labels
def measure_label(measure: str, lang: str) -> str:
    return t(f"peers.measure.{measure}", lang)


def unit_label(unit: str, lang: str) -> str:
    return t(f"peers.unit.{UNIT_KEYS.get(unit, unit)}", lang)


def period_label(period: str, lang: str) -> str:
    """'2025' as is, '2026M06' -> 'kesäkuu 2026' / 'June 2026', '2015–2025' as is."""
    period = str(period)
    if len(period) == 7 and period[4] == "M" and period[:4].isdigit() and period[5:].isdigit():
        month = t("peers.months", lang).split(",")[int(period[5:]) - 1]
        return t("peers.month_period", lang, month=month, year=period[:4])
    return period


def months_text(periods, lang: str) -> str:
    """Runs of months in words: 'helmikuu 2025–toukokuu 2026' / 'February 2025–May 2026'."""
    from analysis.core.text import format_months

    if not len(periods):
        return ""
    return ", ".join("–".join(period_label(p, lang) for p in run.split("–"))
                     for run in format_months(periods).split(", "))


def source_table_label(table: str, lang: str) -> str:
    if table in (peers.POPULATION_SOURCE, peers.JOBS_SOURCE):
        return t(f"peers.source_table.{table}", lang)
    return table


def reason_label(reason, lang: str) -> str:
    if reason is None or (isinstance(reason, float) and pd.isna(reason)):
        return ""
    key = f"peers.reason.{slug(str(reason))}"
    try:
        return t(key, lang)
    except KeyError:
        return str(reason)


def fmt_value(value, measure: str, lang: str) -> str:
    """A measure's value with the measure's digits (a true minus sign in fi and sv)."""
    if value is None or pd.isna(value):
        return "–"
    digits = peers.MEASURES[measure].digits
    text = fmt_int(value, lang) if digits == 0 else fmt_float(value, lang, digits)
    return text


def fmt_with_unit(value, measure: str, lang: str) -> str:
    """'4,9 %', '13,7 / 1 000 asukasta', '29 989 euroa' (the measure's own unit)."""
    unit = UNIT_KEYS.get(peers.MEASURES[measure].unit, peers.MEASURES[measure].unit)
    return t(f"peers.with_unit.{unit}", lang, value=fmt_value(value, measure, lang))


def fmt_number(value, lang: str) -> str:
    """A rounded number with the decimals it has (for table columns mixing measures)."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    digits = len(text.split(".")[1]) if "." in text else 0
    text = fmt_int(value, lang) if digits == 0 else fmt_float(value, lang, digits)
    return text


def _round(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for column in columns:
        frame[column] = [round(v, peers.MEASURES[m].digits) if pd.notna(v) else v
                         for m, v in zip(frame.index, frame[column])]
    return frame


def _meta_columns(frame: pd.DataFrame, lang: str) -> dict:
    return {t("peers.col.measure", lang): [measure_label(m, lang) for m in frame.index],
            t("peers.col.unit", lang): [unit_label(u, lang) for u in frame["unit"]],
            t("peers.col.period", lang): [period_label(p, lang) for p in frame["period"]],
            t("peers.col.source_table", lang): [source_table_label(s, lang)
                                               for s in frame["source_table"]]}


def _years_of(kind: str) -> int:
    frame = peers.comparison_indicators().drop_duplicates("measure").set_index("measure")
    names = [m.name for m in peers.MEASURES.values() if m.kind == kind]
    return int(frame.at[names[0], "year"])


# ------------------------------------------------------------------ city
def _city_name(comp: pd.DataFrame, lang: str) -> str:
    return resolve(comp.attrs["code"]).name(lang)


def _row_texts(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """Each row's value with its own measure's decimals (the table mixes units)."""
    return [fmt_value(v, m, lang) for m, v in zip(frame.index, frame[column])]


def _rank_text(rank, n) -> str:
    """'14/19': no space, so that a narrow column does not break it."""
    return f"{int(rank)}/{int(n)}" if pd.notna(rank) else "–"


def city_table(comp: pd.DataFrame, lang: str):
    """(frame, formatters): measure, unit, period, source table, the city's value, class
    median, the similar municipalities' median (where ``comp`` holds it:
    :func:`analysis.analyses.similar.add_group`), Finland, rank 'k/n' in the class and
    among all municipalities, and a note with the reason where a value is missing (only
    when one is). Numbers stay numbers (rounded to the measure's decimals) for CSV/XLSX;
    the formatters give each row's text."""
    keys = ["value", "class_median", *(["similar_median"] if "similar_median" in comp else []),
            "finland"]
    comp = _round(comp.copy(), keys)
    name = _city_name(comp, lang)
    columns = {"value": t("peers.col.value", lang, name=name),
               "class_median": t("peers.col.class_median", lang),
               "similar_median": t("similar.col.similar_median", lang),
               "finland": t("peers.col.finland", lang)}
    columns = {key: columns[key] for key in keys}
    frame = pd.DataFrame({**_meta_columns(comp, lang),
                          **{label: comp[key].to_numpy() for key, label in columns.items()}})
    frame[t("peers.col.rank", lang)] = [_rank_text(r, n)
                                        for r, n in zip(comp["rank"], comp["n_peers"])]
    frame[t("compare.col.rank_all", lang)] = [_rank_text(r, n)
                                            for r, n in zip(comp["rank_all"], comp["n_all"])]
    if comp["value"].isna().any():
        frame[t("peers.col.note", lang)] = [
            t("peers.missing", lang, reason=reason_label(r, lang)) if pd.isna(v) else ""
            for v, r in zip(comp["value"], comp["missing_reason"])]
    return frame, {label: _row_texts(comp, key, lang) for key, label in columns.items()}


def city_caption(comp: pd.DataFrame, lang: str) -> str:
    a = comp.attrs
    text = t("peers.city.caption", lang, name=_city_name(comp, lang),
             size_class=class_label(a["class_lo"], a["class_hi"], lang), year=a["year"],
             n=a["n_class"],
             migration_year=int(comp.at["net_migration_internal_per_1000", "year"]),
             jobs_year=int(comp.at["jobs_per_resident", "year"]))
    text += " " + t("compare.rank_all_note", lang, n=int(comp["n_all"].max()))
    if "similar_median" in comp:
        text += " " + t("similar.median_note", lang, name=_city_name(comp, lang),
                        k=len(a["similar"]))
    return text


def city_summary_text(comp: pd.DataFrame, lang: str) -> str:
    """'<city> is above the class median in N of M indicators…; it stands out most in …'
    (counting only the indicators the city has a value for), and what is missing."""
    a = comp.attrs
    name = _city_name(comp, lang)
    if a["n_class"] < 2:
        return t("peers.city.no_peers", lang, name=name)
    s = peers.above_median_summary(comp)
    text = [t("peers.city.summary", lang, name=name,
              size_class=class_label(a["class_lo"], a["class_hi"], lang),
              year=a["year"], n=s["n"], m=s["m"])]
    if s["standout"]:
        m = s["standout"]
        label = measure_label(m, lang)
        text.append(t("peers.city.standout", lang, measure=label[0].lower() + label[1:],
                      value=fmt_with_unit(comp.at[m, "value"], m, lang),
                      median=fmt_with_unit(comp.at[m, "class_median"], m, lang),
                      side=t("peers.side.above" if s["standout_above"] else "peers.side.below",
                             lang)))
    if s["missing"]:
        items = [f"{measure_label(m, lang)}: {reason_label(comp.at[m, 'missing_reason'], lang)}"
                 for m in s["missing"]]
        text.append(t("peers.city.missing", lang, items="; ".join(items)))
    return " ".join(text)


# ------------------------------------------------------------------ partnership
def class_labels(indexes, lang: str) -> str:
    from analysis.analyses.sizeclass import STANDARD_EDGES

    edges = list(STANDARD_EDGES)
    return ", ".join(class_label(edges[i], edges[i + 1] if i + 1 < len(edges) else None, lang)
                     for i in indexes)


def partnership_table(comp: pd.DataFrame, lang: str):
    """(frame, formatters): members' and others' medians and counts, and Finland."""
    comp = _round(comp.copy(), ["members_median", "others_median", "finland"])
    cols = {k: t(f"peers.col.{k}", lang) for k in ("members_median", "n_members",
                                                    "others_median", "n_others", "finland")}
    frame = pd.DataFrame({**_meta_columns(comp, lang),
                          **{label: comp[key].to_numpy() for key, label in cols.items()}})
    frame[t("compare.col.members_rank_all", lang)] = [
        "–" if pd.isna(best) else f"{int(best)}–{int(worst)}/{int(n)}" if best != worst
        else f"{int(best)}/{int(n)}"
        for best, worst, n in zip(comp["members_rank_best"], comp["members_rank_worst"],
                                  comp["n_all"])]
    return frame, {cols[k]: _row_texts(comp, k, lang)
                   for k in ("members_median", "others_median", "finland")}


def partnership_caption(comp: pd.DataFrame, lang: str) -> str:
    return (t("peers.partner.caption", lang, year=comp.attrs["year"],
              migration_year=int(_years_of("per_1000")), jobs_year=int(_years_of("jobs")))
            + " " + t("compare.members_rank_note", lang, n=int(comp["n_all"].max())))


def partnership_summary_text(comp: pd.DataFrame, lang: str) -> str:
    a = comp.attrs
    if not a["members"]:
        return t("peers.partner.no_members", lang)
    s = peers.partnership_summary(comp)
    text = t("peers.partner.summary", lang, n_members=len(a["members"]),
             n_others=len(a["others"]), classes=class_labels(a["class_indexes"], lang),
             year=a["year"], n=s["n"], m=s["m"])
    if s["standout"]:
        m = s["standout"]
        label = measure_label(m, lang)
        text += " " + t("peers.partner.standout", lang, measure=label[0].lower() + label[1:],
                        members=fmt_with_unit(comp.at[m, "members_median"], m, lang),
                        others=fmt_with_unit(comp.at[m, "others_median"], m, lang))
    return text


# ------------------------------------------------------------------ size classes
def class_medians_table(medians: pd.DataFrame, lang: str, highlight=MID_SIZE_BOUNDS):
    """(frame, formatters): one row per measure, one column per standard class (the class
    whose edges are ``highlight`` marked ►), and Finland."""
    a = medians.attrs
    frame = _round(medians.copy(), list(medians.columns))
    finland = peers.finland_values(a["year"])
    frame["finland"] = [round(v, peers.MEASURES[m].digits) for m, v in
                        zip(frame.index, finland["value"].reindex(frame.index))]
    meta = peers.comparison_indicators(a["year"]).drop_duplicates("measure").set_index("measure")
    meta = meta.loc[list(frame.index)]
    out = pd.DataFrame({  # two compact columns: seven classes and Finland follow
        t("peers.col.measure_unit", lang): [f"{measure_label(m, lang)} ({unit_label(u, lang)})"
                                           for m, u in zip(meta.index, meta["unit"])],
        t("peers.col.period_source", lang): [
            f"{period_label(p, lang)} · {source_table_label(s, lang)}"
            for p, s in zip(meta["period"], meta["source_table"])]})
    from analysis.analyses.sizeclass import STANDARD_EDGES

    columns = []
    for i in medians.columns:
        lo = STANDARD_EDGES[i]
        hi = STANDARD_EDGES[i + 1] if i + 1 < len(STANDARD_EDGES) else None
        mark = CLASS_MARK if _is_standard_class(highlight) and (lo, hi) == tuple(highlight) else ""
        label = mark + t("peers.col.class", lang, label=class_label(*a["bounds"][i], lang),
                         n=fmt_int(a["n"][i], lang))
        out[label] = frame[i].to_numpy()
        columns.append(label)
    out[t("peers.col.finland", lang)] = frame["finland"].to_numpy()
    keys = [*medians.columns, "finland"]
    return out, dict(zip([*columns, t("peers.col.finland", lang)],
                         (_row_texts(frame, k, lang) for k in keys)))


def _is_standard_class(bounds) -> bool:
    from analysis.analyses.sizeclass import STANDARD_EDGES

    edges = list(STANDARD_EDGES)
    return bool(bounds) and len(bounds) == 2 and tuple(bounds) in zip(edges, edges[1:])


def class_medians_text(medians: pd.DataFrame, lang: str, highlight=MID_SIZE_BOUNDS) -> str:
    """What the table shows, and which column is marked (only when ``highlight`` is one
    of the standard classes)."""
    text = t("peers.classes.text", lang, year=medians.attrs["year"])
    if _is_standard_class(highlight):
        text += " " + t("peers.classes.highlight", lang, highlight=class_label(*highlight, lang))
    return text


def class_medians_caption(medians: pd.DataFrame, lang: str) -> str:
    return t("peers.classes.caption", lang, year=medians.attrs["year"],
             migration_year=_years_of("per_1000"), jobs_year=_years_of("jobs"))


# ------------------------------------------------------------------ sources
def source_parts(frame: pd.DataFrame, lang: str) -> list[str]:
    """Source-line parts for the measures in ``frame`` (columns source_table, period):
    each publisher with its tables and their periods, then the population years and the
    jobs table, all from the data package."""
    tables = frame.drop_duplicates("source_table").set_index("source_table")["period"]
    by_publisher: dict[str, list[str]] = {}
    for table, period in tables.items():
        if table in (peers.POPULATION_SOURCE, peers.JOBS_SOURCE):
            continue
        publisher = provenance.table_source(table)["publisher"]
        by_publisher.setdefault(publisher, []).append(f"{table} ({period_label(period, lang)})")
    parts = [t("peers.source.tables", lang, publisher=p, tables=", ".join(items))
             for p, items in by_publisher.items()]
    pop = provenance.resource("population")
    years = peers.population_years_read(int(frame.attrs.get("year") or max(data.population_years())))
    parts.append(t("peers.source.population", lang,
                   publisher=_publishers(pop), years=format_years(years)))
    jobs = provenance.resource("jobs")
    parts.append(t("peers.source.jobs", lang, publisher=_publishers(jobs),
                   year=format_years(jobs.get("years", [])),
                   table="; ".join(sorted({s["table_id"] for s in jobs["sources"]}))))
    return parts


def _publishers(resource: dict) -> str:
    return "; ".join(sorted({s["publisher"] for s in resource["sources"]}))
