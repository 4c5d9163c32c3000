"""``indicators.csv`` and ``country_indicators.csv``: the catalogue's indicators from the
raw PxWeb responses, tidy, with the source's reason wherever a value is missing."""

from __future__ import annotations

import pandas as pd

from analysis.data import catalogue
from analysis.ingest import pxweb
from analysis.ingest.build.common import (
    BuildError,
    BuildLog,
    Harmoniser,
    Inputs,
    check_division_codes,
)


def build_indicators(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy indicators table (municipalities) and the whole country's values."""
    by_table: dict[str, list] = {}
    for indicator in catalogue.INDICATORS.values():
        by_table.setdefault(indicator.table_id, []).append(indicator)
    municipal_rows, country_rows = [], []
    for table_id, indicators in sorted(by_table.items()):
        files = inputs.pxweb_files(table_id)
        if not files:
            raise BuildError(f"no raw PxWeb response for table {table_id} in {inputs.raw / 'pxweb'}")
        for path in files:
            response = pxweb.read_response(path)
            areas = pxweb.split_areas(response.frame)
            dropped_kinds = areas["other"]["area"].str.extract(r"^([A-Z]+)", expand=False)
            if len(dropped_kinds):
                counts = dropped_kinds.value_counts().sort_index()
                log.add("indicators", f"pxweb/{path.name}: kept municipalities (KU) and the whole "
                        "country (SSS); left out " + ", ".join(
                            f"{n // len(response.frame['variable'].unique())} {k}"
                            for k, n in counts.items()) + " rows of other area kinds")
            municipal = areas["municipality"]
            drop = check_division_codes(path, table_id, set(municipal["code"]), harmoniser,
                                         log)
            municipal = municipal[~municipal["code"].isin(drop)]
            for indicator in indicators:
                for kind, frame in (("municipality", municipal), ("country", areas["country"])):
                    rows = frame[frame["variable"] == indicator.column]
                    value, reason = pxweb.numeric(rows["text"])
                    out = pd.DataFrame({
                        "indicator": indicator.name, "period": rows["period"].astype(str),
                        "year": rows["period"].map(pxweb.period_year), "value": value,
                        "unit": indicator.unit, "source_table": table_id,
                        "missing_reason": reason, "updated": response.updated,
                        "file": path.name})
                    if kind == "municipality":
                        out.insert(0, "code", rows["code"].to_numpy())
                        municipal_rows.append(out)
                    else:
                        country_rows.append(out)
    keys = ["code", "indicator", "period"]
    indicators = (pd.concat(municipal_rows, ignore_index=True).sort_values(["updated", "file"])
                  .drop_duplicates(keys, keep="last").drop(columns=["updated", "file"])
                  .sort_values(keys).reset_index(drop=True))
    country = (pd.concat(country_rows, ignore_index=True).sort_values(["updated", "file"])
               .drop_duplicates(keys[1:], keep="last").drop(columns=["updated", "file"])
               .sort_values(keys[1:]).reset_index(drop=True))
    missing = indicators[indicators["value"].isna()]
    if len(missing):
        summary = missing.groupby(["indicator", "missing_reason"]).size()
        log.add("indicators", "values the source does not give, kept as missing with the "
                "source's reason: " + "; ".join(f"{ind} {n}× ({why})"
                                                for (ind, why), n in summary.items()))
    per = indicators.groupby("code").size()
    log.add("indicators", f"{len(catalogue.INDICATORS)} indicators from tables "
            f"{', '.join(sorted(by_table))}; {per.min()}–{per.max()} rows per municipality")
    return indicators, country
