"""Plain-text helpers every layer shares: runs of years, folded names, slugs."""

from __future__ import annotations

import re
import unicodedata


def format_years(years) -> str:
    """[2000, 2001, …, 2022, 2024] -> '2000–2022, 2024'."""
    years = sorted(int(y) for y in years)
    runs, start = [], None
    for i, y in enumerate(years):
        if start is None:
            start = y
        if i + 1 == len(years) or years[i + 1] != y + 1:
            runs.append(f"{start}–{y}" if y != start else f"{y}")
            start = None
    return ", ".join(runs)


def fold(text: str) -> str:
    """Lower case with accents removed: 'Hämeenlinna' -> 'hameenlinna'."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Only letters and digits, folded: 'Östermark' -> 'ostermark' (for matching names)."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def slug(text: str) -> str:
    """A readable ASCII file-name part: 'Koski Tl' -> 'koski-tl'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
