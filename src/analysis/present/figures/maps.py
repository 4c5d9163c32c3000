"""Maps of Finland in EPSG:3067 (ETRS-TM35FIN), the projection Finnish agencies print in."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.collections import PathCollection
from matplotlib.patches import Patch

from analysis import data

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


# geometry id -> (the geometry, its matplotlib paths): a warm worker draws the same 308
# boundaries for every profile; converting them to paths cost more than drawing them.
_PATHS: dict[int, tuple] = {}
_PATHS_MAX = 4096


def _paths_of(geom) -> list:
    """The matplotlib paths of a (multi)polygon, computed once per geometry object (the
    geometry is kept with them, so its id is not reused while it is cached)."""
    cached = _PATHS.get(id(geom))
    if cached is not None and cached[0] is geom:
        return cached[1]
    from shapely.plotting import patch_from_polygon

    paths = [patch_from_polygon(part).get_path() for part in getattr(geom, "geoms", [geom])]
    if len(_PATHS) >= _PATHS_MAX:
        _PATHS.clear()
    _PATHS[id(geom)] = (geom, paths)
    return paths


def polygons(geometries, **style) -> PathCollection:
    """(Multi)polygons as one matplotlib collection. GeoSeries.plot would do the same but
    redraws the whole figure after every call, which made a panel of six maps take seconds.
    The paths of each geometry are made once per process (:func:`_paths_of`)."""
    paths, index = [], []
    for i, geom in enumerate(geometries):
        parts = _paths_of(geom)
        paths += parts
        index += [i] * len(parts)
    facecolor = style.pop("facecolor", None)
    if isinstance(facecolor, list):  # one colour per geometry -> one per polygon part
        facecolor = [facecolor[i] for i in index]
    return PathCollection(paths, sizes=None, facecolor=facecolor, **style)


def legend_patches(items: Mapping[str, str], edge: str | None = None) -> list[Patch]:
    """Legend handles: label -> colour."""
    return [Patch(facecolor=colour, edgecolor=edge or colour, label=label)
            for label, colour in items.items()]

