"""Sentences, tables and figures of ``notebooks/partnership_profile.ipynb``: what
:func:`analysis.analyses.profiles.partnership_profile` computes, in Finnish, English or Swedish.

    part = profiles.partnership_profile("growth-cities")
    members_table(part, "en"); plot_members(part, "en"); overlap_table(part, "en")

Drawing imports matplotlib (via :mod:`analysis.present.style`) only inside the plotting functions.
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses.profiles import PartnershipProfile
from analysis.core.text import format_years
from analysis.data.names import resolve
from analysis.present.i18n import class_label, fmt_int, fmt_pct, fmt_signed, fmt_signed_pct, t
from analysis.present.text.common import (
    gap_note,
    series_with_gap,
    source_line,
    status_text,
    thousands,
)


def partnership_intro(part: PartnershipProfile, lang: str) -> str:
    source_title = part.source[f"title_{lang}"]
    text = [f"# {part.name(lang)}",
            part.info[f"description_{lang}"],
            t("partner.kind", lang, kind=t(f"kind.{part.info['kind']}", lang),
              date=part.info["date_stated"]),
            t("partner.source", lang, title=source_title, date=part.source["date"],
              file=part.source["file"])]
    if pd.notna(part.info.get("host_code")):
        host = resolve(part.info["host_code"])
        text.append(t("partner.host", lang, host=host.name(lang)))
    return "\n\n".join(text)


def partnership_totals_text(part: PartnershipProfile, lang: str) -> str:
    if not part.has_members:
        return t("partner.no_members", lang, name=part.name(lang))
    tot = part.totals
    return t("partner.totals", lang, n=tot["n"], cities=tot["cities"], year=part.year,
             population=fmt_int(tot["population"], lang),
             population_share=fmt_pct(tot["population_share"], lang),
             jobs_year=tot["jobs_year"], jobs=fmt_int(tot["jobs"], lang),
             jobs_share=fmt_pct(tot["jobs_share"], lang))


def members_table(part: PartnershipProfile, lang: str) -> pd.DataFrame:
    m = part.members
    return pd.DataFrame({
        t("col.municipality", lang): m[f"name_{lang}"],
        t("col.role", lang): [t(f"role.{r}", lang) for r in m["role"]],
        t("col.status", lang): [status_text(s, lang, d) for s, d in zip(m["status"], m["status_date"])],
        t("col.population", lang): m["population"],
        t("col.size_class", lang): [class_label(lo, hi, lang) for lo, hi in
                                    zip(m["class_lo"], m["class_hi"])],
        t("col.jobs", lang): m["jobs"],
    })


def members_formatters(lang: str) -> dict:
    return {t("col.population", lang): lambda v: fmt_int(v, lang),
            t("col.jobs", lang): lambda v: fmt_int(v, lang)}


def members_caption(part: PartnershipProfile, lang: str) -> str:
    return t("partner.members_caption", lang, year=part.year, jobs_year=part.totals["jobs_year"])


def plot_members(part: PartnershipProfile, lang: str):
    """Members' populations as horizontal bars coloured by size class."""
    from analysis.present import style  # matplotlib: imported only when drawing
    m = part.members.sort_values("population")
    colours = {int(i): style.class_color(lo, hi if pd.notna(hi) else None)
               for i, lo, hi in zip(m["class_index"], m["class_lo"], m["class_hi"])}
    fig, ax = style.figure(height=max(2.4, 0.9 + 0.24 * len(m)))
    ax.barh(m[f"name_{lang}"], m["population"], color=[colours[int(i)] for i in m["class_index"]])
    ax.xaxis.set_major_formatter(thousands(lang))
    ax.grid(axis="y", visible=False)
    shown = sorted(set(int(i) for i in m["class_index"]))
    labels = {int(i): class_label(lo, hi, lang)
              for i, lo, hi in zip(m["class_index"], m["class_lo"], m["class_hi"])}
    from analysis.present.figures.maps import legend_patches

    ax.legend(handles=legend_patches({labels[i]: colours[i] for i in reversed(shown)}),
              title=t("col.size_class", lang), loc="lower right")
    counts = m["class_index"].astype(int).value_counts()
    largest, smallest = m.iloc[-1], m.iloc[0]
    alt = t("alt.partner.members", lang, n=len(m), year=part.year,
            largest=largest[f"name_{lang}"], largest_pop=fmt_int(largest["population"], lang),
            smallest=smallest[f"name_{lang}"], smallest_pop=fmt_int(smallest["population"], lang),
            classes="; ".join(f"{labels[i]}: {counts[i]}" for i in reversed(shown)))
    plotted = pd.DataFrame({"code": m["code"], "name": m[f"name_{lang}"],
                            "population": m["population"],
                            "size_class": [labels[int(i)] for i in m["class_index"]]})
    # Room for the longest name on the left (8-point tick labels), then fixed margins: no
    # tight layout, no tight box.
    longest = max(len(str(name)) for name in m[f"name_{lang}"])
    left = (0.2 + longest * 8 * style.AVERAGE_CHAR_EM / 72) / fig.get_figwidth()
    style.fixed_margins(fig, left=left, top=0.45, bottom=0.75, right=0.96)
    style.finish(fig, ax, title=t("partner.fig.members", lang, year=part.year),
                 xlabel=t("axis.population", lang), layout=False,
                 source=source_line(lang, t("source.population", lang, year=part.year),
                                          t("source.partnerships", lang)),
                 alt=alt, data=plotted)
    return fig


