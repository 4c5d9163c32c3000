"""House style of every figure: fonts readable at print size, a colour-blind-safe palette
(Okabe & Ito), one fixed colour per partnership and per size class across all reports,
and a title plus a source line on the figure itself.

    fig, ax = style.figure()
    ...
    style.finish(fig, ax, title=..., xlabel=..., ylabel=..., source=style.source_text(...))
"""

from __future__ import annotations

import math
import textwrap
import weakref

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from analysis.present.i18n import t

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}

# Partnership colours in the order of data/partnerships.csv (see partnership_color).
PARTNERSHIP_PALETTE = tuple(OKABE_ITO[k] for k in
                            ("orange", "blue", "green", "vermillion", "purple", "grey",
                             "sky_blue", "yellow"))
NEUTRAL = "#BBBBBB"  # municipalities in no grouping, background shapes
HIGHLIGHT = OKABE_ITO["vermillion"]
CLASS_BAND = OKABE_ITO["sky_blue"]

SOURCE_FONTSIZE = 6.5
AVERAGE_CHAR_EM = 0.56  # DejaVu Sans: mean advance of a character, in ems
NBSP = "\u00a0"

# Print size: a brief's text column is ~16 cm; figures are drawn at that size.
WIDTH_IN = 6.3
DPI_EXPORT = 300

RC = {
    "figure.figsize": (WIDTH_IN, 4.2),
    "figure.dpi": 110,
    "savefig.dpi": DPI_EXPORT,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",  # ships with matplotlib: å, ä, ö render everywhere
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in
                                         ("blue", "orange", "green", "vermillion", "purple",
                                          "sky_blue", "yellow", "black")]),
    "svg.fonttype": "none",  # text stays text in SVG: searchable and editable in a brief
}


def apply() -> None:
    """Set the house style for this process (idempotent)."""
    mpl.rcParams.update(RC)


def partnership_color(partnership_id: str) -> str:
    """The partnership's colour in every figure: the palette in the order of the
    partnerships in the data (``data/partnerships.csv``); black for an unknown id."""
    from analysis import data

    order = list(data.partnerships()["partnership_id"])
    if partnership_id not in order:
        return OKABE_ITO["black"]
    return PARTNERSHIP_PALETTE[order.index(partnership_id) % len(PARTNERSHIP_PALETTE)]


# The population scale the class colours are spread over (log10 of residents).
CLASS_SCALE = (3.0, 5.5)


def class_color(lo, hi=None) -> str:
    """The colour of the size class ``lo`` ≤ population < ``hi`` (``hi`` None: open-ended),
    the same in every figure whatever other classes it is drawn with: viridis (reversed:
    light = small, dark = large) at the class's middle on a log population scale. Viridis
    is colour-blind safe, prints in grey scale, and (unlike cividis) has no grey middle
    that a reader could take for "no data"."""
    low = max(float(lo), 10 ** CLASS_SCALE[0] / 2)
    high = float(hi) if hi is not None and hi == hi else low * 4
    middle = math.log10(math.sqrt(low * high))
    at = min(max((middle - CLASS_SCALE[0]) / (CLASS_SCALE[1] - CLASS_SCALE[0]), 0.0), 1.0)
    return to_hex(mpl.colormaps["viridis_r"](0.05 + 0.9 * at))


def class_colors(edges, open_ended: bool = False) -> list[str]:
    """The colours of the classes of ``edges`` in order (:func:`class_color` of each)."""
    edges = list(edges)
    highs = edges[1:] + ([None] if open_ended else [])
    return [class_color(lo, hi) for lo, hi in zip(edges, highs)]


def band_colors(edges) -> list[str]:
    """Colours of the bands of a population scale cut by ``edges``: below the first edge,
    each class, at or above the last edge (:func:`analysis.analyses.sizeclass.class_position` + 1)."""
    return [class_color(0, edges[0]), *class_colors(edges), class_color(edges[-1], None)]


def source_text(lang: str, *parts: str) -> str:
    """'Source: <part>; <part>; analysis: this project' (the last phrase never splits)."""
    body = "; ".join(p for p in parts if p)
    return f"{t('source.prefix', lang)}: {body}; {t('source.analysis', lang).replace(' ', NBSP)}"


def wrap_source(source: str, width_in: float, fontsize: float = SOURCE_FONTSIZE) -> str:
    """Break the source line to the figure's width. Done here with textwrap because
    matplotlib's own ``wrap=True`` lays the text out word by word on every draw, which
    made each figure export about a third slower."""
    chars = max(40, int(width_in * 72 / (fontsize * AVERAGE_CHAR_EM)))
    return "\n".join(textwrap.fill(line, chars, break_long_words=False, break_on_hyphens=False)
                     for line in source.splitlines())


