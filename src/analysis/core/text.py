"""Plain-text helpers every layer shares: runs of years and months, folded names, slugs."""

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


def month_number(period: str) -> int:
    """'2026M06' -> 2026 * 12 + 5: months counted from year 0, so consecutive months differ by 1."""
    text = str(period)
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def month_period(number: int) -> str:
    """The inverse of :func:`month_number`: 24317 -> '2026M06'."""
    return f"{number // 12}M{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``: ('2024M11', '2025M02') -> 4 periods."""
    return [month_period(n) for n in range(month_number(first), month_number(last) + 1)]


def format_months(periods) -> str:
    """['2007M01', '2007M02', …, '2025M01', '2026M06'] -> '2007M01–2025M01, 2026M06'."""
    periods = sorted(set(map(str, periods)), key=month_number)
    runs, start = [], None
    for i, p in enumerate(periods):
        if start is None:
            start = p
        if i + 1 == len(periods) or month_number(periods[i + 1]) != month_number(p) + 1:
            runs.append(f"{start}–{p}" if p != start else p)
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
