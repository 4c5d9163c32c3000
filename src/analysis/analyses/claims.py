"""Published claims checked against the data: the curated claims
(``data/curated/claims.yaml``, built into ``claims.csv``) as :class:`Claim` objects, and
the check of a size-class claim under every definition its author might have meant.

    claim = load("growth-cities-size")
    check = claim_check(claim)       # claimed vs computed, per definition and figure
    claim_summary(check)             # confirmed, not confirmed, reproduced by

A new claim is a new entry in the curated file, not new code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import data
from analysis.analyses.sizeclass import members
from analysis.core.errors import ParameterError
from analysis.data import memo
from analysis.data.checks import check_year

CLAIM_QUANTITIES = ("count", "residents", "jobs")
DEFINITIONS = ("cities", "municipalities", "subregions", "partnership")


@dataclass(frozen=True)
class Claim:
    """A published statement about a size class (kind ``class_totals``) or a trend.

    ``figures``: quantity -> the figure claimed (None where only a direction is claimed);
    ``approximate``: the quantities confirmed when the computed figure rounds to the claimed
    one at the claim's own precision (:func:`rounds_to`); the others must match. ``year``
    (a property) is the population year the author could have used, from the document's
    date.
    """

    claim_id: str
    source_id: str
    kind: str
    bounds: tuple[int, ...] | None
    cities_only: bool
    definitions: tuple[str, ...]
    figures: dict
    approximate: tuple[str, ...]
    subject: str | None = None
    trends: dict | None = None

    @property
    def count(self) -> int | None:
        return self.figures.get("count")

    @property
    def residents(self) -> int | None:
        return self.figures.get("residents")

    @property
    def jobs(self) -> int | None:
        return self.figures.get("jobs")

    @property
    def source_date(self) -> str:
        sources = data.sources().set_index("source_id")
        return str(sources.at[self.source_id, "date"])

    @property
    def year(self) -> int:
        return year_available_at(self.source_date)


def _claim(rows: pd.DataFrame) -> Claim:
    first = rows.iloc[0]
    bounds = tuple(int(b) for b in first["bounds"].split(",")) if pd.notna(first["bounds"]) \
        else None
    definitions = tuple(first["definitions"].split(",")) if pd.notna(first["definitions"]) else ()
    return Claim(
        claim_id=first["claim_id"], source_id=first["source_id"], kind=first["kind"],
        bounds=bounds, cities_only=bool(first["cities_only"]), definitions=definitions,
        figures={r.quantity: (None if pd.isna(r.claimed) else int(r.claimed))
                 for r in rows.itertuples()},
        approximate=tuple(r.quantity for r in rows.itertuples() if r.approximate),
        subject=None if pd.isna(first["subject"]) else first["subject"],
        trends={r.quantity: r.trend for r in rows.itertuples() if pd.notna(r.trend)} or None)


def claim_ids(kind: str | None = None) -> list[str]:
    """The claims the data holds (of one ``kind``), in the curated file's order."""
    frame = data.claims()
    if kind is not None:
        frame = frame[frame["kind"] == kind]
    return list(dict.fromkeys(frame["claim_id"]))


def load(claim_id: str) -> Claim:
    """The claim ``claim_id`` (:class:`ParameterError` naming the known ids otherwise)."""
    frame = data.claims()
    rows = frame[frame["claim_id"] == claim_id]
    if rows.empty:
        raise ParameterError(f"unknown claim {claim_id!r}; claims: {', '.join(claim_ids())}")
    return _claim(rows)


def default() -> Claim:
    """The first size-class claim of the curated file (the growth-cities release's)."""
    ids = claim_ids("class_totals")
    if not ids:
        raise ParameterError("the data holds no size-class claim (data/curated/claims.yaml)")
    return load(ids[0])


# Statistics Finland publishes the final population of 31 December in the spring (by the
# end of April) of the following year: a document dated in May–December of year Y could
# use Y−1, one dated January–April only Y−2.
POPULATION_PUBLISHED_MONTH = 4


