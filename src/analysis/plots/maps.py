"""Maps of Finland in EPSG:3067 (ETRS-TM35FIN), the projection Finnish agencies print in."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.patches import Patch

from .. import data
from ..style import NEUTRAL

MAP_CRS = "EPSG:3067"
EDGE = "#FFFFFF"


def finland(ax, fill: Mapping[str, str] | None = None, outline: set[str] | None = None,
            base_color: str = "#E4E4E4", outline_color: str = "#000000", linewidth: float = 0.15,
            outline_width: float = 0.9, shapes=None):
    """Draw the 308 municipalities on ``ax``: ``fill`` maps code -> colour (others grey),
    ``outline`` codes get a dark edge (e.g. the size-class cities). Returns the shapes drawn."""
    shapes = data.boundaries(crs=MAP_CRS) if shapes is None else shapes
    colours = shapes["code"].map(dict(fill or {})).fillna(base_color)
    shapes.plot(ax=ax, color=colours, edgecolor=EDGE, linewidth=linewidth)
    if outline:
        shapes[shapes["code"].isin(outline)].plot(ax=ax, facecolor="none", edgecolor=outline_color,
                                                  linewidth=outline_width)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return shapes


def legend_patches(items: Mapping[str, str], edge: str | None = None) -> list[Patch]:
    """Legend handles: label -> colour."""
    return [Patch(facecolor=colour, edgecolor=edge or colour, label=label)
            for label, colour in items.items()]


def neutral() -> str:
    return NEUTRAL
