"""Read Statistics Finland's PxWeb API v1 responses (``json`` format) into tidy frames.

A response holds ``columns`` (each a dimension ``d``, the time ``t`` or a value ``c``),
``data`` rows of ``key`` (one value per ``d``/``t`` column, in column order) and ``values``
(one string per ``c`` column), and ``metadata`` (the table's own ``updated`` time and its
producer). Numbers come as strings; a missing value is one of the markers below, never an
empty cell. One response mixes area kinds, told apart by the code prefix (``SSS`` the whole
country, ``KU`` + three digits a municipality, ``MK``/``SK``/``HV``… larger areas).

The registry :data:`TABLES` says, for every table the project uses, which columns it must
have (a new, missing or renamed column is an error naming the table and the variable) and
:data:`INDICATORS` which of its values become the project's indicators.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Statistics Finland's markers for a value that is not given (its "symbols" explanation).
MISSING_MARKERS = {
    ".": "not applicable (logically impossible to give)",
    "..": "not available or too uncertain to publish",
    "...": "confidential (data protection)",
}
COUNTRY = "SSS"
# Codes of Statistics Finland's municipality classification that name no place: statistics
# that cannot place a person or a vacancy use them (the employment service's table 12r5
# has a row for 199). They are reported and left out, never taken for a new municipality.
PSEUDO_MUNICIPALITIES = {"199": "municipality unknown", "200": "abroad"}
_MUNICIPALITY = re.compile(r"KU(\d{3})")
_AREA_VARIABLE = re.compile(r"alue(_\d+_(\d{4})(\d{2})(\d{2}))?", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
PUBLISHERS = {
    "Tilastokeskus": "Statistics Finland (Tilastokeskus)",
    "KEHA-keskus": "KEHA Centre (KEHA-keskus), published in Statistics Finland's StatFin",
}


class PxWebFormatError(ValueError):
    """A response does not have the shape the project knows: table and variable named."""


@dataclass(frozen=True)
class Table:
    """A PxWeb table the project reads: its id, time variable and expected value columns."""

    table_id: str
    title: str
    time: str  # timeperiod_y (years) or timeperiod_m (months, "2026M06")
    values: tuple[str, ...]  # every ``c`` column, in order
    other_dims: tuple[str, ...] = ()  # ``d`` columns besides the area
    keep: dict[str, str] = field(default_factory=dict)  # dimension -> the value kept


TABLES = {t.table_id: t for t in [
    Table("11re", "Population 31 Dec by area, sex and year", "timeperiod_y",
          ("vaerak-vaesto",), other_dims=("sukupuoli_9_20180101",),
          keep={"sukupuoli_9_20180101": "SSS"}),
    Table("11ra", "Key figures on population: shares of age groups, mean age", "timeperiod_y",
          ("vaerak-vaesto", "vaesto_alle15_p", "vaesto_yli64_p", "vaesto_keski_ika")),
    Table("121w", "Vital statistics and migration: population changes", "timeperiod_y",
          ("ssaaty-vm01", "ssaaty-vm11", "ssaaty-luonvalisays", "ssaaty-vm43_tulo",
           "ssaaty-vm43_lahto", "ssaaty-vm43_netto", "ssaaty-vm44", "ssaaty-vm41",
           "ssaaty-vm41_nordic", "ssaaty-vm41_eu", "ssaaty-vm42", "ssaaty-vm42_nordic",
           "ssaaty-vm42_eu", "ssaaty-vm4142", "ssaaty-koknetmuutto", "ssaaty-vm2126",
           "ssaaty-vm3136", "ssaaty-valisays", "ssaaty-vakorjaus", "ssaaty-kokmuutos",
           "ssaaty-vaesto")),
    Table("12bs", "Population aged 15 or over by level of education", "timeperiod_y",
          ("vaesto_15_", "kaste0", "kaste0osuus", "kaste3T8", "kaste3T8osuus", "kaste3",
           "kaste3osuus", "kaste4", "kaste5T8", "kaste5T8osuus", "kaste5", "kaste6", "kaste7",
           "kaste8", "vktm")),
    Table("14ww", "Income level, income differences and low income in the household-dwelling "
          "population", "timeperiod_y",
          ("tjt-henkiloita", "hkturaha18_med", "tjt-ekvikturaha_med", "gini_kturaha",
           "rpt_henkilo", "rpt_aste", "pit_rpt_aste", "pit_rpt_henkilo", "rkoy5_henkilo",
           "rpt_aste_rkoy5", "tjt-lapsia", "rpt_lapsi", "rpt_l_aste", "pit_rpt_lapsi",
           "pit_rpt_l_aste", "pt1_henkiloita", "pt2_henkiloita", "pt3_henkiloita",
           "pt1_lapsia", "pt2_lapsia", "pt3_lapsia", "gini_bruttotu", "gini_tuotektu",
           "yht_vai", "sts_vai", "mts_vai")),
    Table("12r5", "Unemployed job seekers, services and open vacancies at the end of the "
          "month", "timeperiod_m",
          ("HAKIJALOPUSSA", "TYOTTOMATLOPUSSA", "TYOVOIMATK", "TYOTOSUUS", "TYOTTOMATMIEHET",
           "TYOTTOMATNAISET", "TYOTTOMAT20", "TYOTTOMAT25", "TYOTTOMAT50", "TYOTTOMATSAIR",
           "TYOTTOMATULK", "PITKAAIKAISTYOTTOMAT", "KASSASSA", "LOMAUTETTU", "LYHTYOVKO",
           "TYOLLISTETTYLOP", "TYOHARJOITTELULOP", "KOKEILULOP", "TVKOULUTUSLOP",
           "VALMENNUSLOP", "MTPPALVELUTLOP", "AVPAIKATLOPUSSA", "UUDETAVP")),
    # Employment statistics, jobs by area of workplace (employed persons working in the
    # area): rows for jobs.csv. Fetched by `analysis data refresh` with commuting, education
    # and age eliminated (totals); no real response has been seen yet (the request and the
    # codes are written from the API documentation, tested on a synthetic fixture).
    Table("115p", "Jobs by workplace municipality (employed persons by area of workplace)",
          "timeperiod_y", ("tyolliset",)),
]}


@dataclass(frozen=True)
class Indicator:
    """One indicator of the indicators table: where it comes from and how to read it.

    ``direction``: +1 where a higher value is commonly read as better, -1 where lower is,
    0 where neither reading is obvious (mean age, share 65+): reports do not colour those.
    """

    name: str
    table_id: str
    column: str
    unit: str
    label_fi: str
    label_en: str
    direction: int = 0


INDICATORS = {i.name: i for i in [
    Indicator("share_under_15", "11ra", "vaesto_alle15_p", "%", "Alle 15-vuotiaiden osuus",
              "Share aged under 15", 0),
    Indicator("share_65_plus", "11ra", "vaesto_yli64_p", "%", "65 vuotta täyttäneiden osuus",
              "Share aged 65 or over", 0),
    Indicator("mean_age", "11ra", "vaesto_keski_ika", "years", "Keski-ikä", "Mean age", 0),
    Indicator("births", "121w", "ssaaty-vm01", "persons", "Elävänä syntyneet", "Live births", 0),
    Indicator("deaths", "121w", "ssaaty-vm11", "persons", "Kuolleet", "Deaths", 0),
    Indicator("net_migration_internal", "121w", "ssaaty-vm43_netto", "persons",
              "Kuntien välinen nettomuutto", "Net migration between municipalities", 1),
    Indicator("net_immigration", "121w", "ssaaty-vm4142", "persons", "Nettomaahanmuutto",
              "Net immigration", 1),
    Indicator("total_change", "121w", "ssaaty-kokmuutos", "persons", "Kokonaismuutos",
              "Total population change", 1),
    Indicator("share_tertiary", "12bs", "kaste5T8osuus", "%",
              "Korkea-asteen tutkinnon suorittaneiden osuus (15 v täyttäneistä)",
              "Share with a tertiary degree (aged 15+)", 1),
    Indicator("median_income", "14ww", "tjt-ekvikturaha_med", "EUR",
              "Käytettävissä oleva rahatulo kulutusyksikköä kohden, mediaani",
              "Median disposable income per consumption unit", 1),
    Indicator("unemployment_rate", "12r5", "TYOTOSUUS", "%",
              "Työttömien työnhakijoiden osuus työvoimasta", "Unemployment rate (job seekers)",
              -1),
    Indicator("unemployed", "12r5", "TYOTTOMATLOPUSSA", "persons", "Työttömät työnhakijat",
              "Unemployed job seekers", 0),
    Indicator("job_seekers", "12r5", "HAKIJALOPUSSA", "persons", "Työnhakijat",
              "Job seekers", 0),
]}


@dataclass(frozen=True)
class Response:
    """One parsed response: its metadata and a long frame (area, period, variable, text)."""

    path: Path
    table_id: str
    label: str
    source: str
    updated: str
    division: int | None
    area_variable: str
    time_variable: str
    frame: pd.DataFrame  # area, period, <other dims>, variable, text

    @property
    def periods(self) -> list[str]:
        return sorted(self.frame["period"].unique().tolist())

    @property
    def publisher(self) -> str:
        head = self.source.split(",")[0].strip()
        return PUBLISHERS.get(head, head)


def is_known_value(text: str) -> bool:
    """A number as the API writes it, or one of Statistics Finland's missing-value markers."""
    return text in MISSING_MARKERS or bool(_NUMBER.fullmatch(text))


