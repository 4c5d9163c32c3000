"""The catalogue of official tables: the one home of every fact about what the project
takes from Statistics Finland and how.

- :data:`TABLES`: every PxWeb table the snapshot uses: its id, title, the area and time
  variables, the value (content) codes a response must carry, the other dimensions with
  the values requested (their totals, or the one value the build keeps), and from which
  period a refresh starts when the snapshot holds none. The build's parser
  (:mod:`analysis.ingest.pxweb`) checks responses against it; the refresh
  (:mod:`analysis.ingest.refresh`) writes its requests from it.
- :data:`INDICATORS`: which value of which table becomes each indicator of
  ``indicators.csv``, with its unit and the direction in which it is commonly read
  (words for it are the presentation's: translation keys ``indicator.<name>``).
- the raw files the build reads besides the PxWeb responses (``data/raw/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ------------------------------------------------------------------ raw files in data/raw
KEY_TABLE = "municipalities_2025.csv"  # the municipality key table, as the route named it
CITIES = "cities_2023.csv"
AREAS = "area_km2.csv"
CENTRAL_LOCALITIES = "central_localities.csv"
POPULATION_11RE = "population_1972_2023_division2024.csv"
POPULATION_LAYER = "population_2024_division2025.csv"
POPULATION_THL = "population_2000_2022.csv"
JOBS_KEY_FIGURES = "jobs_2020.csv"  # jobs 2020 by the key figures: kept to reconcile with 115p
BOUNDARIES_TOPO = "geo/municipalities_2021_4500k.topo.json"
PXWEB_FOLDER = "pxweb"
# Longer series kept by others (data/raw/history): table 115p's two parts as PX-Web Excel
# exports, and table 12r5's unemployment rate as the R data file and its json transcription.
JOBS_LOCAL_WORKERS = "history/115p_2021_local_workers_by_workplace_1987-2021.xlsx"
JOBS_IN_COMMUTERS = "history/115p_2022_in_commuters_by_workplace_1987-2022.xlsx"
UNEMPLOYMENT_HISTORY = "history/12r5_unemployment_rate_2007M01-2025M01.json"
UNEMPLOYMENT_HISTORY_R = "history/statfin_tyonv_pxt_12r5_map.Rdata"


# ------------------------------------------------------------------ PxWeb tables
@dataclass(frozen=True)
class OfficialTable:
    """A StatFin PxWeb table: what a request asks and what a response must hold.

    ``area``: the area variable of requests (any ``alue_<n>_<YYYYMMDD>`` variable is
    accepted where the catalogue names one: the yearly division renames it); ``time``:
    ``timeperiod_y`` (years) or ``timeperiod_m`` (months, ``2026M06``); ``values``: every
    content code, i.e. the response's ``c`` columns, in order; ``fixed``: the other
    dimensions with the values requested (dimensions not named are eliminated: the API
    returns their total); ``keep``: dimension -> the one value the build keeps;
    ``since``: the first period a refresh asks for when ``data/raw`` holds none;
    ``recorded``: False while no real response of the table has been seen.

    ``variants``: other layouts a response of the same table may have: ``role="parts"``
    asks for a dimension's parts instead of its total (a refresh uses it when the table's
    metadata offers those values, else the table's own layout); ``role="former"`` is a
    layout of recorded files from before a renaming of the API's codes (read by the build,
    never requested).
    """

    table_id: str
    title: str
    area: str
    time: str
    values: tuple[str, ...]
    fixed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keep: dict[str, str] = field(default_factory=dict)
    since: str | None = None
    recorded: bool = True
    path: str = ""
    variants: tuple[OfficialTable, ...] = ()
    role: str = ""

    @property
    def other_dims(self) -> tuple[str, ...]:
        """The response's ``d`` columns besides area and time."""
        return tuple(code for code, _values in self.fixed)

    @property
    def url_path(self) -> str:
        return self.path or f"{self.table_id}.px"

    @property
    def layouts(self) -> tuple[OfficialTable, ...]:
        """Every layout a recorded response may have: the table's own first."""
        return (self, *self.variants)

    @property
    def parts(self) -> OfficialTable | None:
        """The layout asking for a dimension's parts (115p's commuting), if any."""
        return next((v for v in self.variants if v.role == "parts"), None)


UNEMPLOYMENT_RATE = "TYOTOSUUS"  # 12r5: unemployed job seekers, % of the labour force

