"""City and partnership profiles: the figures, tables and sentences of
``notebooks/city_profile.ipynb`` and ``notebooks/partnership_profile.ipynb``.

    prof = city_profile("Pori", year=None)          # any name, Swedish name or code
    city_intro(prof, "fi"); plot_population(prof, "fi"); peer_table(prof, "fi")

    part = partnership_profile("growth-cities")
    members_table(part, "en"); plot_members(part, "en"); overlap_table(part, "en")

Drawing imports matplotlib (via :mod:`analysis.style`) only inside the plotting functions,
so that ``analysis render`` can read :func:`peer_years` without paying for it.

Size classes are those of :mod:`analysis.sizeclass`: the standard all-Finland scheme
(:data:`~analysis.sizeclass.STANDARD_EDGES`, lower edge included, upper excluded).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import data, readset, sizeclass
from .i18n import (check_lang, fmt_date, fmt_float, fmt_int, fmt_pct, fmt_signed, fmt_signed_pct,
                   format_years, t)
from .names import resolve
from .params import ParameterError, check_municipality, check_partnership, check_year

PEERS_SHOWN = 15  # the class peers nearest in population; a small-town class holds ~80
CHANGE_SPAN = 10  # years back for the "change" columns


def peer_years(year: int) -> list[int]:
    """The years whose population of *every* municipality a city profile reads: the profile
    year (distribution, class, peers), ``CHANGE_SPAN`` years earlier when the data holds
    it (the peers' change), and the years the comparison section divides by
    (:func:`analysis.peers.population_years_read`). The render cache hashes exactly these
    slices."""
    from .peers import population_years_read

    years = data.population_years()
    own = [y for y in (year, year - CHANGE_SPAN) if y in years]
    return own + [y for y in population_years_read(year) if y not in own]


def _gap_note(years: list[int], lang: str) -> str | None:
    """Subtitle naming the years missing inside the series' range (none today),
    derived from the data so that it disappears once a refresh fills them."""
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    return t("city.fig.gap", lang, year=format_years(gaps)) if gaps else None


def _series_with_gap(series: pd.Series) -> pd.Series:
    """Insert NaN for years missing inside the range, so a line breaks there."""
    full = range(int(series.index.min()), int(series.index.max()) + 1)
    return series.reindex(full)


def _memberships_named() -> pd.DataFrame:
    members = data.memberships().merge(
        data.partnerships()[["partnership_id", "name_fi", "name_en", "kind"]], on="partnership_id")
    return members.merge(data.municipalities()[["code", "name_fi", "name_en"]], on="code",
                         suffixes=("_p", ""))


def status_text(status: str, lang: str, date=None) -> str:
    """A membership status as worded in the data, translated (keys ``partner.status.*``),
    with the date the source gives for it (e.g. Seinäjoki's board decision)."""
    from .names import slug

    text = t(f"partner.status.{slug(status)}", lang)
    return f"{text}, {fmt_date(date, lang)}" if isinstance(date, str) and date else text


# ====================================================================== city profile
@dataclass
class CityProfile:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    note: str | None
    year: int
    latest: int
    series: pd.Series  # year -> population
    classes: pd.DataFrame  # sizeclass.classify(year) for all municipalities
    row: pd.Series  # this municipality's row of `classes`
    rank: int
    n_municipalities: int
    city_rank: int | None
    n_cities: int
    class_members: pd.DataFrame  # same class, sorted by population desc
    memberships: pd.DataFrame  # this city's partnerships
    jobs: float | None
    jobs_year: int
    jobs_rank: int | None
    is_city: bool

    def name(self, lang: str) -> str:
        return self.name_fi if lang == "fi" else self.name_en

    @property
    def population(self) -> int:
        return int(self.row["population"])


def check_city_params(city, year, lang) -> tuple[str, int, str]:
    """Validate the notebook's parameters; returns (code, year, lang)."""
    check_lang_param(lang)
    return check_municipality(city).code, check_year(year), lang


def check_lang_param(lang) -> str:
    from .params import check_lang as check

    return check(lang)


def city_profile(city, year=None) -> CityProfile:
    muni = check_municipality(city)
    year = check_year(year)
    code = muni.code
    with readset.rows("population", "code", [code]):
        wide = sizeclass.population_wide()
    series = wide.loc[code].dropna().astype(int)
    classes = sizeclass.classify(year, bounds=None, cities_only=False)
    classes = classes.sort_values("population", ascending=False).reset_index(drop=True)
    classes["rank"] = np.arange(1, len(classes) + 1)
    row = classes.set_index("code").loc[code]
    cities = classes[classes["is_city"]].reset_index(drop=True)
    city_rank = (int(cities.index[cities["code"] == code][0]) + 1) if row["is_city"] else None
    same = classes[classes["class_index"] == row["class_index"]].copy()
    named = _memberships_named()
    jobs = data.jobs()
    jobs_year = int(jobs["year"].max())
    jobs_year_rows = jobs[jobs["year"] == jobs_year].sort_values("jobs", ascending=False)
    jobs_year_rows = jobs_year_rows.reset_index(drop=True)
    own_jobs = jobs_year_rows.loc[jobs_year_rows["code"] == code, "jobs"]
    return CityProfile(
        code=code, name_fi=muni.name_fi, name_sv=muni.name_sv, name_en=muni.name_en,
        note=muni.note, year=year, latest=int(series.index.max()), series=series,
        classes=classes, row=row, rank=int(row["rank"]), n_municipalities=len(classes),
        city_rank=city_rank, n_cities=len(cities), class_members=same,
        memberships=named[named["code"] == code].reset_index(drop=True),
        jobs=float(own_jobs.iloc[0]) if len(own_jobs) else None, jobs_year=jobs_year,
        jobs_rank=int(own_jobs.index[0]) + 1 if len(own_jobs) else None,
        is_city=bool(row["is_city"]))


def _class_label(prof_row, lang: str) -> str:
    return prof_row[f"class_label_{lang}"]


def city_title(prof: CityProfile, lang: str) -> str:
    name = prof.name(lang)
    if prof.name_sv != prof.name_fi and prof.name_sv not in name:
        name = f"{name} ({prof.name_sv})"  # bilingual municipalities: both names help
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
    from . import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.6)
    series = _series_with_gap(prof.series)
    lo, hi = prof.row["class_lo"], prof.row["class_hi"]
    top = max(series.max() * 1.08, (hi if pd.notna(hi) else 0) * 1.02)
    band_hi = hi if pd.notna(hi) else top
    ax.axhspan(lo, band_hi, color=style.CLASS_BAND, alpha=0.18, lw=0,
               label=t("city.class_band", lang, size_class=_class_label(prof.row, lang),
                       year=prof.year))
    for edge in (lo, hi):
        if pd.notna(edge) and edge > 0:
            ax.axhline(edge, color=style.CLASS_BAND, lw=1, ls="--")
    ax.plot(series.index, series.values, color=style.OKABE_ITO["blue"], lw=2, marker="o", ms=2.5,
            label=prof.name(lang))
    ax.plot([prof.year], [prof.series[prof.year]], "o", color=style.HIGHLIGHT, ms=6, zorder=5)
    ax.set_ylim(max(0, min(lo, series.min()) * 0.9) if lo > 0 else 0, top)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.legend(loc="best")
    years = [int(y) for y in prof.series.index]
    style.finish(fig, ax, title=t("city.fig.population", lang, name=prof.name(lang),
                                  first=years[0], last=years[-1]),
                 xlabel=t("axis.year", lang), ylabel=t("axis.population", lang),
                 subtitle=_gap_note(years, lang),
                 source=_source(lang, t("source.population_years", lang,
                                                  years=format_years(years))))
    return fig


def _source(lang: str, *parts: str) -> str:
    """The house source line (``style.finish`` wraps it to the figure's width)."""
    from . import style  # matplotlib: imported only when drawing

    return style.source_text(lang, *parts)


def _thousands(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt_int(v, lang))


def plot_distribution(prof: CityProfile, lang: str):
    """All municipalities' populations on a log axis, the class edges and this city marked."""
    from . import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.4)
    pops = prof.classes["population"].astype(float)
    bins = np.logspace(np.log10(max(pops.min(), 1) * 0.95), np.log10(pops.max() * 1.05), 36)
    ax.hist(pops, bins=bins, color=style.NEUTRAL, edgecolor="white", lw=0.5)
    ax.set_xscale("log")
    for edge in sizeclass.STANDARD_EDGES[1:]:
        ax.axvline(edge, color=style.CLASS_BAND, lw=0.8, ls="--")
    lo, hi = prof.row["class_lo"], prof.row["class_hi"]
    ax.axvspan(max(lo, bins[0]), hi if pd.notna(hi) else bins[-1], color=style.CLASS_BAND,
               alpha=0.18, lw=0)
    ax.axvline(prof.population, color=style.HIGHLIGHT, lw=2)
    ax.annotate(prof.name(lang), (prof.population, 0.96), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", ha="left" if prof.rank > 30 else "right",
                va="top", color=style.HIGHLIGHT, fontweight="bold")
    ax.xaxis.set_major_formatter(_thousands(lang))
    style.finish(fig, ax, title=t("city.fig.distribution", lang, year=prof.year),
                 subtitle=t("city.fig.distribution_sub", lang,
                            size_class=_class_label(prof.row, lang)),
                 xlabel=t("axis.population_log", lang), ylabel=t("axis.municipalities", lang),
                 source=_source(lang, t("source.population", lang, year=prof.year)))
    return fig