def year_available_at(date: str) -> int:
    """The latest population year published by ``date`` ("2023-10" -> 2022)."""
    year_text, _, month_text = str(date).partition("-")
    month = int(month_text[:2]) if month_text else 12
    latest = int(year_text) - 1 if month > POPULATION_PUBLISHED_MONTH else int(year_text) - 2
    held = [y for y in data.population()["year"].unique() if y <= latest]
    return int(max(held)) if held else latest


def jobs_year_available_at(date: str, population_year: int | None = None) -> int:
    """The latest jobs year published by ``date`` ("2023-10" -> 2021): the latest year held
    in the jobs table that a source of it (table 115p, datapackage.json) updated on or
    before ``date`` holds, and not after ``population_year`` where one is given. The
    earliest jobs year held when no source was out by then."""
    from analysis.data.provenance import resource

    held = sorted(int(y) for y in data.jobs()["year"].unique())
    published = set()
    for source in resource("jobs")["sources"]:
        updated = str(source.get("updated") or "")
        if source.get("table_id") == "115p" and updated and updated[:len(date)] <= date:
            published |= {int(p) for p in source["periods"]}
    fits = [y for y in held if y in published
            and (population_year is None or y <= population_year)]
    return fits[-1] if fits else held[0]


def significant_digits(value: int) -> int:
    """Digits a round figure states: 1 100 000 -> 2, 500 000 -> 1, 16 -> 2."""
    digits = str(abs(int(value))).rstrip("0")
    return max(len(digits), 1)


def precision_step(claimed: int) -> int:
    """The rounding step a round figure implies: 1 100 000 -> 100 000, 500 000 -> 100 000."""
    return 10 ** (len(str(abs(int(claimed)))) - significant_digits(claimed))


def rounds_to(computed: float, claimed: int) -> bool:
    """True when ``computed`` rounded to the precision of ``claimed`` equals it:
    1 095 256 rounds to 1 100 000 (two significant digits), 395 200 does not round to
    500 000 (one significant digit)."""
    step = precision_step(claimed)
    return int(math.floor(computed / step + 0.5)) * step == claimed


def _figures(codes, population_year: int, jobs_year: int) -> dict:
    pop = data.population()
    pop = pop[pop["year"] == population_year].set_index("code")["population"]
    jobs = data.jobs()
    jobs = jobs[jobs["year"] == jobs_year].set_index("code")["jobs"]
    codes = list(codes)
    return {"residents": int(pop[codes].sum()), "jobs": int(jobs[codes].sum()),
            "jobs_year": jobs_year}


def claim_definitions(claim: Claim | None = None, year=None) -> dict[str, list[str]]:
    """The municipality codes behind each definition an author might have meant.

    ``cities``: cities (title kaupunki) in the class; ``municipalities``: every
    municipality in the class; ``subregions``: every municipality of the sub-regions
    (seutukunta) of the class cities; ``partnership``: the members of the partnership the
    claim's source document is about (for the growth-cities release, the network)."""
    claim = claim or default()
    year = check_year(claim.year if year is None else year)
    cities = members(year, claim.bounds, cities_only=True)
    everyone = members(year, claim.bounds, cities_only=False)
    munis = data.municipalities()
    subregion_codes = munis.loc[munis["subregion_code"].isin(set(cities["subregion_code"])), "code"]
    pids = data.partnerships()
    pids = pids.loc[pids["source_id"] == claim.source_id, "partnership_id"]
    ms = data.memberships()
    partner_codes = ms.loc[ms["partnership_id"].isin(set(pids)), "code"].drop_duplicates()
    found = {"cities": list(cities["code"]), "municipalities": list(everyone["code"]),
             "subregions": list(subregion_codes), "partnership": list(partner_codes)}
    return {d: found[d] for d in claim.definitions if d in found}


