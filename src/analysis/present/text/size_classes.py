"""Sentences, tables and captions of ``notebooks/size_classes.ipynb``: what
:mod:`analysis.analyses.sizeclass` computes, in Finnish, English or Swedish. Every sentence comes from the
translation table (``translations/sizeclass.yaml``), every number from
:mod:`analysis.analyses.sizeclass`.
"""

from __future__ import annotations

import pandas as pd

from analysis import data
from analysis.analyses.claims import (
    CLAIM_QUANTITIES,
    Claim,
    claim_summary,
    default,
    jobs_year_available_at,
    precision_step,
)
from analysis.analyses.sizeclass import (
    STANDARD_EDGES,
    city_title_year,
    class_changes,
    class_history,
    class_summary,
    class_vs_partnerships,
    finland_population,
    member_table,
    members,
    partnership_overlap,
)
from analysis.core.text import format_years
from analysis.data.checks import check_year
from analysis.data.names import partnership_name
from analysis.present.i18n import (
    bounds_label,
    class_label,
    fmt_int,
    fmt_pct,
    fmt_signed,
    fmt_signed_pct,
    t,
)
from analysis.present.text.common import names_list


def _unit(n: int, cities_only: bool, lang: str) -> str:
    kind = "cities" if cities_only else "municipalities"
    return t(f"size.unit.{kind}{'.one' if n == 1 else ''}", lang)


def intro_text(year, bounds, cities_only, lang: str = "fi") -> str:
    """Title and the definition of the class, with its size."""
    frame = members(year, bounds, cities_only)
    year, edges = frame.attrs["year"], frame.attrs["bounds"]
    n, residents = len(frame), int(frame["population"].sum())
    scope = (t("size.scope_note.cities", lang, title_year=city_title_year(),
               cities=fmt_int(int(data.municipalities()["is_city"].sum()), lang))
             if cities_only else t("size.scope_note.municipalities", lang,
                                   n=fmt_int(len(data.municipalities()), lang)))
    return "\n\n".join([
        t("size.title", lang, bounds=bounds_label(edges, lang), year=year),
        t("size.intro", lang, year=year, lo=fmt_int(edges[0], lang), hi=fmt_int(edges[-1], lang),
          scope=scope, n=fmt_int(n, lang), units=_unit(n, cities_only, lang),
          residents=fmt_int(residents, lang),
          share=fmt_pct(residents / finland_population(year), lang)),
    ])


def member_headers(year: int, lang: str) -> dict[str, str]:
    """Headers of the class table's columns (keys: the columns of
    :func:`analysis.analyses.sizeclass.member_table`), with the years they speak of."""
    jobs_year = int(data.jobs()["year"].max())
    return {"name": t("col.municipality", lang), "region": t("col.region", lang),
            "population": t("size.col.population_year", lang, year=year),
            "change_5y": t("size.col.change", lang, span=5, start=year - 5),
            "change_5y_pct": t("size.col.change_pct", lang, span=5),
            "change_10y": t("size.col.change", lang, span=10, start=year - 10),
            "change_10y_pct": t("size.col.change_pct", lang, span=10),
            "jobs": t("size.col.jobs_year", lang, year=jobs_year),
            "partnerships": t("col.partnerships", lang)}


def member_report_table(year, bounds, cities_only, lang: str = "fi"):
    """(frame, formatters) for the class table: numbers stay numbers (for CSV/XLSX),
    the formatters render them the Finnish, English or Swedish way on screen."""
    frame = member_table(year, bounds, cities_only)
    col = member_headers(frame.attrs["year"], lang)
    out = pd.DataFrame({
        col["name"]: frame[f"name_{lang}"], col["region"]: frame[f"region_{lang}"],
        col["population"]: frame["population"],
        col["change_5y"]: frame["change_5y"], col["change_5y_pct"]: frame["change_5y_pct"],
        col["change_10y"]: frame["change_10y"], col["change_10y_pct"]: frame["change_10y_pct"],
        col["jobs"]: frame["jobs"],
        col["partnerships"]: [", ".join(partnership_name(p, lang) for p in ps) or "–"
                              for ps in frame["partnerships"]]})
    formatters = {col["population"]: lambda v: fmt_int(v, lang),
                  col["jobs"]: lambda v: fmt_int(v, lang)}
    for key in ("change_5y", "change_10y"):
        formatters[col[key]] = lambda v: fmt_signed(v, lang)
        formatters[col[f"{key}_pct"]] = lambda v: fmt_signed_pct(v, lang)
    return out, formatters


