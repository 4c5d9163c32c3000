"""The declared schema of every table in the snapshot (pandera).

One declaration serves three uses: validating what ``analysis.data`` loads, typing the
columns when a CSV is read, and describing the fields in ``datapackage.json``.
"""

from __future__ import annotations

import pandera.pandas as pa

CODE = r"^\d{3}$"  # municipality codes are three-digit strings: "005", never 5
FIRST_YEAR, LAST_YEAR = 1900, 2100  # plausibility bounds, not the data's years


def code(description: str = "Municipality code (the snapshot's division), three digits", **kw) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(CODE), description=description, **kw)


def text(description: str, nullable: bool = False, **kw) -> pa.Column:
    return pa.Column(str, nullable=nullable, description=description, **kw)


def count(description: str) -> pa.Column:
    return pa.Column("int64", pa.Check.ge(0), description=description)


def year(description: str = "Year (population: 31 December of the year)") -> pa.Column:
    return pa.Column("int64", pa.Check.in_range(FIRST_YEAR, LAST_YEAR), description=description)


def is_iso_date(value, precise: bool = False) -> bool:
    """True for an ISO date as precise as stated (``2024``, ``2023-10``, ``2023-10-09``;
    with ``precise`` only the last), and a real one (not ``2023-02-30``)."""
    import datetime as dt
    import re

    text = str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}" if precise else r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return False
    try:
        dt.date.fromisoformat(text if len(text) == 10 else (text + "-01-01")[:10])
    except ValueError:
        return False
    return True


def date(description: str, nullable: bool = False, precise: bool = False) -> pa.Column:
    """A date as text: ISO, as precise as the source states it (or a full date)."""
    form = "YYYY-MM-DD" if precise else "YYYY, YYYY-MM or YYYY-MM-DD"
    return text(description, nullable=nullable, checks=pa.Check(
        lambda value: is_iso_date(value, precise), element_wise=True,
        error=f"the ISO date check ({form})"))


MUNICIPALITIES = pa.DataFrameSchema(
    {
        "code": code(unique=True),
        "name_fi": text("Name in Finnish"),
        "name_sv": text("Name in Swedish"),
        "name_en": text("Name in English"),
        "region_code": text("Region (maakunta) code"),
        "region_fi": text("Region name, Finnish"),
        "region_sv": text("Region name, Swedish"),
        "region_en": text("Region name, English"),
        "subregion_code": text("Sub-region (seutukunta) code"),
        "subregion_fi": text("Sub-region name, Finnish"),
        "subregion_sv": text("Sub-region name, Swedish"),
        "subregion_en": text("Sub-region name, English"),
        "urban_rural_code": text("Statistical urban–rural grouping (kuntaryhmitys) code"),
        "urban_rural_fi": text("Urban–rural grouping, Finnish"),
        "urban_rural_en": text("Urban–rural grouping, English"),
        "language_code": text("Language status code"),
        "language_en": text("Language status, English"),
        "wellbeing_county_code": text("Wellbeing services county code"),
        "wellbeing_county_fi": text("Wellbeing services county, Finnish"),
        "nuts3_code": text("NUTS 3 code"),
        "is_city": pa.Column(bool, description="Uses the title kaupunki (city); secondary source"),
        "city_title_adopted": text("Year-month the city title was adopted, where known "
                                   "to be recent", nullable=True),
        "land_area_km2": pa.Column(float, pa.Check.gt(0), description="Land area, km²"),
        "total_area_km2": pa.Column(float, pa.Check.gt(0), description="Total area incl. water, km²"),
        "lon": pa.Column(float, pa.Check.in_range(19.0, 32.0),
                         description="Longitude (WGS84) of the central locality"),
        "lat": pa.Column(float, pa.Check.in_range(59.5, 70.5),
                         description="Latitude (WGS84) of the central locality"),
        "location_source": text("Where lon/lat come from"),
    },
    strict=True, ordered=True, name="municipalities",
)

POPULATION = pa.DataFrameSchema(
    {
        "code": code(),
        "year": year(),
        "population": count("Population on 31 December"),
    },
    unique=["code", "year"], strict=True, ordered=True, name="population",
)