def claim_check(claim: Claim | None = None, year=None) -> pd.DataFrame:
    """Claimed vs computed figures under each definition, one row per definition × figure.

    Columns: definition, primary (the claim's own definition), quantity, claimed,
    computed, difference (computed − claimed), difference_pct, data_year (the year of the
    data actually used: population year for counts and residents; for jobs the latest year
    published by the claim's date, :func:`jobs_year_available_at`), units (municipalities /
    sub-regions for the count), confirmed.
    """
    claim = claim or default()
    year = check_year(claim.year if year is None else year)
    jobs_year = jobs_year_available_at(claim.source_date, year)
    definitions = claim_definitions(claim, year)
    primary = "cities" if claim.cities_only else "municipalities"
    munis = data.municipalities().set_index("code")
    rows = []
    for definition, codes in definitions.items():
        figures = _figures(codes, year, jobs_year)
        if definition == "subregions":
            count, unit = int(munis.loc[codes, "subregion_code"].nunique()), "subregions"
        else:
            count, unit = len(codes), "municipalities"
        computed = {"count": count, "residents": figures["residents"], "jobs": figures["jobs"]}
        data_year = {"count": year, "residents": year, "jobs": figures["jobs_year"]}
        for quantity in CLAIM_QUANTITIES:
            claimed = claim.figures.get(quantity)
            value = computed[quantity]
            if claimed is None:
                confirmed = None
            elif quantity in claim.approximate:
                confirmed = rounds_to(value, claimed)
            else:
                confirmed = value == claimed
            rows.append({
                "definition": definition, "primary": definition == primary,
                "quantity": quantity, "claimed": claimed, "computed": value,
                "difference": None if claimed is None else value - claimed,
                "difference_pct": None if claimed is None else (value - claimed) / claimed,
                "data_year": data_year[quantity],
                "units": unit if quantity == "count" else quantity,
                "confirmed": confirmed})
    out = pd.DataFrame(rows)
    out.attrs.update(year=year, bounds=claim.bounds, source_id=claim.source_id,
                     claim_id=claim.claim_id, jobs_year=jobs_year)
    return out


def claim_summary(check: pd.DataFrame) -> dict:
    """What the check found: figures confirmed under the primary definition, and the
    definitions (if any) that reproduce every claimed figure."""
    primary = check[check["primary"]].set_index("quantity")
    confirmed = [q for q in CLAIM_QUANTITIES if q in primary.index and primary.at[q, "confirmed"]]
    refuted = [q for q in CLAIM_QUANTITIES if q in primary.index
               and primary.at[q, "confirmed"] is not None and not primary.at[q, "confirmed"]]
    stated = check[check["confirmed"].notna()]
    full = [d for d, g in stated.groupby("definition", sort=False) if bool(g["confirmed"].all())]
    matches = {q: list(stated.loc[(stated["quantity"] == q) & stated["confirmed"].astype(bool),
                                  "definition"]) for q in CLAIM_QUANTITIES}
    return {"confirmed": confirmed, "not_confirmed": refuted, "reproduced_by": full,
            "matches": matches}


# ====================================================================== trend claims
# KEHA-keskus (formerly the ministry) publishes a month's unemployment figures late in the
# following month: a document dated in month M could use the months up to M − 2.
UNEMPLOYMENT_PUBLISHED_AFTER = 2
PROXIES = ("jobs_grew_faster", "rate_below_class", "rate_fell_more")
"""What the data can check of an employment-rate claim, city by city: jobs by workplace
grew more than Finland's over the span; the unemployment rate (annual mean) was below the
size class's median at the end; it fell more (or rose less) than the class's median."""


def trend_ids() -> list[str]:
    return claim_ids("trend")


def months_available_at(date: str) -> str:
    """The latest month of the unemployment rate published by ``date`` ("2023-10" ->
    "2023M08")."""
    from analysis.core.text import month_period

    year_text, _, month_text = str(date).partition("-")
    month = int(month_text[:2]) if month_text else 12
    return month_period(int(year_text) * 12 + month - 1 - UNEMPLOYMENT_PUBLISHED_AFTER)


def trend_check(claim: Claim | None = None, span: int = 5) -> pd.DataFrame:
    """A trend claim checked member by member (see :func:`_trend_check`); once per process
    and data snapshot (a report states it three times: text, table, verdict)."""
    claim = claim or load(trend_ids()[0])
    return _trend_check(claim.claim_id, span)


