"""Maps of Finland in EPSG:3067 (ETRS-TM35FIN), the projection Finnish agencies print in."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch

from .. import data

MAP_CRS = "EPSG:3067"
EDGE = "#FFFFFF"


def finland(ax, fill: Mapping[str, str] | None = None, outline: set[str] | None = None,
            base_color: str = "#E4E4E4", outline_color: str = "#000000", linewidth: float = 0.15,
            outline_width: float = 0.9, shapes=None):
    """Draw the 308 municipalities on ``ax``: ``fill`` maps code -> colour (others grey),
    ``outline`` codes get a dark edge (e.g. the size-class cities). Returns the shapes drawn."""
    shapes = data.boundaries(crs=MAP_CRS) if shapes is None else shapes
    colours = shapes["code"].map(dict(fill or {})).astype(object).fillna(base_color)
    ax.add_collection(polygons(shapes.geometry, facecolor=list(colours), edgecolor=EDGE,
                               linewidth=linewidth))
    if outline:
        ax.add_collection(polygons(shapes.geometry[shapes["code"].isin(outline)],
                                   facecolor="none", edgecolor=outline_color,
                                   linewidth=outline_width))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return shapes


def polygons(geometries, **style) -> PatchCollection:
    """(Multi)polygons as one matplotlib collection. GeoSeries.plot would do the same but
    redraws the whole figure after every call, which made a panel of six maps take seconds."""
    from shapely.plotting import patch_from_polygon

    patches, index = [], []
    for i, geom in enumerate(geometries):
        for part in getattr(geom, "geoms", [geom]):
            patches.append(patch_from_polygon(part))
            index.append(i)
    facecolor = style.pop("facecolor", None)
    if isinstance(facecolor, list):  # one colour per geometry -> one per polygon part
        facecolor = [facecolor[i] for i in index]
    return PatchCollection(patches, facecolor=facecolor, match_original=False, **style)


def legend_patches(items: Mapping[str, str], edge: str | None = None) -> list[Patch]:
    """Legend handles: label -> colour."""
    return [Patch(facecolor=colour, edgecolor=edge or colour, label=label)
            for label, colour in items.items()]