JOBS = pa.DataFrameSchema(
    {
        "code": code(),
        "year": year("Statistical year (the last week of the year)"),
        "jobs": count("Jobs located in the municipality: the employed aged 18–74 who work "
                      "there (Statistics Finland 115p; local workers + in-commuters)"),
    },
    unique=["code", "year"], strict=True, ordered=True, name="jobs",
)

COMMUTING = pa.DataFrameSchema(
    {
        "code": code("Workplace municipality (the snapshot's division)"),
        "year": year("Statistical year (the last week of the year)"),
        "local_workers": count("Employed persons working in their home municipality "
                               "(115p: asuinkunnassaan työssäkäyvät)"),
        "in_commuters": count("Employed persons commuting into the municipality from "
                              "elsewhere (115p: alueelle pendelöivät)"),
    },
    unique=["code", "year"], strict=True, ordered=True, name="commuting",
)

MONTH = r"^\d{4}M(0[1-9]|1[0-2])$"

UNEMPLOYMENT = pa.DataFrameSchema(
    {
        "code": code(),
        "period": text("Month as the source gives it (2007M01)",
                       checks=pa.Check.str_matches(MONTH)),
        "year": year("Year of the month"),
        "month": pa.Column("int64", pa.Check.in_range(1, 12), description="Month (1–12)"),
        "value": pa.Column(float, pa.Check.in_range(0, 100), nullable=True,
                           description="Unemployed job seekers as a share of the labour force "
                           "at the end of the month, % (12r5 TYOTOSUUS; the labour force of "
                           "about two years earlier; not the Labour Force Survey's rate)"),
        "missing_reason": text("Why the value is missing (the source's marker explained)",
                               nullable=True),
    },
    checks=[pa.Check(lambda df: df["value"].notna() != df["missing_reason"].notna(),
                     element_wise=False, name="a value or a reason for its absence, not both"),
            pa.Check(lambda df: df["period"] == df["year"].astype(str) + "M"
                     + df["month"].astype(str).str.zfill(2), element_wise=False,
                     name="period = year and month")],
    unique=["code", "period"], strict=True, ordered=True, name="unemployment",
)

SOURCES = pa.DataFrameSchema(
    {
        "source_id": text("Identifier of the source document", unique=True),
        "file": text("File name of the document in shared/sources"),
        "title_fi": text("Title, Finnish"),
        "title_en": text("Title, English (this project's translation)"),
        "title_sv": text("Title, Swedish (this project's translation)"),
        "publisher": text("Publisher"),
        "short_fi": text("Publisher's short name for source lines, Finnish"),
        "short_en": text("Publisher's short name for source lines, English"),
        "short_sv": text("Publisher's short name for source lines, Swedish"),
        "date": date("Date the document speaks of (ISO, as precise as stated)"),
        "language": text("Language of the document"),
    },
    strict=True, ordered=True, name="sources",
)

PARTNERSHIP_KINDS = ["state_partnership", "city_network", "programme"]
ROLES = ["host", "member", "invited"]