def figure(width: float = WIDTH_IN, height: float = 4.2, **kw):
    apply()
    return plt.subplots(figsize=(width, height), **kw)


def describe(fig, *, alt: str | None = None, data=None):
    """What the figure shows, for a reader who cannot see it (``alt``: a sentence or two
    saying what it shows and what stands out, not only its title) and for an analyst who
    wants its numbers (``data``: a DataFrame of the plotted values). :class:`Report.figure`
    puts the alt text on the image and writes the data as CSV and XLSX beside the PNG."""
    if alt is not None:
        fig._analysis_alt = str(alt)
    if data is not None:
        fig._analysis_data = data
    return fig


def finish(fig, ax=None, *, title: str, source: str, xlabel: str | None = None,
           ylabel: str | None = None, subtitle: str | None = None, layout: bool = True,
           alt: str | None = None, data=None):
    """Title, axis labels and the source line on the figure itself; then a tight layout,
    unless ``layout=False``: a caller that places its axes itself (``subplots_adjust`` with
    every margin) would only throw the tight layout away, and on a figure of many axes it
    is the most expensive step of building it. ``alt`` and ``data``: see :func:`describe`."""
    describe(fig, alt=alt, data=data)
    fig._analysis_title = title
    if ax is not None:
        if xlabel is not None:
            ax.set_xlabel(xlabel)
        if ylabel is not None:
            ax.set_ylabel(ylabel)
    fig.suptitle(title, x=0.01, ha="left", fontsize=RC["axes.titlesize"], fontweight="bold")
    if subtitle:
        fig.text(0.01, 0.935, subtitle, ha="left", va="top", fontsize=8, color="#444444")
    fig.text(0.01, 0.005, wrap_source(source, 0.98 * fig.get_figwidth()), ha="left",
             va="bottom", fontsize=SOURCE_FONTSIZE, color="#555555", gid="source-line")
    if layout:
        fig.tight_layout(rect=(0, 0.04, 1, 0.95 if not subtitle else 0.91))
    return fig


def minor_tick_marks(ax) -> None:
    """Draw the x axis's minor ticks (a log axis has dozens) as one line of tick-shaped
    markers instead of a Tick object each: the same marks, at a fraction of the cost of
    creating and laying out those objects (they made up half of building a log-axis
    figure). Call it when the x limits are final; they are fixed here."""
    from matplotlib.ticker import NullLocator

    lo, hi = ax.get_xlim()
    where = [v for v in ax.xaxis.get_minor_locator().tick_values(lo, hi) if lo <= v <= hi]
    ax.set_xlim(lo, hi)
    ax.xaxis.set_minor_locator(NullLocator())
    tick_marks(ax, where, [0] * len(where), minor=True, transform=ax.get_xaxis_transform())


def tick_marks(ax, x, y, *, minor: bool = False, transform=None) -> None:
    """Downward x-axis tick marks at the points (x, y) as one artist, sized and coloured
    as the house style's own ticks."""
    from matplotlib.markers import TICKDOWN

    rc, kind = mpl.rcParams, "minor" if minor else "major"
    ax.plot(x, y, ls="none", marker=TICKDOWN, ms=rc[f"xtick.{kind}.size"],
            mew=rc[f"xtick.{kind}.width"], color=rc["xtick.color"], clip_on=False,
            **({"transform": transform} if transform is not None else {}))


# Figures whose maker placed every element inside the figure itself (weak: a closed figure
# leaves the set by itself).
_FIXED_LAYOUT: weakref.WeakSet = weakref.WeakSet()


def fixed_layout(fig):
    """Mark ``fig`` as laid out by its maker (``subplots_adjust`` with every margin, the
    legend and the source line inside the figure): it is saved at its own size, without
    the tight bounding box that would need a layout pass of its own."""
    _FIXED_LAYOUT.add(fig)
    return fig


def has_fixed_layout(fig) -> bool:
    return fig in _FIXED_LAYOUT


def fixed_margins(fig, *, left: float, top: float, bottom: float = 0.68,
                  right: float = 0.985):
    """Place a one-axes figure's axes by margins: ``left`` and ``right`` as fractions of the
    width, ``top`` and ``bottom`` in inches (room for the title, a subtitle or a legend
    above the axes; for the axis label and the source line below), and mark it
    :func:`fixed_layout`; then ``finish(..., layout=False)``. A tight layout and a tight
    bounding box cost a layout pass each when the figure is built and saved (about a third
    of a simple figure's time)."""
    height = fig.get_figheight()
    fig.subplots_adjust(left=left, right=right, top=1 - top / height, bottom=bottom / height)
    return fixed_layout(fig)
