"""``similarity_measures.csv`` and ``similar.csv``: every municipality's values and
standardised scores on the measures of ``data/curated/similarity.yaml``, and its nearest
neighbours by the weighted distance over them (:mod:`analysis.analyses.similar` computes,
from the tables this build has just made, never from the old ``data/``).

The measures depend on the municipalities, population, indicators, jobs, commuting and
unemployment tables, so these two are built last. What was used (each measure's period,
source, weight and transform, how many values were imputed, the standardisation, the
number of neighbours, the tie-break) is written into ``datapackage.json``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.analyses import similar
from analysis.core import yamlio
from analysis.ingest.build.common import BuildError, BuildLog

MEASURES_TABLE, SIMILAR_TABLE = "similarity_measures", "similar"


def build_similar(tables: dict[str, pd.DataFrame], curated: Path, key_period: str,
                  log: BuildLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(similarity_measures, similar) from the tables being built."""
    try:
        config = similar.read_config(curated)
        measures, nearest = similar.similarity_tables(tables, config, key_period)
    except (similar.SimilarityConfigError, yamlio.YamlError) as exc:
        raise BuildError(str(exc)) from None
    described = []
    for spec in config.measures:
        rows = measures[measures["measure"] == spec.name]
        imputed = rows.loc[rows["imputed"], "code"].tolist()
        described.append({
            "measure": spec.name, "weight": spec.weight, "transform": spec.transform,
            "period": rows["period"].iloc[0], "source_table": rows["source_table"].iloc[0],
            "imputed": imputed, **({"order": list(spec.order)} if spec.order else {})})
        if imputed:
            log.add(MEASURES_TABLE, f"{spec.name}: no value for {len(imputed)} municipalit"
                    f"{'y' if len(imputed) == 1 else 'ies'} ({', '.join(imputed)}): the median "
                    "of all municipalities used instead (imputed = True)")
    method = {"config": f"curated/{similar.CONFIG_FILE}", "standardise": config.standardise,
              "missing": "median", "neighbours": config.neighbours, "tie_break": "code",
              "distance": "sqrt(sum of weight * (score difference)^2) over the measures, "
                          f"from the scores as written ({similar.DIGITS} decimals)",
              "measures": described}
    log.notes[MEASURES_TABLE] = {"method": method}
    log.notes[SIMILAR_TABLE] = {"method": method}
    log.add(MEASURES_TABLE, f"{len(config.measures)} measures of {similar.CONFIG_FILE}, "
            f"standardised ({config.standardise}) over {measures['code'].nunique()} "
            "municipalities")
    log.add(SIMILAR_TABLE, f"the {config.neighbours} nearest of every municipality by the "
            f"weighted distance over {len(config.measures)} standardised measures "
            f"({similar.CONFIG_FILE}); equal distances: the lower code first")
    return measures, nearest