PARTNERSHIPS = pa.DataFrameSchema(
    {
        "partnership_id": text("Stable identifier", unique=True,
                               checks=pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
        "name_fi": text("Name in Finnish"),
        "name_en": text("Name in English"),
        "name_sv": text("Name in Swedish (this project's translation)"),
        "short_fi": text("Short name for every report, figure and export, Finnish"),
        "short_en": text("Short name for every report, figure and export, English"),
        "short_sv": text("Short name for every report, figure and export, Swedish (this project's)"),
        "abbr_fi": text("Abbreviation for crowded figure axes, Finnish"),
        "abbr_en": text("Abbreviation for crowded figure axes, English"),
        "abbr_sv": text("Abbreviation for crowded figure axes, Swedish"),
        "kind": text("state_partnership, city_network or programme",
                     checks=pa.Check.isin(PARTNERSHIP_KINDS)),
        "host_code": pa.Column(str, pa.Check.str_matches(CODE), nullable=True,
                               description="Host city, where the source names one"),
        "date_stated": date("Date the source gives (ISO, as precise as stated)", nullable=True),
        "date_note": text("What the date refers to", nullable=True),
        "source_id": text("Source document"),
        "description_fi": text("Short description (this project's paraphrase), Finnish"),
        "description_en": text("Short description (this project's paraphrase), English"),
        "description_sv": text("Short description (this project's paraphrase), Swedish"),
    },
    strict=True, ordered=True, name="partnerships",
)

MEMBERSHIPS = pa.DataFrameSchema(
    {
        "partnership_id": text("Partnership"),
        "code": code(),
        "role": text("host, member or invited", checks=pa.Check.isin(ROLES)),
        "status": text("Status as the source gives it"),
        "status_date": date("Date of the status, where stated", nullable=True),
        "source_id": text("Source document"),
        "evidence": text("The word form naming the city in the source document"),
        "source_lines": text("Line range of the document where the partnership and the city "
                             "are named together (checked by the build against the document)",
                             checks=pa.Check.str_matches(r"^\d+(-\d+)?$")),
    },
    unique=["partnership_id", "code"], strict=True, ordered=True, name="memberships",
)

PERIOD = r"^\d{4}(M(0[1-9]|1[0-2]))?$"  # a year "2025" or a month "2026M06"


def indicator_columns() -> dict:
    """The columns shared by the municipal and the whole-country indicator tables."""
    from analysis.data.catalogue import INDICATORS

    return {
        "indicator": text("Indicator name (see analysis.data.catalogue.INDICATORS)",
                          checks=pa.Check.isin(sorted(INDICATORS))),
        "period": text("Statistical period as the source gives it: a year, or a month "
                       "(2026M06)", checks=pa.Check.str_matches(PERIOD)),
        "year": year("Year of the period (for per-resident rates: the population of this "
                     "year)"),
        "value": pa.Column(float, nullable=True,
                           description="Value; empty where the source gives none"),
        "unit": text("Unit of the value (%, years, persons, EUR)"),
        "source_table": text("Statistics Finland table id (StatFin PxWeb)"),
        "missing_reason": text("Why the value is missing (the source's marker explained)",
                               nullable=True),
    }


INDICATORS = pa.DataFrameSchema(
    {"code": code(), **indicator_columns()},
    checks=pa.Check(lambda df: df["value"].notna() != df["missing_reason"].notna(),
                    element_wise=False, name="a value or a reason for its absence, not both"),
    unique=["code", "indicator", "period"], strict=True, ordered=True, name="indicators",
)

COUNTRY_INDICATORS = pa.DataFrameSchema(
    indicator_columns(),
    unique=["indicator", "period"], strict=True, ordered=True, name="country_indicators",
)

MERGERS = pa.DataFrameSchema(
    {
        "code": code("Code of the municipality that was merged (abolished)", unique=True),
        "name": text("Its Finnish name"),
        "successor": code("Code of the municipality it was merged into"),
        "date": date("Date the merger took effect (ISO)", precise=True),
    },
    strict=True, ordered=True, name="mergers",
)

CLAIM_KINDS = ["class_totals", "trend"]

CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": text("Identifier of the claim",
                         checks=pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$")),
        "source_id": text("The document that makes the claim"),
        "kind": text("class_totals (figures of a size class) or trend",
                     checks=pa.Check.isin(CLAIM_KINDS)),
        "bounds": text("Class edges, comma-separated (lower included, upper excluded)",
                       nullable=True, checks=pa.Check.str_matches(r"^\d+(,\d+)+$")),
        "cities_only": pa.Column(bool, description="The claim speaks of cities only"),
        "definitions": text("Readings the check tries, comma-separated", nullable=True),
        "subject": text("The partnership the claim is about, where it names one",
                        nullable=True),
        "quantity": text("What is claimed (count, residents, jobs, or a trend's measure)"),
        "claimed": pa.Column("Int64", pa.Check.ge(0), nullable=True,
                             description="The figure claimed, where the claim gives one"),
        "approximate": pa.Column(bool, description="Confirmed when the data rounds to the "
                                 "claimed figure at its own precision"),
        "trend": text("The direction claimed, for a trend", nullable=True),
        "about_fi": text("This project's paraphrase of the claim, Finnish"),
        "about_en": text("This project's paraphrase of the claim, English"),
        "about_sv": text("This project's paraphrase of the claim, Swedish"),
    },
    unique=["claim_id", "quantity"], strict=True, ordered=True, name="claims",
)

