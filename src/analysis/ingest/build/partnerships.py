"""``sources.csv``, ``partnerships.csv`` and ``memberships.csv`` from the curated
``data/curated/partnerships.yaml``.

The file is read strictly (a YAML syntax error, a tab in the indentation or a key given
twice is one line naming the file and line), its shape is checked (every key a table
needs), and members and hosts are named as the rest of the tool names municipalities:
Finnish, Swedish or English name, or code (``Vasa``, ``"905"``). Each membership is
checked against its source document wherever the documents are at hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import yamlio
from analysis.core.errors import ParameterError
from analysis.data.evidence import check_evidence, line_range
from analysis.data.names import NameIndex
from analysis.ingest.build.common import BuildError, BuildLog

FILE = "partnerships.yaml"
SOURCE_KEYS = ("source_id", "file", "title_fi", "title_en", "title_sv", "publisher", "short_fi",
               "short_en", "short_sv", "date", "language")
PARTNERSHIP_KEYS = ("partnership_id", "name_fi", "name_en", "name_sv", "short_fi", "short_en",
                    "short_sv", "abbr_fi", "abbr_en", "abbr_sv", "kind", "source_id",
                    "source_lines", "named_in_source", "description_fi", "description_en",
                    "description_sv", "members")
LANGS = ("fi", "en", "sv")  # the columns' order in partnerships.csv and sources.csv
MEMBER_KEYS = ("name", "role", "status", "evidence")


def _require(item, keys, where: str) -> None:
    if not isinstance(item, dict):
        raise BuildError(f"{where}: expected a mapping of {', '.join(keys)}, found "
                         f"{type(item).__name__}")
    missing = [k for k in keys if k not in item]
    if missing:
        raise BuildError(f"{where}: lacks {', '.join(missing)}")


def read_spec(path: Path) -> dict:
    """The curated file, read strictly and checked for the keys the tables need."""
    if not path.exists():
        raise BuildError(f"{path}: curated partnership file missing")
    spec = yamlio.load_file(path)
    _require(spec, ("sources", "partnerships"), str(path))
    for kind, keys, items in (("source", SOURCE_KEYS, spec["sources"]),
                              ("partnership", PARTNERSHIP_KEYS, spec["partnerships"])):
        if not isinstance(items, list):
            raise BuildError(f"{path}: {kind}s must be a list")
        for number, item in enumerate(items, start=1):
            name = item.get(f"{kind}_id", f"#{number}") if isinstance(item, dict) else f"#{number}"
            _require(item, keys, f"{path}: {kind} {name}")
    for item in spec["partnerships"]:
        pid = item["partnership_id"]
        line_range(item["source_lines"], f"{path}: {pid}: ")
        if not isinstance(item["members"], list):
            raise BuildError(f"{path}: {pid}: members must be a list (empty where the source "
                             "names none)")
        for number, member in enumerate(item["members"], start=1):
            _require(member, MEMBER_KEYS, f"{path}: {pid}: member #{number}")
    return spec


def build_partnerships(curated: Path, names: NameIndex, log: BuildLog,
                       sources_dir: Path | None = None):
    """Turn the curated YAML into three tables, resolving names (and checking evidence)."""
    path = curated / FILE
    spec = read_spec(path)
    sources = pd.DataFrame(spec["sources"])[list(SOURCE_KEYS)]
    known_sources = set(sources["source_id"])
    dated = {str(s["source_id"]): str(s["date"]) for s in spec["sources"]}

    def code_of(name, where: str, source_id: str) -> str:
        try:
            muni = names.resolve(name)
        except ParameterError as exc:
            raise BuildError(f"{path}: {where}: {exc} (members are named by a Finnish, Swedish "
                             "or English name, or a three-digit code)") from None
        if muni.former is not None:  # a municipality merged away: its successor, said so
            old, _successor, merged_on = names.former[muni.former]
            document = dated.get(source_id, "")
            if document > merged_on:  # ISO text, as precise as stated: "2023-10" > "2021-01-01"
                raise BuildError(
                    f"{path}: {where}: {name!r} is {old} ({muni.former}), merged into "
                    f"{muni.name_fi} ({muni.code}) on {merged_on}, before the document "
                    f"{source_id} ({document}) was written; name the municipality it names")
            log.add("memberships", f"{where}: {name!r} is {old} ({muni.former}), merged into "
                                   f"{muni.name_fi} ({muni.code}) on {merged_on}; recorded as "
                                   f"{muni.name_fi} ({muni.code})")
        return muni.code

    partnership_rows, membership_rows = [], []
    for item in spec["partnerships"]:
        pid = item["partnership_id"]
        if item["source_id"] not in known_sources:
            raise BuildError(f"{path}: partnership {pid} cites unknown source {item['source_id']}")
        for key in ("source_lines", "named_in_source"):
            if not item.get(key):
                raise BuildError(f"{path}: partnership {pid} lacks {key}")
        host = item.get("host")
        partnership_rows.append({
            "partnership_id": pid,
            **{f"{form}_{lang}": item[f"{form}_{lang}"] for form in ("name", "short", "abbr")
               for lang in LANGS},
            "kind": item["kind"],
            "host_code": code_of(host, f"{pid}: host", item["source_id"]) if host else None,
            "date_stated": item.get("date_stated"), "date_note": item.get("date_note"),
            "source_id": item["source_id"],
            **{f"description_{lang}": item[f"description_{lang}"] for lang in LANGS},
        })
        for member in item["members"]:
            membership_rows.append({
                "partnership_id": pid, "code": code_of(member["name"], pid, item["source_id"]),
                "role": member["role"], "status": member["status"],
                "status_date": member.get("status_date"), "source_id": item["source_id"],
                "evidence": member["evidence"], "source_lines": str(item["source_lines"]),
            })
        if not item["members"]:
            log.add("memberships", f"{pid}: the source names no members; the partnership is kept "
                                   "with zero memberships")
    if sources_dir is not None and Path(sources_dir).exists():
        check_evidence(spec, Path(sources_dir), path)
    # The same words whether or not the documents were at hand: the snapshot must not
    # depend on where it was built. `analysis data check --sources DIR` and the tests verify.
    log.add("memberships", "each membership names the document lines (source_lines) where the "
                           "partnership and the city are named together; the build checks them "
                           "against the documents wherever these are present")
    partnerships = pd.DataFrame(partnership_rows)
    memberships = pd.DataFrame(membership_rows,
                               columns=["partnership_id", "code", "role", "status", "status_date",
                                        "source_id", "evidence", "source_lines"])
    twice = memberships[memberships.duplicated(["partnership_id", "code"])]
    if len(twice):
        row = twice.iloc[0]
        raise BuildError(f"{path}: {row['partnership_id']}: municipality {row['code']} is listed "
                         "twice")
    memberships = memberships.sort_values(["partnership_id", "code"])
    return sources, partnerships, memberships.reset_index(drop=True)