@memo.remembered
def _trend_check(claim_id: str, span: int) -> pd.DataFrame:
    """A trend claim about a partnership's members (kind ``trend``), checked with what the
    data held at the claim's date, one row per member (index code):

    - ``jobs_start``, ``jobs_end``, ``jobs_change`` (share) over ``span`` years up to the
      latest jobs year then published; ``class_jobs_change`` (the median of the member's
      standard size class in the claim's population year) and ``finland_jobs_change``;
    - ``rate_start``, ``rate_end``: the annual mean unemployment rate (12 months, computed
      here) ``span`` years before and in the latest complete year then published;
      ``rate_change`` (percentage points); ``class_rate_end``, ``class_rate_change``;
    - the three proxies of :data:`PROXIES` (True/False), ``met`` (how many) and
      ``verdict``: ``consistent`` (all three), ``partly`` (one or two) or ``not_consistent``.

    ``attrs``: claim_id, subject, date, population year, jobs and rate years, the last
    month then published, ``several`` (the number of members the claim speaks of), the
    group verdict (``consistent`` when at least ``several`` members are), and the table
    that holds the employment rate itself (not in the snapshot).
    """
    from analysis.analyses import trends
    from analysis.data.catalogue import EMPLOYMENT_RATE_TABLE

    claim = load(claim_id)
    if claim.kind != "trend" or not claim.subject:
        raise ParameterError(f"claim {claim.claim_id!r} is not a trend claim about a partnership")
    year = claim.year
    jobs_end = jobs_year_available_at(claim.source_date, year)
    last_month = months_available_at(claim.source_date)
    annual = trends._annual_all()
    complete = [y for y in annual.index if f"{y}M12" <= last_month]
    rate_end = int(max(complete))
    jobs = trends._jobs_all()
    finland_jobs = jobs.sum(axis=1)
    ms = data.memberships()
    members = sorted(ms.loc[ms["partnership_id"] == claim.subject, "code"])
    rows = []
    for code in members:
        peers = trends.class_codes(code, year)
        jobs_change = jobs.loc[jobs_end, peers] / jobs.loc[jobs_end - span, peers] - 1
        rates = annual.loc[[rate_end - span, rate_end], peers]
        rate_change = rates.loc[rate_end] - rates.loc[rate_end - span]
        row = {"code": code, "class_size": len(peers),
               "jobs_start": int(jobs.at[jobs_end - span, code]),
               "jobs_end": int(jobs.at[jobs_end, code]), "jobs_change": jobs_change[code],
               "class_jobs_change": jobs_change.median(),
               "finland_jobs_change": finland_jobs[jobs_end] / finland_jobs[jobs_end - span] - 1,
               "rate_start": rates.at[rate_end - span, code], "rate_end": rates.at[rate_end, code],
               "rate_change": rate_change[code], "class_rate_end": rates.loc[rate_end].median(),
               "class_rate_change": rate_change.median()}
        row["jobs_grew_faster"] = bool(row["jobs_change"] > row["finland_jobs_change"])
        row["rate_below_class"] = bool(row["rate_end"] < row["class_rate_end"])
        row["rate_fell_more"] = bool(row["rate_change"] < row["class_rate_change"])
        row["met"] = sum(row[p] for p in PROXIES)
        row["verdict"] = ("consistent" if row["met"] == len(PROXIES)
                          else "partly" if row["met"] else "not_consistent")
        rows.append(row)
    out = pd.DataFrame(rows).set_index("code")
    several = next((v for k, v in claim.figures.items() if v is not None), None)
    n_consistent = int((out["verdict"] == "consistent").sum())
    out.attrs.update(
        claim_id=claim.claim_id, subject=claim.subject, source_id=claim.source_id,
        date=claim.source_date, year=year, span=span, jobs_start=jobs_end - span,
        jobs_end=jobs_end, rate_start=rate_end - span, rate_end=rate_end, last_month=last_month,
        several=several, n_consistent=n_consistent,
        n_partly=int((out["verdict"] == "partly").sum()),
        verdict="consistent" if several is not None and n_consistent >= several
        else "not_supported", employment_rate_table=EMPLOYMENT_RATE_TABLE)
    return out

