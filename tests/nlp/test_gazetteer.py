"""The domain gazetteer: files compiled into EntityRulers that split like spaCy, with case where it matters."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.paths import gazetteer_dir
from annotator.core.schema import Schema
from annotator.nlp.gazetteer import Gazetteer, GazetteerError
from annotator.nlp.spacy_loader import LoadedPipeline


@pytest.fixture(scope="module")
def gazetteer(loaded: LoadedPipeline, schema: Schema) -> Gazetteer:
    assert loaded.nlp is not None
    return Gazetteer(loaded.nlp, gazetteer_dir(), frozenset(schema.entity_types))


def _hits(gazetteer: Gazetteer, loaded: LoadedPipeline, text: str) -> list[tuple[str, str, str]]:
    assert loaded.nlp is not None
    doc = gazetteer(loaded.nlp.make_doc(text))
    return [(e.text, e.label_, e.id_) for e in doc.ents]


def test_entries_are_valid(gazetteer: Gazetteer, schema: Schema) -> None:
    names = [e for e in gazetteer.entries.values() if not e.nominal]
    assert len(names) > 50
    for entry in gazetteer.entries.values():
        assert entry.label in schema.entity_types
        if entry.value is not None:
            assert entry.value["id"] == entry.id and entry.value["name"]
            assert {"lat", "lon"} <= entry.value.keys() or not {"lat", "lon"} & entry.value.keys()
        if "actor_type" in entry.attrs:
            assert entry.attrs["actor_type"] in schema.entity_attributes["actor_type"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shells hit al-Waer and Al Waer.", [("al-Waer", "SY-homs-al-waer"), ("Al Waer", "SY-homs-al-waer")]),
        ("Troops took Khalidiyah.", [("Khalidiyah", "SY-homs-khalidiya")]),
        ("An offensive in Homs’ Old City.", [("Homs’ Old City", "SY-homs-old-city")]),
        ("The Old City of Homs fell.", [("Old City of Homs", "SY-homs-old-city")]),
        ("Strikes near Tadmur.", [("Tadmur", "SY-palmyra")]),
        ("They took Talkalakh and Tel Kalakh.", [("Talkalakh", "SY-tel-kalakh"), ("Tel Kalakh", "SY-tel-kalakh")]),
        ("Fighting in Deir ez-Zor.", [("Deir ez-Zor", "SY-deir-ez-zor")]),
        ("HOMS, Syria", [("HOMS", "SY-homs"), ("Syria", "SY")]),
    ],
)
def test_places(gazetteer: Gazetteer, loaded: LoadedPipeline, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t, i) for t, _, i in _hits(gazetteer, loaded, text) if not i.startswith("nominal:")] == expected


def test_district_value_follows_acled_convention(gazetteer: Gazetteer) -> None:
    entry = gazetteer.get("SY-homs-al-waer")
    assert entry is not None and entry.label in ("GPE", "LOC", "FAC")
    assert entry.value == {
        "id": "SY-homs-al-waer", "name": "Homs - Al Waer", "kind": "place", "place_type": "district",
        "country": "Syria", "country_code": "SY", "admin1": "Homs", "admin2": "Homs", "parent": "SY-homs",
        "acled_location": "Homs - Al Waer", "lat": 34.739, "lon": 36.662, "coords": "approximate",
    }  # fmt: skip


def test_actors_and_case(gazetteer: Gazetteer, loaded: LoadedPipeline) -> None:
    text = (
        "The Syrian Observatory for Human Rights, SOHR, said the Observatory counted IS and ISIS fighters; "
        "it is the White Helmets who wear white helmets."
    )
    hits = [(t, label, i) for t, label, i in _hits(gazetteer, loaded, text) if not i.startswith("nominal:")]
    assert hits == [
        ("Syrian Observatory for Human Rights", "ORG", "sohr"),
        ("SOHR", "ORG", "sohr"),
        ("Observatory", "ORG", "sohr"),
        ("IS", "ORG", "islamic-state"),
        ("ISIS", "ORG", "islamic-state"),
        ("White Helmets", "ORG", "white-helmets"),
    ]


def test_coalition_is_external_forces(gazetteer: Gazetteer, loaded: LoadedPipeline) -> None:
    hits = _hits(gazetteer, loaded, "The US-led coalition said the coalition struck.")
    assert [(t, i) for t, _, i in hits] == [
        ("US-led coalition", "us-led-coalition"),
        ("the coalition", "us-led-coalition"),
    ]
    entry = gazetteer.get("us-led-coalition")
    assert entry is not None and entry.attrs["actor_type"] == "External/Other forces"


def test_names_overwrite_model_entities_nominals_only_fill_gaps(gazetteer: Gazetteer, loaded: LoadedPipeline) -> None:
    assert loaded.nlp is not None
    doc = loaded.nlp("Syrian troops drove insurgents from Khalidiya, the army said.")
    doc = gazetteer(doc)
    by_text = {e.text: (e.label_, e.id_) for e in doc.ents}
    assert by_text["Khalidiya"] == ("LOC", "SY-homs-khalidiya")
    assert by_text["troops"][0] == "PER" and by_text["army"][0] == "ORG"
    assert by_text["Syrian"][0] == "NORP"  # the model's entity stays where no name overlaps it


def test_bad_files(tmp_path: Path, loaded: LoadedPipeline, schema: Schema) -> None:
    assert loaded.nlp is not None
    labels = frozenset(schema.entity_types)
    (tmp_path / "a.yaml").write_text("names:\n  - {label: GPE, aliases: [Nowhere]}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="id and a name"):
        Gazetteer(loaded.nlp, tmp_path, labels)
    (tmp_path / "a.yaml").write_text("names: [\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer(loaded.nlp, tmp_path, labels)
    (tmp_path / "a.yaml").write_text(
        "names:\n  - {id: x, name: X, label: GPE, aliases: [Xville]}\n  - {id: x, name: Y, label: GPE, aliases: [Y]}\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="duplicate id"):
        Gazetteer(loaded.nlp, tmp_path, labels)


def test_labels_outside_the_schema_are_skipped(tmp_path: Path, loaded: LoadedPipeline) -> None:
    assert loaded.nlp is not None
    (tmp_path / "g.yaml").write_text(
        "names:\n  - {id: x, name: X, label: SHIP, aliases: [Xship]}\n"
        "  - {id: y, name: Y, label: GPE, aliases: [Yville]}\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer(loaded.nlp, tmp_path, frozenset({"GPE"}))
    assert list(gazetteer.entries) == ["y"]