def totals_text(year, bounds, cities_only, lang: str = "fi") -> str:
    frame = member_table(year, bounds, cities_only)
    year, n = frame.attrs["year"], len(frame)
    if not n:
        return t("size.totals.empty", lang, bounds=bounds_label(frame.attrs["bounds"], lang),
                 year=year)
    residents = int(frame["population"].sum())
    jobs_year = int(frame["jobs_year"].iat[0])
    text = t("size.totals", lang, n=fmt_int(n, lang), units=_unit(n, cities_only, lang),
             year=year, residents=fmt_int(residents, lang),
             share=fmt_pct(residents / finland_population(year), lang),
             jobs=fmt_int(int(frame["jobs"].sum()), lang), jobs_year=jobs_year)
    if frame["change_5y"].notna().all():
        text += " " + t("size.totals.change", lang, start=year - 5,
                        change=fmt_signed(int(frame["change_5y"].sum()), lang),
                        pct=fmt_signed_pct(frame["change_5y"].sum()
                                        / (residents - frame["change_5y"].sum()), lang))
    return text


def standard_report_table(year, lang: str = "fi"):
    """All of Finland in the standard classes (:data:`STANDARD_EDGES`)."""
    summary = class_summary(year, None, cities_only=False)
    col = [t("col.size_class", lang), t("size.col.municipalities", lang),
           t("size.col.cities", lang), t("size.col.population_year", lang,
                                         year=summary.attrs["year"]),
           t("size.col.share", lang)]
    names = [class_label(lo, hi, lang) for lo, hi in zip(summary["class_lo"], summary["class_hi"])]
    out = pd.DataFrame(dict(zip(col, [names, summary["municipalities"], summary["cities"],
                                      summary["population"], summary["population_share"]])))
    return out, {col[3]: lambda v: fmt_int(v, lang), col[4]: lambda v: fmt_pct(v, lang)}


def members_caption(year, bounds, cities_only, lang: str = "fi") -> str:
    scope = t("size.scope.cities" if cities_only else "size.scope.municipalities", lang)
    return t("size.caption.members", lang, scope=scope.capitalize(), year=check_year(year),
             bounds=bounds_label(bounds, lang))


def standard_caption(year, lang: str = "fi") -> str:
    return t("size.caption.standard", lang, year=check_year(year),
             edges=", ".join(fmt_int(e, lang) for e in STANDARD_EDGES))


def _definition_label(definition: str, claim: Claim, lang: str) -> str:
    if definition == "partnership":
        pids = data.partnerships()
        pid = pids.loc[pids["source_id"] == claim.source_id, "partnership_id"]
        names = ", ".join(partnership_name(p, lang) for p in pid)
        return t("size.def.partnership", lang, partnership=names)
    return t(f"size.def.{definition}", lang)


def _quantity_label(quantity: str, definition: str, lang: str) -> str:
    if quantity == "count" and definition == "subregions":
        return t("size.q.count_subregions", lang)
    return t(f"size.q.{quantity}", lang)


def claim_intro_text(claim: Claim | None = None, lang: str = "fi") -> str:
    claim = claim or default()
    source = data.sources().set_index("source_id").loc[claim.source_id]
    return t("size.claim.intro", lang, title=source[f"title_{lang}"], date=source["date"],
             count=fmt_int(claim.count, lang), bounds=class_label(*claim.bounds, lang),
             residents=fmt_int(claim.residents, lang), jobs=fmt_int(claim.jobs, lang),
             year=claim.year, jobs_year=jobs_year_available_at(claim.source_date, claim.year))


def claim_report_table(check: pd.DataFrame, claim: Claim | None = None,
                       lang: str = "fi"):
    claim = claim or default()
    col = [t("size.col.definition", lang), t("size.col.figure", lang),
           t("size.col.claimed", lang), t("size.col.computed", lang),
           t("size.col.difference", lang), t("size.col.difference_pct", lang),
           t("size.col.data_year", lang), t("size.col.confirmed", lang)]
    jobs_year = check.attrs["jobs_year"]
    years = [t("size.claim.jobs_year_note", lang, year=y) if q == "jobs" and y == jobs_year
             else str(y) for q, y in zip(check["quantity"], check["data_year"])]
    out = pd.DataFrame(dict(zip(col, [
        [_definition_label(d, claim, lang) + (" *" if p else "")
         for d, p in zip(check["definition"], check["primary"])],
        [_quantity_label(q, d, lang) for q, d in zip(check["quantity"], check["definition"])],
        check["claimed"], check["computed"], check["difference"], check["difference_pct"],
        years,
        [t("size.yes", lang) if c else t("size.no", lang) if c is not None else "–"
         for c in check["confirmed"]]])))
    formatters = {col[2]: lambda v: fmt_int(v, lang), col[3]: lambda v: fmt_int(v, lang),
                  col[4]: lambda v: fmt_signed(v, lang), col[5]: lambda v: fmt_signed_pct(v, lang)}
    return out, formatters


