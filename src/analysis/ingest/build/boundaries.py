"""``boundaries.gpkg``: municipal polygons on the snapshot's division (merged
municipalities' polygons dissolved into their successor), EPSG:4326 as published."""

from __future__ import annotations

from analysis.data import catalogue
from analysis.ingest.build.common import BuildError, BuildLog, Harmoniser, Inputs


def build_boundaries(inputs: Inputs, log: BuildLog, harmoniser: Harmoniser):
    import geopandas as gpd

    path = inputs.path(catalogue.BOUNDARIES_TOPO)
    shapes = gpd.read_file(path, layer="munis")
    # TopoJSON carries no CRS; the publisher's README states WGS84 longitude/latitude.
    shapes = shapes.set_crs("EPSG:4326", allow_override=True)
    shapes = shapes.rename(columns={"id": "code"})[["code", "geometry"]]
    for old in sorted(set(shapes["code"]) - harmoniser.codes):
        new = harmoniser.target(old)
        if new != old:
            log.add("boundaries", f"dissolved polygon of {old} into {new} "
                                  f"(merger of {harmoniser.date[old]})")
            shapes.loc[shapes["code"] == old, "code"] = new
    shapes = shapes.dissolve(by="code", as_index=False, sort=True)
    if set(shapes["code"]) != harmoniser.codes:
        raise BuildError(f"{catalogue.BOUNDARIES_TOPO}: codes differ from the division after dissolving")
    shapes["geometry"] = shapes.geometry.make_valid()
    return shapes.sort_values("code").reset_index(drop=True)
