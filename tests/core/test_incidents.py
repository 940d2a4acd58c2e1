"""Places inside places: what an incident's consolidation may treat as the same location, more precisely."""

from __future__ import annotations

from annotator.core.incidents import COUNTRY, DISTRICT, GOVERNORATE, REGION, TOWN, Place

SYRIA = Place("Syria", country_code="SY", place_type=COUNTRY, place_id="SY")
HOMS_GOV = Place("Homs", country_code="SY", admin1="Homs", place_type=GOVERNORATE, place_id="SY-homs-gov")
HOMS = Place("Homs", 34.7, 36.7, country_code="SY", admin1="Homs", place_type=TOWN, place_id="SY-homs")
WAER = Place("Homs - Al Waer", country_code="SY", admin1="Homs", place_type=DISTRICT, parent="SY-homs")
IDLIB = Place("Idlib", country_code="SY", admin1="Idlib", place_type=TOWN)
GHOUTA = Place("Eastern Ghouta", country_code="SY", admin1="Rural Damascus", place_type=REGION, place_id="SY-gh")
MOSUL = Place("Mosul", country_code="IQ", admin1="Ninewa", place_type=TOWN)
NOWHERE = Place("Somewhere", place_type=COUNTRY)


def test_a_country_holds_its_places_but_not_itself_or_another_country() -> None:
    assert SYRIA.contains(HOMS) and SYRIA.contains(HOMS_GOV) and SYRIA.contains(GHOUTA)
    assert not SYRIA.contains(MOSUL)
    assert not SYRIA.contains(Place("Syria again", country_code="SY", place_type=COUNTRY))
    assert not NOWHERE.contains(Place("x", place_type=TOWN))  # no country code: nothing is known to be inside


def test_a_governorate_holds_the_places_of_its_admin1() -> None:
    assert HOMS_GOV.contains(HOMS) and HOMS_GOV.contains(WAER)
    assert not HOMS_GOV.contains(IDLIB)
    assert not HOMS_GOV.contains(Place("Homs", country_code="SY", admin1="Homs", place_type=GOVERNORATE))
    assert not HOMS_GOV.contains(Place("Homs", country_code="LB", admin1="Homs", place_type=TOWN))
    blank = Place("?", country_code="SY", place_type=GOVERNORATE)
    assert not blank.contains(Place("y", country_code="SY", place_type=TOWN))  # both without admin1


def test_towns_and_regions_hold_only_what_names_them_as_parent() -> None:
    assert HOMS.contains(WAER)
    assert not HOMS.contains(Place("Homs - Karm al-Zeitoun", country_code="SY", admin1="Homs", place_type=DISTRICT))
    assert not GHOUTA.contains(Place("Douma", country_code="SY", admin1="Rural Damascus", place_type=TOWN))
    assert GHOUTA.contains(Place("Douma", country_code="SY", place_type=TOWN, parent="SY-gh"))
    assert not Place("Unknown", place_id=None).contains(Place("child", parent=None))
