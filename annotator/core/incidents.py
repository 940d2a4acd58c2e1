"""Immutable incident data: places, the reports an incident groups, and its consolidated fields with sources.

An incident is one real-world event that one or more event mentions report. Every consolidated value
names the events it came from (`sources`, event database ids) and the rule that chose it, so a coder
can check it against the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.acled import interaction

#: Place types of the gazetteer, from the largest to the smallest.
COUNTRY, GOVERNORATE, REGION, CITY, TOWN, DISTRICT, SITE = (
    "country", "governorate", "region", "city", "town", "district", "site",
)  # fmt: skip
POINT_TYPES = frozenset({CITY, TOWN, DISTRICT, SITE})  # a particular town or part of one: ACLED precision 1


@dataclass(frozen=True, slots=True)
class Place:
    """A geocoded place: ACLED's location fields plus where the coordinates came from."""

    name: str  # ACLED `location`, e.g. "Homs - Al Waer"
    latitude: float | None = None
    longitude: float | None = None
    country: str = ""
    country_code: str = ""  # ISO 3166-1 alpha-2
    iso: int | None = None  # ISO 3166-1 numeric: ACLED's `iso`
    iso3: str = ""
    region: str = ""  # ACLED region
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    place_type: str = ""  # country, governorate, region, city, town, district (of a city), site
    place_id: str | None = None  # gazetteer id
    parent: str | None = None  # gazetteer id of the place it lies in (a city for a district)
    geonameid: int | None = None
    source: str = ""  # gazetteer, geonames, hand
    near: bool = False  # reported "near" the place: ACLED precision 2, UCDP 2

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def geo_precision(self) -> int | None:
        """ACLED: 1 a town (or a named part of a city), 2 near a town, 3 a larger region; None country-level."""
        if self.place_type == COUNTRY or not self.has_point:
            return None
        if self.place_type in POINT_TYPES or (not self.place_type and self.source in ("hand", "geonames")):
            return 2 if self.near else 1
        return 3

    @property
    def where_prec(self) -> int | None:
        """UCDP GED: 1 exact, 2 near, 3 ADM2, 4 ADM1, 6 country."""
        precision = self.geo_precision
        if precision in (1, 2):
            return precision
        if self.place_type == REGION and self.admin1:
            return 3  # a part of a governorate ("Eastern Ghouta"): below ADM1
        if self.place_type == GOVERNORATE:
            return 4
        return 6 if self.place_type == COUNTRY else None

    def contains(self, other: Place) -> bool:
        """True when `other` lies inside this place (a district in its city, a town in its governorate)."""
        if self.place_id is not None and other.parent == self.place_id:
            return True
        same_country = bool(self.country_code) and self.country_code == other.country_code
        if self.place_type == COUNTRY:
            return same_country and other.place_type != COUNTRY
        if self.place_type == GOVERNORATE:
            return (
                same_country and bool(self.admin1) and other.admin1 == self.admin1 and other.place_type != GOVERNORATE
            )
        if self.place_type == REGION:
            return False  # regions cut across districts: only an explicit parent says a place is inside
        return False

    def key(self) -> str:
        return self.place_id or f"{self.name}|{self.country_code}|{self.latitude}|{self.longitude}"


@dataclass(frozen=True, slots=True)
class Member:
    """One report of an incident: an event mention and the document it is in."""

    event_id: int
    document_id: int
    doc_id: str  # external id
    title: str
    source: str
    published: str | None
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    status: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """A consolidated value, the events it came from and the rule that chose it."""

    value: str
    sources: tuple[int, ...] = ()
    rule: str = ""


@dataclass(frozen=True, slots=True)
class FatalityReport:
    event_id: int
    value: int | None
    low: int | None
    high: int | None
    qualifier: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class FatalityEstimate:
    """Deaths reconciled from the reports: `best` is ACLED's figure (the lowest credible one), low/high the range."""

    best: int
    low: int
    high: int
    reports: tuple[FatalityReport, ...] = ()
    rule: str = ""

    @property
    def sources(self) -> tuple[int, ...]:
        return tuple(r.event_id for r in self.reports)


@dataclass(frozen=True, slots=True)
class Actors:
    actor1: Evidence
    assoc_actor_1: tuple[str, ...]
    inter1: str
    actor2: Evidence
    assoc_actor_2: tuple[str, ...]
    inter2: str

    @property
    def interaction(self) -> str:
        return interaction(self.inter1, self.inter2, bool(self.actor2.value))


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident of a layer, consolidated: what a row of an ACLED or UCDP file says, with its sources."""

    id: str  # the id every export and `annotator incidents` use
    key: int | None  # database id of a stored incident; None for a single report nobody has linked yet
    layer: str  # the layer that holds it: the annotator's, or `model` for a suggestion not yet decided
    status: str  # suggested, accepted, rejected
    score: float | None
    reasons: tuple[str, ...]
    members: tuple[Member, ...]
    event_type: Evidence  # ACLED event_type ("" when no member has an ACLED type)
    sub_event_type: Evidence
    disorder_type: str
    date: Evidence  # ISO date at the precision below; ACLED and UCDP dates are derived from it
    precision: str  # day, week, month, year, or ""
    location: Evidence
    place: Place | None
    actors: Actors
    fatalities: FatalityEstimate
    civilian_targeting: bool
    sources: tuple[str, ...]  # the outlets and the people the reports cite
    problems: tuple[str, ...] = ()  # why a codebook-valid row cannot be written, if it cannot

    @property
    def event_ids(self) -> tuple[int, ...]:
        return tuple(m.event_id for m in self.members)

    @property
    def documents(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(m.document_id for m in self.members))