# 115p's commuting dimension: its code in requests and responses, the value codes of its two
# parts (jobs = their sum) and the labels the Excel exports give them (Finnish, as exported).
COMMUTING = "Pendelöinti"
COMMUTING_PARTS = {"local_workers": "1", "in_commuters": "2"}
COMMUTING_LABELS = {"local_workers": "Asuinkunnassaan työssäkäyvät",
                    "in_commuters": "Alueelle pendelöivät"}
# The Excel exports' other breakdowns: every class is summed (jobs of ages 18–74).
EDUCATION_LABELS = ("Toinen aste tai erikoisammattikoulutusaste 3, 4",
                    "Alin korkea-aste tai alempi korkeakouluaste 5, 6",
                    "Ylempi korkeakouluaste tai tutkijakoulutusaste 7, 8",
                    "Ei perusasteen jälkeistä tutkintoa tai koulutusaste tuntematon")
AGE_LABELS = ("18 - 24", "25 - 34", "35 - 44", "45 - 54", "55 - 64", "65 - 74")
JOBS_TITLE = "Alueella työssäkäyvät (työpaikat)"  # how the exports' title row starts

TABLES: dict[str, OfficialTable] = {t.table_id: t for t in [
    OfficialTable("11re", "Population 31 Dec by area, sex and year", "alue_23_20260101",
                  "timeperiod_y", ("vaerak-vaesto",),
                  fixed=(("sukupuoli_9_20180101", ("SSS", "1", "2")),),
                  keep={"sukupuoli_9_20180101": "SSS"}),
    OfficialTable("11ra", "Key figures on population: shares of age groups, mean age",
                  "alue_23_20260101", "timeperiod_y",
                  ("vaerak-vaesto", "vaesto_alle15_p", "vaesto_yli64_p", "vaesto_keski_ika")),
    OfficialTable("121w", "Vital statistics and migration: population changes",
                  "alue_23_20260101", "timeperiod_y",
                  ("ssaaty-vm01", "ssaaty-vm11", "ssaaty-luonvalisays", "ssaaty-vm43_tulo",
                   "ssaaty-vm43_lahto", "ssaaty-vm43_netto", "ssaaty-vm44", "ssaaty-vm41",
                   "ssaaty-vm41_nordic", "ssaaty-vm41_eu", "ssaaty-vm42", "ssaaty-vm42_nordic",
                   "ssaaty-vm42_eu", "ssaaty-vm4142", "ssaaty-koknetmuutto", "ssaaty-vm2126",
                   "ssaaty-vm3136", "ssaaty-valisays", "ssaaty-vakorjaus", "ssaaty-kokmuutos",
                   "ssaaty-vaesto")),
    OfficialTable("12bs", "Population aged 15 or over by level of education",
                  "alue_23_20260101", "timeperiod_y",
                  ("vaesto_15_", "kaste0", "kaste0osuus", "kaste3T8", "kaste3T8osuus", "kaste3",
                   "kaste3osuus", "kaste4", "kaste5T8", "kaste5T8osuus", "kaste5", "kaste6",
                   "kaste7", "kaste8", "vktm")),
    OfficialTable("14ww", "Income level, income differences and low income in the "
                  "household-dwelling population", "alue_23_20250101", "timeperiod_y",
                  ("tjt-henkiloita", "hkturaha18_med", "tjt-ekvikturaha_med", "gini_kturaha",
                   "rpt_henkilo", "rpt_aste", "pit_rpt_aste", "pit_rpt_henkilo",
                   "rkoy5_henkilo", "rpt_aste_rkoy5", "tjt-lapsia", "rpt_lapsi", "rpt_l_aste",
                   "pit_rpt_lapsi", "pit_rpt_l_aste", "pt1_henkiloita", "pt2_henkiloita",
                   "pt3_henkiloita", "pt1_lapsia", "pt2_lapsia", "pt3_lapsia", "gini_bruttotu",
                   "gini_tuotektu", "yht_vai", "sts_vai", "mts_vai")),
    # KEHA-keskus' employment service statistics, published in StatFin. It carries KU codes
    # that name no place (KU199 "municipality unknown": PSEUDO_MUNICIPALITIES), kept in
    # the raw file and skipped by the division check and the build.
    OfficialTable("12r5", "Unemployed job seekers, services and open vacancies at the end "
                  "of the month", "Alue", "timeperiod_m",
                  ("HAKIJALOPUSSA", "TYOTTOMATLOPUSSA", "TYOVOIMATK", "TYOTOSUUS",
                   "TYOTTOMATMIEHET", "TYOTTOMATNAISET", "TYOTTOMAT20", "TYOTTOMAT25",
                   "TYOTTOMAT50", "TYOTTOMATSAIR", "TYOTTOMATULK", "PITKAAIKAISTYOTTOMAT",
                   "KASSASSA", "LOMAUTETTU", "LYHTYOVKO", "TYOLLISTETTYLOP",
                   "TYOHARJOITTELULOP", "KOKEILULOP", "TVKOULUTUSLOP", "VALMENNUSLOP",
                   "MTPPALVELUTLOP", "AVPAIKATLOPUSSA", "UUDETAVP"),
                  # The history kept as an R data file (data/raw/history): the area and month
                  # codes from before the June 2026 renaming, the unemployment rate only.
                  variants=(OfficialTable("12r5", "Unemployment rate at the end of the month "
                                          "(codes before June 2026)", "Alue", "Kuukausi",
                                          (UNEMPLOYMENT_RATE,), role="former"),)),
    # Employment statistics, jobs by area of workplace (employed persons working in the
    # area), "Alueella työssäkäyvät (työpaikat)": rows for jobs.csv and commuting.csv.
    # Education and age are eliminated (their totals); commuting is asked in its two parts
    # (working in the home municipality, commuting in) where the metadata offers them,
    # else as its total (jobs only). No real API response has been seen: the request and
    # the codes after the June 2026 renaming are written from the API's documentation and
    # tested on fixtures built from the 115p Excel exports; a renamed code stops the
    # refresh. `analysis data refresh --history` asks for every year the table offers.
    OfficialTable("115p", "Jobs by workplace municipality (employed persons by area of "
                  "workplace)", "alue_23_20260101", "timeperiod_y", ("tyolliset",),
                  since="2022", recorded=False,  # the Excel exports hold jobs to 2021
                  variants=(OfficialTable("115p", "Jobs by workplace municipality, working in "
                                          "the home municipality and commuting in",
                                          "alue_23_20260101", "timeperiod_y", ("tyolliset",),
                                          fixed=((COMMUTING, tuple(COMMUTING_PARTS.values())),),
                                          recorded=False, role="parts"),)),
]}


