"""Table files an office suite opens correctly: CSV with a byte-order mark and XLSX whose
numbers stay numbers, shown the way the report page shows them.

- CSV is UTF-8 *with* a BOM (``utf-8-sig``): without it Excel reads the file as the
  system code page and "Hämeenlinna" arrives as "HÃ¤meenlinna". pandas, R and the csv
  module read the BOM transparently.
- XLSX cells hold the raw numbers (a sum or a chart works) with a number format derived from
  the formatter the page uses for the column: thousands grouped, the same decimals, a sign
  for changes, a percentage for shares. Columns are wide enough for their content, the
  header row is bold and frozen.
- A share (shown as "12,5 %") is a fraction in the data. The XLSX keeps the fraction under a
  percent format; the CSV, which has no formats, holds it in percent, and its header says
  ``%``, so neither file can be misread by a factor of 100.

The headers are the report table's own (they give the year where the table does, e.g.
"Väkiluku 2025"); only a share column without ``%`` in its header gets ", %" appended.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.present.i18n import number_format

MAX_WIDTH = 60  # characters; longer text wraps on screen anyway
SHARE_DIGITS_KEPT = 6  # decimals of a percentage in the CSV (the float noise of ×100 goes)


@dataclass(frozen=True)
class NumberStyle:
    share: bool
    signed: bool
    digits: int

    def excel(self, lang: str) -> str:
        """The Excel number format. ``#,##0``: Excel shows the separators of the reader's
        locale (a space in Finnish), so the code itself always uses ``,`` and ``.``."""
        body = ("0" if self.share else "#,##0") + ("." + "0" * self.digits if self.digits else "")
        if self.share:
            body += " %" if number_format(lang).before_percent else "%"
        if not self.signed:
            return body
        zero = body
        return f"+{body};-{body};{zero}"


def _probe(formatter: Callable, value) -> str | None:
    try:
        return str(formatter(value))
    except Exception:  # a formatter written for other values: no style from it
        return None


def number_style(values: pd.Series, formatter: Callable | None = None) -> NumberStyle | None:
    """How a numeric column is shown: from its page formatter where there is one (probed
    with sample values), else from its type. None for a column that is not numeric."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if formatter is not None:
        half, small = _probe(formatter, 0.5), _probe(formatter, 0.123456)
        if half is not None and small is not None:
            share = "%" in half
            decimals = re.search(r"\d[.,](\d+)", small)
            return NumberStyle(share=share, signed=half.startswith("+"),
                               digits=len(decimals.group(1)) if decimals else 0)
    whole = values.dropna()
    if pd.api.types.is_integer_dtype(values) or (len(whole) and (whole % 1 == 0).all()):
        return NumberStyle(share=False, signed=False, digits=0)
    return NumberStyle(share=False, signed=False, digits=3 if whole.abs().max() < 10 else 1)


def _share_header(header) -> str:
    return str(header) if "%" in str(header) else f"{header}, %"


def export_frame(frame: pd.DataFrame, formatters: dict | None = None
                 ) -> tuple[pd.DataFrame, dict[str, NumberStyle]]:
    """The frame as exported (share columns renamed to say %) and each numeric column's
    style, keyed by the exported header."""
    formatters = formatters or {}
    styles, renamed = {}, {}
    for column in frame.columns:
        style = number_style(frame[column], formatters.get(column))
        if style is None:
            continue
        header = _share_header(column) if style.share else column
        renamed[column] = header
        styles[header] = style
    return frame.rename(columns=renamed), styles


def write_csv(frame: pd.DataFrame, path: Path, formatters: dict | None = None) -> Path:
    """UTF-8 with BOM; shares in percent (the header says %)."""
    out, styles = export_frame(frame, formatters)
    out = out.copy()
    for header, style in styles.items():
        if style.share:
            out[header] = (out[header] * 100).round(SHARE_DIGITS_KEPT)
    out.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _width(values: pd.Series, header: str, style: NumberStyle | None) -> int:
    if style is not None:  # a formatted number is about as long as its text plus separators
        longest = max((len(f"{abs(v):,.{style.digits}f}") + 2 for v in values.dropna()), default=1)
    else:
        longest = max((len(str(v)) for v in values.dropna()), default=1)
    return min(max(longest, len(str(header))) + 2, MAX_WIDTH)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet_name: str, lang: str = "fi",
               formatters: dict | None = None) -> Path:
    """Numbers as numbers with a number format, widths fitted, header bold and frozen.

    Written with XlsxWriter, cell by cell with the column's format: several times faster
    than openpyxl's writer followed by a pass setting each cell's format (a report writes
    an XLSX for every table and every figure's numbers)."""
    import math

    import xlsxwriter

    out, styles = export_frame(frame, formatters)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False, "in_memory": True})
    try:
        sheet = book.add_worksheet(sheet_name[:31])  # Excel's limit
        sheet.freeze_panes(1, 0)
        bold = book.add_format({"bold": True})
        for col, header in enumerate(out.columns):
            style = styles.get(header)
            fmt = book.add_format({"num_format": style.excel(lang)}) if style else None
            sheet.set_column(col, col, _width(out[header], header, style), fmt)
            sheet.write_string(0, col, str(header), bold)
            for row, value in enumerate(out[header].tolist(), start=1):
                if value is None or (isinstance(value, float) and math.isnan(value)) \
                        or value is pd.NA or value is pd.NaT:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(row, col, value)
                elif style is not None:
                    sheet.write_number(row, col, value, fmt)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, col, value)
                else:
                    sheet.write_string(row, col, str(value))
    finally:
        book.close()
    return path
