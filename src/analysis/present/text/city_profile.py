"""Sentences, tables and figures of ``notebooks/city_profile.ipynb``: what
:func:`analysis.analyses.profiles.city_profile` computes, in Finnish, English or Swedish.

    prof = profiles.city_profile("Pori", year=None)   # any name, Swedish name or code
    city_intro(prof, "fi"); plot_population(prof, "fi"); peer_table(prof, "fi")

Drawing imports matplotlib (via :mod:`analysis.present.style`) only inside the plotting functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.analyses import sizeclass
from analysis.analyses.profiles import (
    CHANGE_SPAN,
    PEERS_SHOWN,
    CityProfile,
    memberships_named,
    nearest_peers,
)
from analysis.core.langs import check_lang
from analysis.core.text import format_years
from analysis.data.names import name_column
from analysis.present.i18n import class_label, fmt_float, fmt_int, fmt_signed, fmt_signed_pct, t
from analysis.present.text.common import (
    gap_note,
    series_with_gap,
    source_line,
    status_text,
    thousands,
)


def _class_label(prof_row, lang: str) -> str:
    return class_label(prof_row["class_lo"], prof_row["class_hi"], lang)


def city_title(prof: CityProfile, lang: str) -> str:
    name = prof.name(lang)
    other = prof.name_fi if lang == "sv" else prof.name_sv  # Vaasa (Vasa), Vasa (Vaasa)
    if other != name and other not in name:
        name = f"{name} ({other})"  # where a municipality has two names, both help
    return t("city.title", lang, name=name, code=prof.code)


def city_intro(prof: CityProfile, lang: str) -> str:
    """Title and the opening paragraph: population, rank, class, change."""
    check_lang(lang)
    first = int(prof.series.index.min())
    change = prof.series[prof.year] - prof.series[first]
    kind = t("city.kind.city" if prof.is_city else "city.kind.municipality", lang)
    text = [f"# {city_title(prof, lang)}", t(
        "city.intro", lang, name=prof.name(lang), kind=kind, year=prof.year,
        population=fmt_int(prof.population, lang), rank=prof.rank, n=prof.n_municipalities,
        size_class=_class_label(prof.row, lang), first=first,
        change=fmt_signed(change, lang), change_pct=fmt_signed_pct(change / prof.series[first], lang))]
    if prof.city_rank:
        text.append(t("city.city_rank", lang, rank=prof.city_rank, n=prof.n_cities))
    if prof.note:
        text.append(t("city.former", lang, query_note=prof.note))
    text.append(t("city.class_rule", lang))
    return "\n\n".join(text)


def plot_population(prof: CityProfile, lang: str):
    """Population over the years, with the profile year's size class shaded."""
    from analysis.present import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.6)
    series = series_with_gap(prof.series)
    lo, hi = prof.row["class_lo"], prof.row["class_hi"]
    top = max(series.max() * 1.08, (hi if pd.notna(hi) else 0) * 1.02)
    band_hi = hi if pd.notna(hi) else top
    colour = style.class_color(lo, hi if pd.notna(hi) else None)
    ax.axhspan(lo, band_hi, color=colour, alpha=0.18, lw=0,
               label=t("city.class_band", lang, size_class=_class_label(prof.row, lang),
                       year=prof.year))
    for edge in (lo, hi):
        if pd.notna(edge) and edge > 0:
            ax.axhline(edge, color=colour, lw=1, ls="--")
    ax.plot(series.index, series.values, color=style.OKABE_ITO["blue"], lw=2, marker="o", ms=2.5,
            label=prof.name(lang))
    ax.plot([prof.year], [prof.series[prof.year]], "o", color=style.HIGHLIGHT, ms=6, zorder=5)
    ax.set_ylim(max(0, min(lo, series.min()) * 0.9) if lo > 0 else 0, top)
    ax.yaxis.set_major_formatter(thousands(lang))
    ax.legend(loc="best")
    years = [int(y) for y in prof.series.index]
    first, last = prof.series.iloc[0], prof.series.iloc[-1]
    alt = t("alt.city.population", lang, name=prof.name(lang), first=years[0], last=years[-1],
            start=fmt_int(first, lang), end=fmt_int(last, lang),
            change=fmt_signed_pct((last - first) / first, lang),
            peak=fmt_int(prof.series.max(), lang), peak_year=int(prof.series.idxmax()),
            size_class=_class_label(prof.row, lang))
    plotted = pd.DataFrame({"year": years, "population": prof.series.to_numpy()})
    subtitle = gap_note(years, lang)
    style.fixed_margins(fig, left=0.125, top=0.62 if subtitle else 0.45)
    style.finish(fig, ax, title=t("city.fig.population", lang, name=prof.name(lang),
                                  first=years[0], last=years[-1]),
                 xlabel=t("axis.year", lang), ylabel=t("axis.population", lang),
                 subtitle=subtitle, layout=False,
                 source=source_line(lang, t("source.population_years", lang,
                                                  years=format_years(years))),
                 alt=alt, data=plotted)
    return fig