def claim_verdict_text(check: pd.DataFrame, claim: Claim | None = None,
                       lang: str = "fi") -> str:
    """Which parts of the claim the data confirms (primary definition), which it does
    not, and whether any alternative definition reproduces them."""
    claim = claim or default()
    summary = claim_summary(check)
    primary = check[check["primary"]].set_index("quantity")
    precision = [t("size.verdict.precision", lang, claimed=fmt_int(getattr(claim, q), lang),
                   step=fmt_int(precision_step(getattr(claim, q)), lang))
                 for q in claim.approximate if getattr(claim, q) is not None]
    lines = [t("size.verdict.rule", lang, precision="; ".join(precision)), ""]
    for quantity in CLAIM_QUANTITIES:
        if quantity not in primary.index or primary.at[quantity, "claimed"] is None:
            continue
        row = primary.loc[quantity]
        key = "size.verdict.confirmed" if row["confirmed"] else "size.verdict.not_confirmed"
        lines.append("- " + t(key, lang, figure=_quantity_label(quantity, "cities", lang).capitalize(),
                              claimed=fmt_int(row["claimed"], lang),
                              computed=fmt_int(row["computed"], lang),
                              data_year=int(row["data_year"]),
                              difference=fmt_signed(row["difference"], lang),
                              pct=fmt_signed_pct(row["difference_pct"], lang)))
    lines += ["", t("size.verdict.alternatives", lang), ""]
    for definition, group in check[~check["primary"]].groupby("definition", sort=False):
        hits = [_quantity_label(q, definition, lang) for q, ok in
                zip(group["quantity"], group["confirmed"]) if ok]
        lines.append("- " + t("size.verdict.alternative", lang,
                              definition=_definition_label(definition, claim, lang),
                              matched=names_list(hits, lang) if hits else t("size.none", lang),
                              figures=", ".join(f"{_quantity_label(q, definition, lang)} "
                                                f"{fmt_int(v, lang)}" for q, v in
                                                zip(group["quantity"], group["computed"]))))
    lines.append("")
    if summary["reproduced_by"]:
        lines.append(t("size.verdict.reproduced_by", lang, definitions=names_list(
            [_definition_label(d, claim, lang) for d in summary["reproduced_by"]], lang)))
    else:
        lines.append(t("size.verdict.none_reproduces", lang))
    unmatched = [_quantity_label(q, "cities", lang) for q, defs in summary["matches"].items()
                 if not defs and getattr(claim, q) is not None]
    if unmatched:
        lines.append(t("size.verdict.unmatched", lang, figures=names_list(unmatched, lang)))
    return "\n".join(lines)


def _change_when(year: int, from_year: int) -> str:
    return str(year) if year == from_year + 1 else f"{from_year + 1}–{year}"


def changes_text(bounds, cities_only, lang: str = "fi") -> str:
    changes = class_changes(bounds, cities_only)
    history = class_history(bounds, cities_only)
    edges = history.attrs["bounds"]
    ever = int(history.any(axis=1).sum())
    years = format_years(history.columns)
    head = t("size.changes.head", lang, years=years, ever=fmt_int(ever, lang),
             units=_unit(ever, cities_only, lang), bounds=bounds_label(edges, lang),
             entered=fmt_int(int((changes["change"] == "entered").sum()), lang),
             left=fmt_int(int((changes["change"] == "left").sum()), lang))
    items = [("- " + t(f"size.change.{row.change}_{row.direction}", lang,
                       when=_change_when(row.year, row.from_year), name=getattr(row, f"name_{lang}"),
                       before=fmt_int(row.population_before, lang),
                       after=fmt_int(row.population, lang), edge=fmt_int(row.edge, lang)))
             for row in changes.itertuples()]
    gap = [y for y in range(history.columns[0], history.columns[-1] + 1) if y not in history.columns]
    after_gap = min((y for y in history.columns if gap and y > gap[-1]), default=None)
    tail = t("size.changes.gap", lang, years=format_years(gap), next=after_gap) if gap else ""
    return "\n".join([head, *items, "", tail]).strip()


