"""What a notebook shows: Markdown from the translation table, figures and tables with
their exported files (PNG 300 dpi + SVG, CSV + XLSX), and the provenance footer.

A notebook starts a report with its name, language and export folder (all parameters):

    rep = report.Report("size_classes", lang=lang, export_dir=export_dir, params=params)
    rep.md(t("size.intro", lang, n=...))
    rep.figure(fig, "population_distribution")
    rep.table(frame, "class_members")
    rep.footer()  # the tables listed are those the report read

With ``export_dir`` empty (plain JupyterLab use) nothing is written; the render pipeline
passes ``reports/figures/<report>`` and the relative link from the HTML page to it.
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.core.langs import check_lang
from analysis.core.version import git_state  # the footer's commit (benchmarks/floor.py replaces it)
from analysis.present.i18n import t

# "0" in the kernel's environment: figures get no SVG file (analysis render sets it for the
# profiles --all-municipalities adds, unless --svg); anything else, or unset, writes it.
SVG_ENV = "ANALYSIS_EXPORT_SVG"
SCREEN_DPI = 150  # sharp on high-density screens, small enough to embed in the HTML
DISPLAY_DPI = 110  # the width the page shows it at, as matplotlib's inline backend would
# zlib level for PNGs: level 1 encodes a 300-dpi figure several times faster than the
# default 6 for files about a third larger; the pixels are identical (PNG is lossless).
PNG_COMPRESS_LEVEL = 1


def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def _tight_bbox(fig):
    """The figure's tight bounding box in inches, computed once for every format saved
    (``bbox_inches="tight"`` would lay the figure out again for each). A figure that set
    every margin itself (:func:`analysis.present.style.fixed_layout`) is saved as it is: the box
    would cost a layout pass to find what its maker already placed."""
    import matplotlib as mpl

    from analysis.present.style import has_fixed_layout

    if has_fixed_layout(fig):
        return fig.bbox_inches  # the whole figure (None would mean the house "tight")
    renderer = getattr(fig.canvas, "get_renderer", None)
    if renderer is None:
        return "tight"
    return fig.get_tightbbox(renderer()).padded(mpl.rcParams["savefig.pad_inches"])


class _Pixels:
    """A file for ``savefig(format="rgba")``: keeps the drawn pixels as an (h, w, 4) array
    instead of bytes, so their size is known without rounding the bbox times the dpi."""

    rgba = None

    def write(self, data) -> None:
        import numpy as np

        self.rgba = np.array(data, dtype=np.uint8, copy=True)  # the renderer reuses its buffer

    def seek(self, *args) -> int:  # matplotlib takes an object with seek for a file
        return 0


def _draw(fig, dpi: int, bbox):
    """Draw the figure once at ``dpi``; returns a PIL image of it: RGB when every pixel is
    opaque (the house style's white background), else RGBA."""
    from PIL import Image as PILImage

    pixels = _Pixels()
    fig.savefig(pixels, format="rgba", dpi=dpi, bbox_inches=bbox)
    image = PILImage.fromarray(pixels.rgba, mode="RGBA")
    if image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")  # the same pixels; a quarter fewer bytes to compress
    return image


def _png(image, dpi: int) -> bytes:
    """The image as a PNG file with matplotlib's dpi and Software text chunk, written by
    :func:`analysis.present.png.encode` (several times faster than Pillow's filter search)."""
    import matplotlib as mpl
    import numpy as np

    from analysis.present import png

    return png.encode(np.asarray(image), dpi=dpi, level=PNG_COMPRESS_LEVEL, text={
        "Software": f"Matplotlib version{mpl.__version__}, https://matplotlib.org/"})


def _screen_image(image, dpi: int, alt: str | None = None):
    """An image drawn at ``dpi`` (a PIL image), resampled to screen resolution where it is
    finer, and shown at the size of an inline figure. From the drawn pixels, not from the
    exported PNG: nothing is decoded again."""
    import numpy as np
    from IPython.display import Image
    from PIL import Image as PILImage

    from analysis.present import png

    width, height = image.size
    small = image
    if dpi > SCREEN_DPI:
        factor = dpi / SCREEN_DPI
        if factor == int(factor):
            # 300 -> 150 dpi: average each 2×2 block (a box filter), an order of
            # magnitude faster than LANCZOS and as sharp at an exact integer ratio.
            small = image.reduce(int(factor))
        else:
            small = image.resize((round(width / factor), round(height / factor)),
                                 PILImage.Resampling.LANCZOS)
    data = png.encode(np.asarray(small), level=PNG_COMPRESS_LEVEL)
    return Image(data=data, format="png", width=round(width * DISPLAY_DPI / dpi), alt=alt)


class Report:
    def __init__(self, name: str, lang: str = "fi", export_dir: str | None = None,
                 export_href: str | None = None, params: dict | None = None):
        self.name, self.lang = name, check_lang(lang)
        self.export_dir = Path(export_dir) if export_dir else None
        self.export_href = export_href if export_href is not None else (
            str(self.export_dir) if self.export_dir else "")
        self.params = dict(params or {})
        self.svg = os.environ.get(SVG_ENV, "1") != "0"
        self.files: list[Path] = []
        if self.export_dir:
            self.export_dir.mkdir(parents=True, exist_ok=True)

    # -- output ---------------------------------------------------------------------------
    def md(self, text: str) -> None:
        from IPython.display import Markdown

        _display(Markdown(text))

    def _links(self, names: list[str]) -> None:
        if not self.export_dir:
            return
        from IPython.display import HTML

        href = self.export_href.rstrip("/")
        links = " · ".join(f'<a href="{html.escape(href + "/" + n)}">{html.escape(n)}</a>'
                           for n in names)
        _display(HTML(f'<p class="export-links">{t("export.files", self.lang)}: {links}</p>'))

    def figure(self, fig, name: str) -> None:
        """Show the figure; with an export folder also write ``name.png`` (300 dpi) and ``.svg``
        (unless the environment says not to: :data:`SVG_ENV`).

        The figure is laid out once and drawn twice (PNG, SVG); the page shows the 300-dpi
        PNG scaled down, an image rendered here rather than the figure object, so it appears
        whatever matplotlib backend the kernel runs (MPLBACKEND=Agg would show nothing).
        """
        import matplotlib.pyplot as plt  # here: `analysis render` reads git_state without it

        from analysis.present.style import DPI_EXPORT

        bbox = _tight_bbox(fig)
        # Without export only the screen image is needed: draw it at screen resolution.
        dpi = DPI_EXPORT if self.export_dir else SCREEN_DPI
        image = _draw(fig, dpi, bbox)  # one drawing: the PNG file and the screen image
        names = []
        data = getattr(fig, "_analysis_data", None)
        if self.export_dir:
            png_path = self.export_dir / f"{name}.png"
            png_path.write_bytes(_png(image, dpi))
            self.files.append(png_path)
            names = [png_path.name]
            if self.svg:
                svg_path = self.export_dir / f"{name}.svg"
                fig.savefig(svg_path, format="svg", bbox_inches=bbox, metadata={"Date": None})
                self.files.append(svg_path)
                names.append(svg_path.name)
            if data is not None:  # the numbers the figure plots, for briefs and checks
                names += self._table_files(data, f"{name}_data")
        alt = getattr(fig, "_analysis_alt", None) or getattr(fig, "_analysis_title", None)
        plt.close(fig)
        _display(_screen_image(image, dpi, alt))
        self._links(names)

    def _table_files(self, frame: pd.DataFrame, name: str, formatters: dict | None = None
                     ) -> list[str]:
        """``name.csv`` (UTF-8 with BOM) and ``name.xlsx`` in the export folder."""
        from analysis.present import exports

        csv_path = exports.write_csv(frame, self.export_dir / f"{name}.csv", formatters)
        xlsx_path = exports.write_xlsx(frame, self.export_dir / f"{name}.xlsx", name[:31],
                                       self.lang, formatters)
        self.files += [csv_path, xlsx_path]
        return [csv_path.name, xlsx_path.name]

    def table(self, frame: pd.DataFrame, name: str, caption: str | None = None,
              formatters: dict | None = None) -> None:
        """Show the table; with an export folder also write ``name.csv`` (UTF-8 with BOM) and
        ``.xlsx`` (numbers formatted as ``formatters`` show them; see :mod:`analysis.present.exports`)."""
        names = self._table_files(frame, name, formatters) if self.export_dir else []
        # A Styler over the numbers: a callable formats each value on screen while the data
        # stays numeric (JupyterLab, ``styler.data``); a list gives each row's text (rows
        # that mix units, each with its own decimals), so that column is text.
        shown = frame.copy()
        callables = {}
        for column, fmt in (formatters or {}).items():
            if isinstance(fmt, list):
                shown[column] = list(fmt)
            else:
                callables[column] = fmt
        # Text reads from the left, numbers from the right (nbconvert's CSS right-aligns all).
        text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
        styler = shown.style.format(callables).hide(axis="index").set_properties(
            subset=text_columns, **{"text-align": "left"}).set_table_styles(
            {c: [{"selector": "th", "props": [("text-align", "left")]}] for c in text_columns},
            overwrite=False)
        if caption:
            styler = styler.set_caption(caption)
        _display(styler)
        self._links(names)

    def footer(self, tables: list[str] | None = None, extra: dict | None = None) -> None:
        """Provenance: data vintage of each table used, parameters, version, commit, date.

        ``tables`` defaults to what this report read so far (:mod:`analysis.data.readset`), so the
        list cannot drift from the code; in a plain kernel that is everything it loaded."""
        from analysis.core.paths import DATAPACKAGE_FILE
        from analysis.data import readset
        from analysis.present.cite import data_rows

        lang = self.lang
        if tables is None:
            tables = readset.tables_read()
        readset.note("file", DATAPACKAGE_FILE)  # the vintages below come from it
        rows = data_rows(tables)
        shown = {k: v for k, v in {**self.params, **(extra or {})}.items()
                 if not k.startswith("export_")}  # output folders are not analysis parameters
        commit = git_state()
        if "uncommitted" in commit:
            commit = commit.split()[0] + " " + t("footer.uncommitted", lang)
        from IPython.display import HTML

        from analysis.present import html as pages

        _display(HTML(pages.render(
            "footer.html.j2", lang=lang, tables=rows,
            params=[(k, repr(v)) for k, v in shown.items()], version=__version__,
            commit=commit, rendered=_dt.date.today().isoformat())))