def table_id_of(path: Path) -> str:
    """``11re_2025.json`` -> ``11re`` (the file name starts with the table id)."""
    return Path(path).name.split("_")[0].split(".")[0]


def _fail(table: str, path: Path, message: str) -> PxWebFormatError:
    return PxWebFormatError(f"{path}: table {table}: {message}")


def read_response(path: Path, table_id: str | None = None) -> Response:
    """Parse one response file, checking its columns against the registry."""
    path = Path(path)
    table_id = table_id or table_id_of(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(table_id, path, f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not {"columns", "data", "metadata"} <= set(doc):
        raise _fail(table_id, path, "not a PxWeb json response (needs columns, data, metadata)")
    columns = doc["columns"]
    dims = [c["code"] for c in columns if c.get("type") in ("d", "t")]
    values = [c["code"] for c in columns if c.get("type") == "c"]
    area = [c for c in dims if _AREA_VARIABLE.fullmatch(c)]
    times = [c for c in dims if c.startswith("timeperiod_")]
    if len(area) != 1:
        raise _fail(table_id, path, f"no single area variable among {dims}")
    if len(times) != 1:
        raise _fail(table_id, path, f"no single time variable among {dims}")
    spec = TABLES.get(table_id)
    if spec is None:
        raise _fail(table_id, path, f"unknown table (known: {', '.join(TABLES)})")
    if times[0] != spec.time:
        raise _fail(table_id, path, f"time variable {times[0]!r}, expected {spec.time!r}")
    other = [d for d in dims if d not in (area[0], times[0])]
    if tuple(other) != spec.other_dims:
        raise _fail(table_id, path, f"dimensions {other} differ from the expected "
                                    f"{list(spec.other_dims)}")
    if tuple(values) != spec.values:
        new = [v for v in values if v not in spec.values]
        gone = [v for v in spec.values if v not in values]
        detail = "; ".join(filter(None, [f"new variable(s) {new}" if new else "",
                                         f"missing variable(s) {gone}" if gone else "",
                                         "columns in another order" if not new and not gone
                                         else ""]))
        raise _fail(table_id, path, detail)

    rows = []
    for number, row in enumerate(doc["data"]):
        key, vals = row.get("key"), row.get("values")
        if not isinstance(key, list) or not isinstance(vals, list) or len(key) != len(dims) \
                or len(vals) != len(values):
            raise _fail(table_id, path, f"data row {number}: key/values do not match the columns")
        keyed = dict(zip(dims, key))
        for code, text in zip(values, vals):
            if not isinstance(text, str):
                raise _fail(table_id, path, f"data row {number}, variable {code}: "
                                            f"value {text!r} is not a string")
            if not is_known_value(text):
                raise _fail(table_id, path, f"data row {number} ({keyed[area[0]]}), variable "
                                            f"{code}: unknown value or missing-value marker "
                                            f"{text!r}")
            rows.append({**keyed, "variable": code, "text": text})
    frame = pd.DataFrame(rows, columns=dims + ["variable", "text"]).rename(
        columns={area[0]: "area", times[0]: "period"})
    for dim, kept in spec.keep.items():
        frame = frame[frame[dim] == kept].drop(columns=dim)
    meta = doc["metadata"][0] if doc["metadata"] else {}
    match = _AREA_VARIABLE.fullmatch(area[0])
    division = int(match.group(2)) if match and match.group(2) else None
    updated = str(meta.get("updated", ""))
    updated = re.sub(r"T(\d\d)\.(\d\d)\.(\d\d)", r"T\1:\2:\3", updated)  # 05.00.00 -> 05:00:00
    return Response(path=path, table_id=table_id, label=str(meta.get("label", "")),
                    source=str(meta.get("source", "")), updated=updated, division=division,
                    area_variable=area[0], time_variable=times[0],
                    frame=frame.reset_index(drop=True))


def split_areas(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{'country': rows of SSS, 'municipality': rows of KU### (with ``code``), 'other': rest}."""
    code = frame["area"].str.extract(_MUNICIPALITY.pattern.join("^$"), expand=False)
    municipal = code.notna()
    return {"country": frame[frame["area"] == COUNTRY].copy(),
            "municipality": frame[municipal].assign(code=code[municipal]),
            "other": frame[~municipal & (frame["area"] != COUNTRY)].copy()}


def numeric(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values as float with NaN for markers, the marker's reason or None)."""
    reason = text.map(MISSING_MARKERS)
    value = pd.to_numeric(text.where(reason.isna()), errors="raise")
    return value, reason.where(reason.notna(), None)


def period_year(period: str) -> int:
    """'2025' -> 2025, '2026M06' -> 2026."""
    return int(str(period)[:4])
