"""``claims.csv`` from the curated ``data/curated/claims.yaml``: every published claim the
reports check, one row per claimed figure (source, kind, the class and scope it speaks of,
the figure and whether it is approximate)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.analyses.claims import CLAIM_QUANTITIES, DEFINITIONS
from analysis.core import yamlio
from analysis.core.paths import CLAIMS_FILE
from analysis.ingest.build.common import BuildError, BuildLog

COLUMNS = ["claim_id", "source_id", "kind", "bounds", "cities_only", "definitions", "subject",
           "quantity", "claimed", "approximate", "trend", "about_fi", "about_en", "about_sv"]
CLAIM_KEYS = ("claim_id", "source_id", "kind", "figures", "about_fi", "about_en", "about_sv")


def _flag(item: dict, key: str, where: str) -> None:
    """A yes/no field must be true or false: ``approximate: maybe`` is not read as true."""
    if key in item and not isinstance(item[key], bool):
        raise BuildError(f"{where}: {key} is {item[key]!r}; write true or false")


def build_claims(curated: Path, sources: pd.DataFrame, log: BuildLog,
                 partnerships: pd.DataFrame | None = None) -> pd.DataFrame:
    path = curated / CLAIMS_FILE
    if not path.exists():
        raise BuildError(f"{path}: curated claims file missing")
    spec = yamlio.load_file(path)
    if not isinstance(spec, dict) or not isinstance(spec.get("claims"), list):
        raise BuildError(f"{path}: expected a list under 'claims'")
    known = set(sources["source_id"])
    rows = []
    for number, item in enumerate(spec["claims"], start=1):
        where = f"{path}: claim #{number}"
        if not isinstance(item, dict):
            raise BuildError(f"{where}: expected a mapping")
        missing = [k for k in CLAIM_KEYS if k not in item]
        if missing:
            raise BuildError(f"{where}: lacks {', '.join(missing)}")
        where = f"{path}: claim {item['claim_id']}"
        if item["source_id"] not in known:
            raise BuildError(f"{where}: unknown source {item['source_id']!r} (sources are "
                             "declared in partnerships.yaml)")
        bounds = item.get("bounds")
        if bounds is not None and (not isinstance(bounds, list) or len(bounds) < 2 or not all(
                isinstance(b, int) and b >= 0 for b in bounds) or sorted(set(bounds)) != bounds):
            raise BuildError(f"{where}: bounds must be increasing whole numbers, e.g. "
                             "[40000, 100000]")
        if not isinstance(item["figures"], dict) or not item["figures"]:
            raise BuildError(f"{where}: figures must map each quantity to what is claimed")
        # What the check knows: a word it does not know would be left out without a word.
        definitions = item.get("definitions") or []
        unknown = [d for d in definitions if d not in DEFINITIONS] if isinstance(
            definitions, list) else [definitions]
        if unknown:
            raise BuildError(f"{where}: unknown definition {unknown[0]!r}; the check knows "
                             f"{', '.join(DEFINITIONS)}")
        _flag(item, "cities_only", where)
        if item["kind"] == "trend":
            known_subjects = set(partnerships["partnership_id"]) if partnerships is not None else set()
            if item.get("subject") not in known_subjects:
                raise BuildError(f"{where}: a trend claim needs a subject, the partnership it "
                                 f"speaks of (known: {', '.join(sorted(known_subjects))})")
            if not any(isinstance(f, dict) and f.get("trend") for f in item["figures"].values()):
                raise BuildError(f"{where}: a trend claim needs a figure with the trend claimed")
        for quantity, figure in item["figures"].items():
            if item["kind"] == "class_totals" and quantity not in CLAIM_QUANTITIES:
                raise BuildError(f"{where}: unknown quantity {quantity!r}; a class_totals claim "
                                 f"gives {', '.join(CLAIM_QUANTITIES)}")
            figure = figure if isinstance(figure, dict) else {"claimed": figure}
            _flag(figure, "approximate", f"{where}, {quantity}")
            claimed = figure.get("claimed")
            if claimed is not None and (isinstance(claimed, bool) or not isinstance(claimed, int)):
                raise BuildError(f"{where}, {quantity}: claimed {claimed!r} is not a whole number")
            rows.append({
                "claim_id": item["claim_id"], "source_id": item["source_id"],
                "kind": item["kind"],
                "bounds": ",".join(map(str, bounds)) if bounds else None,
                "cities_only": bool(item.get("cities_only", False)),
                "definitions": ",".join(item.get("definitions") or []) or None,
                "subject": item.get("subject"), "quantity": str(quantity),
                "claimed": claimed, "approximate": bool(figure.get("approximate", False)),
                "trend": figure.get("trend"),
                "about_fi": item["about_fi"], "about_en": item["about_en"],
                "about_sv": item["about_sv"],
            })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["claimed"] = frame["claimed"].astype("Int64")
    log.add("claims", f"{frame['claim_id'].nunique()} claim(s), {len(frame)} claimed figure(s) "
                      f"from data/curated/{CLAIMS_FILE}")
    return frame
