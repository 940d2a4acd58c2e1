"""Map outlines: the land the map fills follows the detailed coast, so the sea off a coast is drawn as sea."""

from __future__ import annotations

from itertools import pairwise

from annotator.services.maps import Line, outlines

SYRIA = (35.0, 32.0, 39.5, 37.5)


def on_land(rings: tuple[Line, ...], lon: float, lat: float) -> bool:
    """Even-odd rule, as the map fills: a ray to the east crosses the rings' edges an odd number of times."""
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def test_land_follows_the_coast_and_stays_in_the_box() -> None:
    land = outlines(SYRIA).land
    assert on_land(land, 36.72, 34.73)  # Homs
    assert on_land(land, 35.79, 35.52)  # Latakia, on the coast
    assert on_land(land, 35.50, 33.89)  # Beirut
    assert not on_land(land, 35.60, 35.00)  # the sea off Baniyas, a few km out
    assert not on_land(land, 35.40, 34.10)  # the sea off Byblos
    west, south, east, north = SYRIA
    assert all(west <= x <= east and south <= y <= north for ring in land for x, y in ring)
    assert sum(len(ring) for ring in land) < 50_000  # cut to the box: cheap to draw on every repaint


def test_a_coast_that_leaves_the_box_by_a_corner_keeps_the_corner() -> None:
    land = outlines((35.6, 33.2, 38.5, 37.3)).land  # the Lebanese coast leaves by the west, comes back by the south
    assert on_land(land, 38.3, 35.0) and on_land(land, 38.4, 33.3) and on_land(land, 36.0, 33.3)  # Syria
    assert not on_land(land, 35.65, 35.0)  # the sea off Baniyas