def plot_distribution(prof: CityProfile, lang: str):
    """All municipalities' populations on a log axis, the class edges and this city marked."""
    from analysis.present import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.4)
    pops = prof.classes["population"].astype(float)
    bins = np.logspace(np.log10(max(pops.min(), 1) * 0.95), np.log10(pops.max() * 1.05), 36)
    # The bars as one filled outline and their separators as one set of lines: the same
    # picture as ax.hist's 35 rectangles, drawn (twice: PNG and SVG) as two artists.
    counts, _edges = np.histogram(pops, bins=bins)
    ax.stairs(counts, bins, fill=True, color=style.NEUTRAL, lw=0)
    ax.vlines(bins[1:-1], 0, np.maximum(counts[:-1], counts[1:]), color="white", lw=0.5)
    ax.set_xscale("log")
    for edge in sizeclass.STANDARD_EDGES[1:]:
        ax.axvline(edge, color=style.CLASS_BAND, lw=0.8, ls="--")
    lo, hi = prof.row["class_lo"], prof.row["class_hi"]
    ax.axvspan(max(lo, bins[0]), hi if pd.notna(hi) else bins[-1],
               color=style.class_color(lo, hi if pd.notna(hi) else None),
               alpha=0.18, lw=0)
    ax.axvline(prof.population, color=style.HIGHLIGHT, lw=2)
    ax.annotate(prof.name(lang), (prof.population, 0.96), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", ha="left" if prof.rank > 30 else "right",
                va="top", color=style.HIGHLIGHT, fontweight="bold")
    ax.xaxis.set_major_formatter(thousands(lang))
    style.minor_tick_marks(ax)
    alt = t("alt.city.distribution", lang, n=len(pops), year=prof.year, name=prof.name(lang),
            population=fmt_int(prof.population, lang), rank=prof.rank)
    plotted = pd.DataFrame({"code": prof.classes["code"],
                            "name": prof.classes[name_column(lang)],
                            "population": prof.classes["population"],
                            "this_municipality": prof.classes["code"] == prof.code})
    style.fixed_margins(fig, left=0.085, top=0.62, right=0.955)  # room for "1 000 000"
    style.finish(fig, ax, title=t("city.fig.distribution", lang, year=prof.year),
                 subtitle=t("city.fig.distribution_sub", lang,
                            size_class=_class_label(prof.row, lang)),
                 xlabel=t("axis.population_log", lang), ylabel=t("axis.municipalities", lang),
                 source=source_line(lang, t("source.population", lang, year=prof.year)),
                 alt=alt, data=plotted, layout=False)
    return fig


def city_partnerships_text(prof: CityProfile, lang: str) -> str:
    if prof.memberships.empty:
        return t("city.no_partnerships", lang, name=prof.name(lang))
    names = [row[f"name_{lang}_p"] for _, row in prof.memberships.iterrows()]
    return t("city.partnerships", lang, name=prof.name(lang), n=len(names),
             partnerships="; ".join(names))


def city_partnerships_table(prof: CityProfile, lang: str) -> pd.DataFrame:
    """Each partnership of the city: role, status and the other members."""
    named = memberships_named()
    name_col = f"name_{lang}"
    rows = []
    for _, row in prof.memberships.iterrows():
        others = named[(named["partnership_id"] == row["partnership_id"])
                       & (named["code"] != prof.code)]
        rows.append({
            t("col.partnership", lang): row[f"name_{lang}_p"],
            t("col.role", lang): t(f"role.{row['role']}", lang),
            t("col.status", lang): status_text(row["status"], lang, row.get("status_date")),
            t("city.col.other_members", lang): ", ".join(sorted(others[name_col])) or "–",
        })
    return pd.DataFrame(rows)