def city_partnerships_text(prof: CityProfile, lang: str) -> str:
    if prof.memberships.empty:
        return t("city.no_partnerships", lang, name=prof.name(lang))
    names = [row[f"name_{lang}_p"] for _, row in prof.memberships.iterrows()]
    return t("city.partnerships", lang, name=prof.name(lang), n=len(names),
             partnerships="; ".join(names))


def city_partnerships_table(prof: CityProfile, lang: str) -> pd.DataFrame:
    """Each partnership of the city: role, status and the other members."""
    named = _memberships_named()
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
    from . import style  # matplotlib: imported only when drawing
    from .plots import maps

    fig, ax = style.figure(width=4.6, height=6.0)
    partners = set(_memberships_named().query("partnership_id in @ids", local_dict={
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
    style.finish(fig, None, title=t("city.fig.map", lang, name=prof.name(lang)),
                 source=_source(lang, t("source.boundaries", lang),
                                          t("source.partnerships", lang)))
    return fig


def peer_table(prof: CityProfile, lang: str) -> pd.DataFrame:
    """The class peers nearest in population (the city itself included, marked ►)."""
    peers = prof.class_members.copy()
    peers["distance"] = (np.log(peers["population"]) - np.log(prof.population)).abs()
    peers = peers.nsmallest(PEERS_SHOWN, "distance").sort_values("population", ascending=False)
    years = peer_years(prof.year)
    with readset.rows("population", "year", years):  # only the columns of these years are used
        wide = sizeclass.population_wide()
    jobs = data.jobs().set_index("code")["jobs"]
    memberships = data.memberships().groupby("code")["partnership_id"].nunique()
    before_year = prof.year - CHANGE_SPAN
    frame = pd.DataFrame({
        t("col.municipality", lang): [("► " if c == prof.code else "") + n for c, n in
                                      zip(peers["code"], peers[f"name_{lang}"])],
        t("col.region", lang): peers[f"region_{lang}"].to_numpy(),
        t("col.population", lang): peers["population"].to_numpy(),
    })
    if before_year in wide.columns:
        before = wide.loc[peers["code"], before_year].to_numpy()
        frame[t("city.col.change", lang, years=CHANGE_SPAN)] = (
            peers["population"].to_numpy() - before) / before
    frame[t("col.jobs", lang)] = jobs.reindex(peers["code"]).to_numpy()
    frame[t("city.col.n_partnerships", lang)] = memberships.reindex(peers["code"]).fillna(0).astype(
        int).to_numpy()
    return frame


def peer_formatters(lang: str) -> dict:
    return {t("col.population", lang): lambda v: fmt_int(v, lang),
            t("city.col.change", lang, years=CHANGE_SPAN): lambda v: fmt_signed_pct(v, lang),
            t("col.jobs", lang): lambda v: fmt_int(v, lang)}


def peer_caption(prof: CityProfile, lang: str) -> str:
    return t("city.peers_caption", lang, size_class=_class_label(prof.row, lang), year=prof.year,
             n=len(prof.class_members), shown=min(PEERS_SHOWN, len(prof.class_members)),
             jobs_year=prof.jobs_year)


# ====================================================================== partnership profile
@dataclass
class PartnershipProfile:
    pid: str
    info: pd.Series  # row of partnerships.csv
    source: pd.Series  # row of sources.csv
    year: int
    members: pd.DataFrame  # code, names, role, status, population, class labels, jobs
    totals: dict
    overlap: pd.DataFrame  # other partnership -> shared members
    series: pd.Series  # combined population of the members by year

    @property
    def has_members(self) -> bool:
        return not self.members.empty

    def name(self, lang: str) -> str:
        return self.info[f"name_{lang}"]


def check_partnership_params(partnership, year, lang) -> tuple[str, int, str]:
    check_lang_param(lang)
    return check_partnership(partnership), check_year(year), lang


def partnership_profile(partnership, year=None) -> PartnershipProfile:
    pid = check_partnership(partnership)
    year = check_year(year)
    info = data.partnerships().set_index("partnership_id").loc[pid]
    source = data.sources().set_index("source_id").loc[info["source_id"]]
    classes = sizeclass.classify(year, bounds=None, cities_only=False).set_index("code")
    memberships = data.memberships()
    mine = memberships[memberships["partnership_id"] == pid]
    jobs = data.jobs()
    jobs_year = int(jobs["year"].max())
    jobs = jobs[jobs["year"] == jobs_year].set_index("code")["jobs"]
    members = mine[["code", "role", "status", "status_date"]].join(classes, on="code")
    members["jobs"] = members["code"].map(jobs)
    members = members.sort_values("population", ascending=False).reset_index(drop=True)
    with readset.rows("population", "code", members["code"]):  # the members' series only
        wide = sizeclass.population_wide()
    series = wide.loc[members["code"]].sum() if len(members) else pd.Series(dtype=float)
    finland_pop = int(classes["population"].sum())
    totals = {"n": len(members), "population": int(members["population"].sum()),
              "population_share": members["population"].sum() / finland_pop,
              "jobs": int(members["jobs"].sum()), "jobs_share": members["jobs"].sum() / jobs.sum(),
              "jobs_year": jobs_year, "finland": finland_pop,
              "cities": int(members["is_city"].sum()) if len(members) else 0}
    overlap = []
    for other, group in memberships[memberships["partnership_id"] != pid].groupby("partnership_id"):
        shared = sorted(set(group["code"]) & set(members["code"]))
        overlap.append({"partnership_id": other, "shared": shared, "n_other": len(group)})
    overlap = pd.DataFrame(overlap, columns=["partnership_id", "shared", "n_other"])
    return PartnershipProfile(pid, info, source, year, members, totals, overlap,
                              series[series > 0].astype(int) if len(series) else series)


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
        t("col.size_class", lang): m[f"class_label_{lang}"],
        t("col.jobs", lang): m["jobs"],
    })


def members_formatters(lang: str) -> dict:
    return {t("col.population", lang): lambda v: fmt_int(v, lang),
            t("col.jobs", lang): lambda v: fmt_int(v, lang)}


def members_caption(part: PartnershipProfile, lang: str) -> str:
    return t("partner.members_caption", lang, year=part.year, jobs_year=part.totals["jobs_year"])


def plot_members(part: PartnershipProfile, lang: str):
    """Members' populations as horizontal bars coloured by size class."""
    from . import style  # matplotlib: imported only when drawing
    m = part.members.sort_values("population")
    n_classes = len(sizeclass.STANDARD_EDGES)
    colours = style.class_colors(n_classes)
    fig, ax = style.figure(height=max(2.4, 0.9 + 0.24 * len(m)))
    ax.barh(m[f"name_{lang}"], m["population"], color=[colours[int(i)] for i in m["class_index"]])
    ax.xaxis.set_major_formatter(_thousands(lang))
    ax.grid(axis="y", visible=False)
    shown = sorted(set(int(i) for i in m["class_index"]))
    labels = {int(i): lab for i, lab in zip(m["class_index"], m[f"class_label_{lang}"])}
    from .plots.maps import legend_patches

    ax.legend(handles=legend_patches({labels[i]: colours[i] for i in reversed(shown)}),
              title=t("col.size_class", lang), loc="lower right")
    style.finish(fig, ax, title=t("partner.fig.members", lang, year=part.year),
                 xlabel=t("axis.population", lang),
                 source=_source(lang, t("source.population", lang, year=part.year),
                                          t("source.partnerships", lang)))
    return fig


def plot_combined(part: PartnershipProfile, lang: str):
    """Combined population of today's members over the years."""
    from . import style  # matplotlib: imported only when drawing
    fig, ax = style.figure(height=3.2)
    series = _series_with_gap(part.series)
    ax.plot(series.index, series.values, color=style.partnership_color(part.pid), lw=2,
            marker="o", ms=2.5)
    ax.yaxis.set_major_formatter(_thousands(lang))
    years = [int(y) for y in part.series.index]
    style.finish(fig, ax, title=t("partner.fig.combined", lang, n=part.totals["n"]),
                 xlabel=t("axis.year", lang), ylabel=t("axis.population", lang),
                 subtitle=_gap_note(years, lang),
                 source=_source(lang, t("source.population_years", lang,
                                                  years=format_years(years))))
    return fig


def combined_text(part: PartnershipProfile, lang: str) -> str:
    first, last = int(part.series.index.min()), int(part.series.index.max())
    change = part.series[last] - part.series[first]
    return t("partner.combined", lang, first=first, last=last,
             change=fmt_signed(change, lang), change_pct=fmt_signed_pct(change / part.series[first], lang))


def plot_map(part: PartnershipProfile, lang: str):
    """Members on the map of Finland in the partnership's colour, the host outlined."""
    from . import style  # matplotlib: imported only when drawing
    from .plots import maps

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
    style.finish(fig, None, title=t("partner.fig.map", lang, n=part.totals["n"]),
                 source=_source(lang, t("source.boundaries", lang),
                                          t("source.partnerships", lang)))
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


__all__ = ["CityProfile", "PartnershipProfile", "ParameterError", "city_profile",
           "partnership_profile", "peer_years"]
