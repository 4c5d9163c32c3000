"""Every membership traced to its source document: within the partnership's
``source_lines`` of the document, the partnership's ``named_in_source`` and each member's
``evidence`` (the word form naming the city there) must both occur.

The build checks the curated facts wherever the documents are at hand, and
``analysis data check --sources DIR`` checks the built ``memberships.csv`` the same way.
The documents' sentences are never copied into the project: only line numbers and names.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.core.paths import CURATED_DIR, TABLE_FILES
from analysis.data.validation import DataValidationError

_LINES = re.compile(r"\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*")


def line_range(text, where: str = "") -> tuple[int, int]:
    """``"12-18"`` -> (12, 18), ``"7"`` -> (7, 7); anything else is one-line error."""
    match = _LINES.fullmatch(str(text))
    if not match:
        raise DataValidationError(f"{where}source_lines {str(text)[:40]!r} is not a line number "
                                  "or a range such as 12-18")
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def check_evidence(spec: dict, sources_dir: Path, curated: Path) -> list[str]:
    """Check every membership of the curated ``spec`` against its document; return the
    documents checked."""
    files = {s["source_id"]: s["file"] for s in spec["sources"]}
    checked = set()
    for item in spec["partnerships"]:
        pid, doc = item["partnership_id"], Path(sources_dir) / files[item["source_id"]]
        if not doc.exists():
            raise DataValidationError(f"{doc}: source document missing (needed to check {pid})")
        lines = doc.read_text(encoding="utf-8").splitlines()
        first, last = line_range(item["source_lines"], f"{curated}: {pid}: ")
        if not 1 <= first <= last <= len(lines):
            raise DataValidationError(f"{curated}: {pid}: source_lines {item['source_lines']} "
                                      f"outside {doc.name} (1–{len(lines)})")
        window = "\n".join(lines[first - 1:last])
        if item["named_in_source"] not in window:
            raise DataValidationError(f"{curated}: {pid}: {item['named_in_source']!r} not found "
                                      f"in {doc.name} lines {first}–{last}")
        for member in item["members"]:
            if member["evidence"] not in window:
                raise DataValidationError(
                    f"{curated}: {pid}: evidence {member['evidence']!r} for {member['name']} "
                    f"not found in {doc.name} lines {first}–{last}")
        checked.add(doc.name)
    return sorted(checked)


def check_snapshot(folder: Path, memberships, sources_dir: Path) -> None:
    """The built memberships table against the documents and against the curated file it
    was built from (``folder/curated`` or the project's ``data/curated``)."""
    from analysis.core import yamlio

    curated = Path(folder) / "curated" / "partnerships.yaml"
    if not curated.exists():
        curated = CURATED_DIR / "partnerships.yaml"
    spec = yamlio.load_file(curated)
    check_evidence(spec, sources_dir, curated)
    declared = {(i["partnership_id"], m["evidence"], str(i["source_lines"]))
                for i in spec["partnerships"] for m in i["members"]}
    held = set(zip(memberships["partnership_id"], memberships["evidence"],
                   memberships["source_lines"]))
    if declared != held:
        raise DataValidationError(f"{Path(folder) / TABLE_FILES['memberships']}: differs from "
                                  f"{curated}; run `analysis data build`")