def city_jobs_text(prof: CityProfile, lang: str) -> str:
    if prof.jobs is None:
        return t("city.no_jobs", lang, year=prof.jobs_year)
    pop_jobs_year = prof.series.get(prof.jobs_year)
    per100 = 100 * prof.jobs / pop_jobs_year if pop_jobs_year else float("nan")
    return t("city.jobs", lang, name=prof.name(lang), year=prof.jobs_year,
             jobs=fmt_int(prof.jobs, lang), rank=prof.jobs_rank, n=prof.n_municipalities,
             per100=fmt_float(per100, lang, 0))


def plot_locator(prof: CityProfile, lang: str):
    """Map of Finland (EPSG:3067): the municipality in red, its partnership peers in grey-blue."""
    from analysis.present import style  # matplotlib: imported only when drawing
    from analysis.present.figures import maps

    fig, ax = style.figure(width=4.6, height=6.0)
    partners = set(memberships_named().query("partnership_id in @ids", local_dict={
        "ids": list(prof.memberships["partnership_id"])})["code"]) - {prof.code}
    fill = {code: style.OKABE_ITO["sky_blue"] for code in partners}
    fill[prof.code] = style.HIGHLIGHT
    shapes = maps.finland(ax, fill=fill, outline={prof.code})
    point = shapes[shapes["code"] == prof.code].geometry.representative_point().iloc[0]
    ax.annotate(prof.name(lang), (point.x, point.y), xytext=(8, 8), textcoords="offset points",
                fontsize=9, fontweight="bold", color=style.OKABE_ITO["black"],
                arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.6})
    legend = {prof.name(lang): style.HIGHLIGHT}
    if partners:
        legend[t("city.map.partners", lang)] = style.OKABE_ITO["sky_blue"]
    ax.legend(handles=maps.legend_patches(legend), loc="upper left", fontsize=7)
    names = prof.classes.set_index("code")[name_column(lang)]
    partner_codes = sorted(partners, key=lambda c: names[c])
    alt = t("alt.city.locator", lang, name=prof.name(lang))
    if partners:
        alt += " " + t("alt.city.locator_partners", lang, n=len(partners),
                       names=", ".join(names[c] for c in partner_codes))
    plotted = pd.DataFrame({"code": [prof.code, *partner_codes],
                            "name": [prof.name(lang), *(names[c] for c in partner_codes)],
                            "shown_as": ["municipality"] + ["partner"] * len(partners)})
    style.fixed_margins(fig, left=0.02, right=0.98, top=0.45, bottom=0.4)
    style.finish(fig, None, title=t("city.fig.map", lang, name=prof.name(lang)),
                 source=source_line(lang, t("source.boundaries", lang),
                                          t("source.partnerships", lang)),
                 alt=alt, data=plotted, layout=False)
    return fig


def peer_table(prof: CityProfile, lang: str) -> pd.DataFrame:
    """The class peers nearest in population (the city itself included, marked ►), with
    the headers of ``lang``; the numbers come from :func:`analysis.analyses.profiles.nearest_peers`."""
    peers = nearest_peers(prof)
    frame = pd.DataFrame({
        t("col.municipality", lang): [("► " if c == prof.code else "") + n for c, n in
                                      zip(peers["code"], peers[name_column(lang)])],
        t("col.region", lang): peers[name_column(lang, "region")].to_numpy(),
        t("col.population", lang): peers["population"].to_numpy(),
    })
    if "change" in peers:
        frame[t("city.col.change", lang, years=CHANGE_SPAN)] = peers["change"].to_numpy()
    frame[t("col.jobs", lang)] = peers["jobs"].to_numpy()
    frame[t("city.col.n_partnerships", lang)] = peers["n_partnerships"].to_numpy()
    return frame


def peer_formatters(lang: str) -> dict:
    return {t("col.population", lang): lambda v: fmt_int(v, lang),
            t("city.col.change", lang, years=CHANGE_SPAN): lambda v: fmt_signed_pct(v, lang),
            t("col.jobs", lang): lambda v: fmt_int(v, lang)}


def peer_caption(prof: CityProfile, lang: str) -> str:
    return t("city.peers_caption", lang, size_class=_class_label(prof.row, lang), year=prof.year,
             n=len(prof.class_members), shown=min(PEERS_SHOWN, len(prof.class_members)),
             jobs_year=prof.jobs_year)