def plot_combined(part: PartnershipProfile, lang: str):
    """Combined population of today's members over the years."""
    from analysis.present import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.2)
    series = series_with_gap(part.series)
    ax.plot(series.index, series.values, color=style.partnership_color(part.pid), lw=2,
            marker="o", ms=2.5)
    ax.yaxis.set_major_formatter(thousands(lang))
    years = [int(y) for y in part.series.index]
    first, last = part.series.iloc[0], part.series.iloc[-1]
    alt = t("alt.partner.combined", lang, n=part.totals["n"], first=years[0], last=years[-1],
            start=fmt_int(first, lang), end=fmt_int(last, lang),
            change=fmt_signed_pct((last - first) / first, lang))
    plotted = pd.DataFrame({"year": years, "population": part.series.to_numpy()})
    subtitle = gap_note(years, lang)
    style.fixed_margins(fig, left=0.14, top=0.62 if subtitle else 0.45)
    style.finish(fig, ax, title=t("partner.fig.combined", lang, n=part.totals["n"]),
                 xlabel=t("axis.year", lang), ylabel=t("axis.population", lang),
                 subtitle=subtitle, layout=False,
                 source=source_line(lang, t("source.population_years", lang,
                                                  years=format_years(years))),
                 alt=alt, data=plotted)
    return fig


def combined_text(part: PartnershipProfile, lang: str) -> str:
    first, last = int(part.series.index.min()), int(part.series.index.max())
    change = part.series[last] - part.series[first]
    return t("partner.combined", lang, first=first, last=last,
             change=fmt_signed(change, lang), change_pct=fmt_signed_pct(change / part.series[first], lang))


def plot_map(part: PartnershipProfile, lang: str):
    """Members on the map of Finland in the partnership's colour, the host outlined."""
    from analysis.present import style  # matplotlib: imported only when drawing
    from analysis.present.figures import maps

    fig, ax = style.figure(width=4.6, height=6.0)
    colour = style.partnership_color(part.pid)
    host = part.info.get("host_code")
    maps.finland(ax, fill={code: colour for code in part.members["code"]},
                 outline={host} if pd.notna(host) else None)
    legend = {t("partner.map.members", lang): colour}
    ax.legend(handles=maps.legend_patches(legend), loc="upper left", fontsize=7)
    if pd.notna(host):
        from matplotlib.patches import Patch

        handles = ax.get_legend().legend_handles + [
            Patch(facecolor=colour, edgecolor="black", lw=1.2, label=t("partner.map.host", lang))]
        ax.legend(handles=handles, loc="upper left", fontsize=7)
    m = part.members.sort_values(f"name_{lang}")
    alt = t("alt.partner.map", lang, n=len(m), names=", ".join(m[f"name_{lang}"]))
    if pd.notna(host):
        alt += " " + t("alt.partner.map_host", lang, host=resolve(host).name(lang))
    plotted = pd.DataFrame({"code": m["code"], "name": m[f"name_{lang}"], "role": m["role"]})
    style.fixed_margins(fig, left=0.02, right=0.98, top=0.45, bottom=0.4)
    style.finish(fig, None, title=t("partner.fig.map", lang, n=part.totals["n"]),
                 source=source_line(lang, t("source.boundaries", lang),
                                          t("source.partnerships", lang)),
                 alt=alt, data=plotted, layout=False)
    return fig


def overlap_table(part: PartnershipProfile, lang: str) -> pd.DataFrame:
    names = data.partnerships().set_index("partnership_id")[f"name_{lang}"]
    muni = data.municipalities().set_index("code")[f"name_{lang}"]
    o = part.overlap
    return pd.DataFrame({
        t("col.partnership", lang): [names[p] for p in o["partnership_id"]],
        t("partner.col.shared", lang): [len(s) for s in o["shared"]],
        t("partner.col.of_members", lang): o["n_other"].to_numpy(),
        t("partner.col.shared_names", lang): [", ".join(sorted(muni[c] for c in s)) or "–"
                                             for s in o["shared"]],
    })


def overlap_text(part: PartnershipProfile, lang: str) -> str:
    shared = part.overlap[part.overlap["shared"].map(len) > 0]
    if shared.empty:
        return t("partner.no_overlap", lang)
    return t("partner.overlap", lang, n=len(shared))
