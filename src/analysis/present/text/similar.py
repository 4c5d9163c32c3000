"""Words and tables of the city profile's section "Similar municipalities": who they are,
what makes them alike, where the place differs most, the method (measures, weights,
periods, standardisation: read from ``datapackage.json``, as the build recorded them), the
link to their comparison page, and the sentence that compares the place with them as a
second peer group in the comparison section. What :mod:`analysis.analyses.similar`
computes, in Finnish, English or Swedish.

    explained = similar.explain("Seinäjoki")
    intro_text(explained, "fi"); neighbours_table(explained, "fi")
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses import peers, similar
from analysis.data import provenance
from analysis.data.names import display_name, name_column
from analysis.present.i18n import class_label, fmt_float, fmt_int, t
from analysis.present.text import peers as peers_text
from analysis.present.text.common import names_list

EXTRA_UNITS = {"residents": "residents", "per_km2": "per_km2", "class": "class"}


# ------------------------------------------------------------------ the method
def method() -> dict:
    """How the snapshot's similar municipalities were computed, as the build recorded it
    (``datapackage.json``: configuration, standardisation, neighbours, each measure's
    weight, transform, period, source and the municipalities whose value was imputed)."""
    return provenance.resource("similarity_measures")["method"]


def _measure_spec(measure: str) -> dict:
    return next(m for m in method()["measures"] if m["measure"] == measure)


def measure_label(measure: str, lang: str) -> str:
    if measure in peers.MEASURES:
        return peers_text.measure_label(measure, lang)
    return t(f"similar.measure.{measure}", lang)


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def fmt_measure(value, measure: str, lang: str) -> str:
    """A value with its unit: '66 000 asukasta', '35,0 %', 'kaupunkimaiset kunnat'."""
    if value is None or pd.isna(value):
        return "–"
    if measure in peers.MEASURES:
        return peers_text.fmt_with_unit(value, measure, lang)
    unit = similar.KNOWN[measure].unit
    if unit == "class":
        order = _measure_spec(measure).get("order", [])
        position = int(round(value))
        return t(f"similar.urban_rural.{order[position - 1]}", lang)
    digits = similar.KNOWN[measure].digits
    number = fmt_int(value, lang) if digits == 0 else fmt_float(value, lang, digits)
    return t(f"similar.with_unit.{EXTRA_UNITS.get(unit, 'pct')}", lang, value=number)


def period_text(measure: str, lang: str) -> str:
    return peers_text.period_label(_measure_spec(measure)["period"], lang)


def method_text(lang: str) -> str:
    """The method in two sentences: measures, standardisation, distance, missing values."""
    m = method()
    logs = [measure_label(x["measure"], lang) for x in m["measures"] if x.get("transform")]
    text = t(f"similar.method.{m['standardise']}", lang, m=len(m["measures"]),
             n_all=provenance.municipality_count(), k=m["neighbours"],
             logged=names_list([_lower(x) for x in logs], lang) if logs else t("none", lang))
    imputed = [(x["measure"], x["imputed"]) for x in m["measures"] if x["imputed"]]
    for measure, codes in imputed:
        text += " " + t("similar.imputed", lang, measure=_lower(measure_label(measure, lang)),
                        places=names_list([display_name(c, lang) for c in codes], lang))
    return text


# ------------------------------------------------------------------ the section
def _name(code: str, lang: str) -> str:
    return display_name(code, lang)


def intro_text(explained: pd.DataFrame, lang: str) -> str:
    """Who they are (most similar first, with distances), what makes them alike, and where
    the place differs most from them."""
    a = explained.attrs
    name = _name(a["code"], lang)
    listed = [f"{_name(c, lang)} ({fmt_float(d, lang, 2)})" for c, d in a["distances"].items()]
    found = similar.alike_and_apart(explained)
    text = [t("similar.intro", lang, name=name, k=len(a["similar"]),
              places=names_list(listed, lang))]
    text.append(t("similar.alike", lang, measures=names_list(
        [_lower(measure_label(m, lang)) for m in found["alike"]], lang)))
    if found["apart"]:
        m = found["apart"]
        text.append(t("similar.apart", lang, name=name, measure=_lower(measure_label(m, lang)),
                      value=fmt_measure(explained.at[m, "value"], m, lang),
                      median=fmt_measure(explained.at[m, "median"], m, lang),
                      side=t("similar.side.above" if found["above"] else "similar.side.below",
                             lang)))
    return " ".join(text)


def neighbours_table(explained: pd.DataFrame, lang: str, year=None) -> pd.DataFrame:
    """The similar municipalities, most similar first: rank, name, region, population and
    size class in ``year`` (default: the latest), distance."""
    from analysis.analyses import sizeclass

    a = explained.attrs
    classes = sizeclass.classify(year, bounds=None, cities_only=False).set_index("code")
    rows = classes.loc[a["similar"]]
    return pd.DataFrame({
        t("similar.col.rank", lang): range(1, len(rows) + 1),
        t("col.municipality", lang): rows[name_column(lang)].to_numpy(),
        t("col.region", lang): rows[name_column(lang, "region")].to_numpy(),
        t("col.population", lang): rows["population"].to_numpy(),
        t("col.size_class", lang): [class_label(lo, hi, lang) for lo, hi in
                                    zip(rows["class_lo"], rows["class_hi"])],
        t("similar.col.distance", lang): [a["distances"][c] for c in a["similar"]],
    })


def neighbours_formatters(lang: str) -> dict:
    return {t("col.population", lang): lambda v: fmt_int(v, lang),
            t("similar.col.distance", lang): lambda v: fmt_float(v, lang, 2)}


def neighbours_caption(explained: pd.DataFrame, lang: str, year: int) -> str:
    return t("similar.caption", lang, name=_name(explained.attrs["code"], lang), year=year)


def measures_table(explained: pd.DataFrame, lang: str):
    """(frame, formatters): the measures the similarity is computed from, with weight,
    period, source table, the place's value, the similar municipalities' median and the
    gap between them in standard units (+ above, − below). Numbers stay numbers."""
    name = _name(explained.attrs["code"], lang)
    frame = pd.DataFrame({
        t("peers.col.measure", lang): [measure_label(m, lang) for m in explained.index],
        t("similar.col.weight", lang): explained["weight"].to_numpy(),
        t("peers.col.period", lang): [period_text(m, lang) for m in explained.index],
        t("peers.col.source_table", lang): [_source_label(s, lang)
                                           for s in explained["source_table"]],
        t("peers.col.value", lang, name=name): explained["value"].round(2).to_numpy(),
        t("similar.col.median", lang): explained["median"].round(2).to_numpy(),
        t("similar.col.gap", lang): explained["gap"].round(2).to_numpy(),
    })
    texts = {
        t("peers.col.value", lang, name=name): [
            fmt_measure(v, m, lang) + (" *" if imp else "")
            for m, v, imp in zip(explained.index, explained["value"], explained["imputed"])],
        t("similar.col.median", lang): [fmt_measure(v, m, lang)
                                        for m, v in zip(explained.index, explained["median"])],
    }
    formatters = {**texts, t("similar.col.weight", lang): lambda v: fmt_float(v, lang, 1),
                  t("similar.col.gap", lang): lambda v: _signed(v, lang)}
    return frame, formatters


def _signed(value, lang: str) -> str:
    text = fmt_float(abs(value), lang, 2)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _source_label(source: str, lang: str) -> str:
    return ", ".join(peers_text.source_table_label(part, lang) if part in (
        peers.POPULATION_SOURCE, peers.JOBS_SOURCE) else t(f"similar.source.{part}", lang)
        if part in ("municipalities", "commuting", "unemployment") else part
        for part in source.split(", "))


def measures_caption(lang: str) -> str:
    return t("similar.measures_caption", lang)


def link_text(code: str, places: list[str], href: str | None, lang: str) -> str:
    """The link to the comparison page of the place and its similar municipalities; without
    a page (JupyterLab, plain papermill) the command that renders it."""
    name = _name(code, lang)
    if href:
        return t("similar.link", lang, name=name, href=href)
    names = ", ".join(data.municipalities().set_index("code").loc[places, "name_fi"])
    return t("similar.command", lang, name=name, places=names)


# ------------------------------------------------------------------ second peer group
def summary_text(comp: pd.DataFrame, lang: str) -> str:
    """'Against its 9 similar municipalities, <city> is above their median in N of M
    indicators' (:func:`analysis.analyses.similar.add_group`)."""
    s = peers.above_median_summary(comp, group="similar")
    return t("similar.summary", lang, name=_name(comp.attrs["code"], lang),
             k=len(comp.attrs["similar"]), n=s["n"], m=s["m"])
