"""Helpers every report's presentation shares: lists of names in a sentence, the source line
and number formatting of figures, gap notes, membership statuses."""

from __future__ import annotations

import pandas as pd

from analysis.core.text import format_years
from analysis.present.i18n import fmt_date, fmt_int, t


def names_list(names, lang: str = "fi") -> str:
    """'A, B and C' / 'A, B ja C'."""
    names = list(names)
    if not names:
        return t("none", lang)
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {t('size.and', lang)} {names[-1]}"


def gap_note(years: list[int], lang: str) -> str | None:
    """Subtitle naming the years missing inside the series' range (none today),
    derived from the data so that it disappears once a refresh fills them."""
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    return t("city.fig.gap", lang, year=format_years(gaps)) if gaps else None


def status_text(status: str, lang: str, date=None) -> str:
    """A membership status as worded in the data, translated (keys ``partner.status.*``),
    with the date the source gives for it (e.g. Seinäjoki's board decision)."""
    from analysis.core.text import slug

    text = t(f"partner.status.{slug(status)}", lang)
    return f"{text}, {fmt_date(date, lang)}" if isinstance(date, str) and date else text


def source_line(lang: str, *parts: str) -> str:
    """The house source line (``style.finish`` wraps it to the figure's width)."""
    from analysis.present import style  # matplotlib: imported only when drawing

    return style.source_text(lang, *parts)


def thousands(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt_int(v, lang))


def series_with_gap(series: pd.Series) -> pd.Series:
    """Insert NaN for years missing inside the range, so a line breaks there."""
    full = range(int(series.index.min()), int(series.index.max()) + 1)
    return series.reindex(full)