def vs_partnerships_tables(year, bounds, cities_only, lang: str = "fi") -> dict:
    """The three class-vs-partnership tables, with translated headers."""
    vs = class_vs_partnerships(year, bounds, cities_only)
    year = vs["class_outside_partnerships"].attrs["year"]
    pop_col = t("size.col.population_year", lang, year=year)
    outside = vs["class_outside_partnerships"]
    a = pd.DataFrame({t("col.municipality", lang): outside[f"name_{lang}"],
                      t("col.region", lang): outside[f"region_{lang}"],
                      pop_col: outside["population"]})
    beyond = vs["members_outside_class"]
    b = pd.DataFrame({t("col.partnership", lang): [partnership_name(p, lang)
                                                   for p in beyond["partnership_id"]],
                      t("col.municipality", lang): beyond[f"name_{lang}"],
                      t("col.role", lang): [t(f"role.{r}", lang) for r in beyond["role"]],
                      pop_col: beyond["population"],
                      t("size.col.position", lang): [t(f"size.position.{p.replace(' ', '_')}", lang)
                                                     for p in beyond["position"]]})
    overlap = partnership_overlap(year, bounds, cities_only)
    c = pd.DataFrame({t("col.partnership", lang): [partnership_name(p, lang)
                                                   for p in overlap["partnership_id"]],
                      t("size.col.members", lang): overlap["members"],
                      t("size.col.in_class", lang): overlap["in_class"],
                      t("size.col.below", lang): overlap["below"],
                      t("size.col.above", lang): overlap["above"],
                      t("size.col.not_city", lang): overlap["other"]})
    fmt = {pop_col: lambda v: fmt_int(v, lang)}
    return {"class_outside_partnerships": (a, fmt), "partners_outside_class": (b, fmt),
            "partnership_overlap": (c, {})}


def vs_partnerships_text(year, bounds, cities_only, lang: str = "fi") -> str:
    vs = class_vs_partnerships(year, bounds, cities_only)
    outside = vs["class_outside_partnerships"]
    beyond = vs["members_outside_class"].drop_duplicates("code")
    overlap = partnership_overlap(year, bounds, cities_only)
    empty = overlap.loc[overlap["members"] == 0, "partnership_id"]
    lines = [t("size.vs.outside", lang, n=fmt_int(len(outside), lang),
               units=_unit(len(outside), cities_only, lang),
               names=names_list(outside[f"name_{lang}"], lang)),
             t("size.vs.beyond", lang, n=fmt_int(len(beyond), lang),
               names=names_list([f"{name} ({fmt_int(pop, lang)})" for name, pop in
                                 zip(beyond[f"name_{lang}"], beyond["population"])], lang))]
    if len(empty):
        lines.append(t("size.vs.no_members", lang, names=names_list(
            [partnership_name(p, lang) for p in empty], lang)))
    return "\n\n".join(lines)


def closing_text(check: pd.DataFrame, year, bounds, cities_only,
                 claim: Claim | None = None, lang: str = "fi") -> str:
    """The closing note: the claim's figures as the official data gives them."""
    claim = claim or default()
    primary = check[check["primary"]].set_index("quantity")
    alt = check[check["definition"] == "municipalities"].set_index("quantity")
    summary = claim_summary(check)
    verdict = {q: t("size.closing.ok" if q in summary["confirmed"] else "size.closing.not_ok", lang)
               for q in CLAIM_QUANTITIES}
    cities = members(check.attrs["year"], claim.bounds, cities_only=True)
    text = t("size.closing", lang, year=check.attrs["year"], bounds=class_label(*claim.bounds, lang),
             n=fmt_int(primary.at["count", "computed"], lang), count_verdict=verdict["count"],
             claimed_count=fmt_int(claim.count, lang),
             names=names_list(cities[f"name_{lang}"].sort_values(), lang),
             residents=fmt_int(primary.at["residents", "computed"], lang),
             claimed_residents=fmt_int(claim.residents, lang),
             residents_verdict=verdict["residents"],
             jobs=fmt_int(primary.at["jobs", "computed"], lang),
             jobs_year=int(primary.at["jobs", "data_year"]),
             claimed_jobs=fmt_int(claim.jobs, lang), jobs_verdict=verdict["jobs"],
             all_n=fmt_int(alt.at["count", "computed"], lang),
             all_residents=fmt_int(alt.at["residents", "computed"], lang),
             all_jobs=fmt_int(alt.at["jobs", "computed"], lang))
    rescued = [t("size.closing.alt_match", lang, figure=_quantity_label(q, "cities", lang),
                 definitions=names_list([_definition_label(d, claim, lang) for d in defs], lang))
               for q, defs in summary["matches"].items() if q in summary["not_confirmed"] and defs]
    unmatched = [_quantity_label(q, "cities", lang) for q, defs in summary["matches"].items()
                 if not defs and getattr(claim, q) is not None]
    if rescued:
        text += " " + " ".join(rescued)
    if unmatched:
        text += " " + t("size.verdict.unmatched", lang, figures=names_list(unmatched, lang))
    now = members(year, bounds, cities_only)
    return text + "\n\n" + t("size.closing.selected", lang, year=now.attrs["year"],
                             bounds=bounds_label(now.attrs["bounds"], lang),
                             n=fmt_int(len(now), lang), units=_unit(len(now), cities_only, lang),
                             residents=fmt_int(int(now["population"].sum()), lang))