SIMILARITY_MEASURES = pa.DataFrameSchema(
    {
        "code": code(),
        "measure": text("Measure of data/curated/similarity.yaml (see "
                        "analysis.analyses.similar.KNOWN)"),
        "value": pa.Column(float, nullable=True, description="The municipality's value (its "
                           "unit: %, EUR, residents, residents per km², jobs per resident, or "
                           "the urban–rural grouping's position 1 urban … 3 rural); empty "
                           "where the data hold none"),
        "period": text("The period of the value (a year, or a span of years for a change)"),
        "source_table": text("Where the value comes from: a table of this snapshot or a "
                             "Statistics Finland table id"),
        "weight": pa.Column(float, pa.Check.gt(0), description="The measure's weight in the "
                            "distance (data/curated/similarity.yaml)"),
        "score": pa.Column(float, description="The value transformed and standardised over "
                           "all municipalities (4 decimals); a missing value scored as the "
                           "median of all"),
        "imputed": pa.Column(bool, description="True where the value is missing and the "
                             "median of all municipalities was used"),
    },
    checks=pa.Check(lambda df: df["value"].isna() == df["imputed"], element_wise=False,
                    name="imputed exactly where the value is missing"),
    unique=["code", "measure"], strict=True, ordered=True, name="similarity_measures",
)

SIMILAR = pa.DataFrameSchema(
    {
        "code": code(),
        "rank": pa.Column("int64", pa.Check.ge(1), description="1 = the most similar"),
        "similar_code": code("A similar municipality (the snapshot's division)"),
        "distance": pa.Column(float, pa.Check.ge(0), description="Weighted Euclidean distance "
                              "over the standardised measures (similarity_measures.csv), "
                              "4 decimals"),
    },
    checks=pa.Check(lambda df: df["code"] != df["similar_code"], element_wise=False,
                    name="a municipality is not its own neighbour"),
    unique=["code", "rank"], strict=True, ordered=True, name="similar",
)

SCHEMAS = {
    "municipalities": MUNICIPALITIES,
    "population": POPULATION,
    "jobs": JOBS,
    "commuting": COMMUTING,
    "unemployment": UNEMPLOYMENT,
    "sources": SOURCES,
    "partnerships": PARTNERSHIPS,
    "memberships": MEMBERSHIPS,
    "indicators": INDICATORS,
    "country_indicators": COUNTRY_INDICATORS,
    "mergers": MERGERS,
    "claims": CLAIMS,
    "similarity_measures": SIMILARITY_MEASURES,
    "similar": SIMILAR,
}

PRIMARY_KEYS = {
    "municipalities": ["code"],
    "population": ["code", "year"],
    "jobs": ["code", "year"],
    "commuting": ["code", "year"],
    "unemployment": ["code", "period"],
    "sources": ["source_id"],
    "partnerships": ["partnership_id"],
    "memberships": ["partnership_id", "code"],
    "indicators": ["code", "indicator", "period"],
    "country_indicators": ["indicator", "period"],
    "mergers": ["code"],
    "claims": ["claim_id", "quantity"],
    "similarity_measures": ["code", "measure"],
    "similar": ["code", "rank"],
}

FOREIGN_KEYS = {
    # table: [(column, referenced table, referenced column)]
    "population": [("code", "municipalities", "code")],
    "jobs": [("code", "municipalities", "code")],
    "commuting": [("code", "municipalities", "code")],
    "unemployment": [("code", "municipalities", "code")],
    "indicators": [("code", "municipalities", "code")],
    "partnerships": [("host_code", "municipalities", "code"), ("source_id", "sources", "source_id")],
    "memberships": [("code", "municipalities", "code"),
                    ("partnership_id", "partnerships", "partnership_id"),
                    ("source_id", "sources", "source_id")],
    "claims": [("source_id", "sources", "source_id"),
               ("subject", "partnerships", "partnership_id")],
    "similarity_measures": [("code", "municipalities", "code")],
    "similar": [("code", "municipalities", "code"), ("similar_code", "municipalities", "code")],
}


def frictionless_type(column: pa.Column) -> str:
    """The Table Schema type name of a pandera column."""
    dtype = str(column.dtype)
    if dtype.startswith("int"):
        return "integer"
    if dtype.startswith("float"):
        return "number"
    if dtype == "bool":
        return "boolean"
    return "string"