# ------------------------------------------------------------------ indicators
@dataclass(frozen=True)
class Indicator:
    """One indicator of ``indicators.csv``: the table and content code it comes from, its
    unit and its direction: +1 where a higher value is commonly read as better, -1 where
    lower is, 0 where neither reading is obvious (mean age, share 65+): reports do not
    colour those."""

    name: str
    table_id: str
    column: str
    unit: str
    direction: int = 0


INDICATORS: dict[str, Indicator] = {i.name: i for i in [
    Indicator("share_under_15", "11ra", "vaesto_alle15_p", "%", 0),
    Indicator("share_65_plus", "11ra", "vaesto_yli64_p", "%", 0),
    Indicator("mean_age", "11ra", "vaesto_keski_ika", "years", 0),
    Indicator("births", "121w", "ssaaty-vm01", "persons", 0),
    Indicator("deaths", "121w", "ssaaty-vm11", "persons", 0),
    Indicator("net_migration_internal", "121w", "ssaaty-vm43_netto", "persons", 1),
    Indicator("net_immigration", "121w", "ssaaty-vm4142", "persons", 1),
    Indicator("total_change", "121w", "ssaaty-kokmuutos", "persons", 1),
    Indicator("share_tertiary", "12bs", "kaste5T8osuus", "%", 1),
    Indicator("median_income", "14ww", "tjt-ekvikturaha_med", "EUR", 1),
    Indicator("unemployment_rate", "12r5", UNEMPLOYMENT_RATE, "%", -1),
    Indicator("unemployed", "12r5", "TYOTTOMATLOPUSSA", "persons", 0),
    Indicator("job_seekers", "12r5", "HAKIJALOPUSSA", "persons", 0),
]}

# Statistics Finland's employment rate by area (työllisyysaste: the employed as a share of
# the working-age population; employment statistics, table 115x, contents code
# tyollisyysaste). Not in the snapshot: reports name it where a claim speaks of it.
EMPLOYMENT_RATE_TABLE = "115x"

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
