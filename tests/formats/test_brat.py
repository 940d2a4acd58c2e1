"""brat standoff: exports read by brat's own parser (bratsubset) and by pybrat; imports of real brat data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bratsubset.annotation import EventAnnotation, TextAnnotations, TextBoundAnnotation, split_role
from bratsubset.message import Messager
from bratsubset.projectconfig import ProjectConfiguration
from pybrat.parser import BratParser

from annotator.core.dto import Argument, DocumentRecord, Origin, ReadProblem, Status
from annotator.core.paths import PROJECT_ROOT
from annotator.core.schema import Schema, parse_schema, storage_name
from annotator.formats.brat import read_brat
from annotator.formats.brat_write import BratWriter
from annotator.formats.common import file_stem, without_rejected
from annotator.store.database import Database
from tests.formats.corpus import FIXTURES, GOLDEN, Doc, corpus, export, hard_offsets, read_tree, store, without_ids

TUTORIAL = FIXTURES / "brat-news-tutorial"


def brat_messages() -> list[tuple[str, str]]:
    """Drain brat's message queue (its parser reports problems there, not as exceptions)."""
    return [(m[0], m[1]) for m in Messager.output_json({})["messages"]]


def records_of(path: Path, schema: Schema | None = None) -> tuple[list[DocumentRecord], list[ReadProblem]]:
    items = list(read_brat(path, schema=schema))
    return [r for r in items if isinstance(r, DocumentRecord)], [p for p in items if isinstance(p, ReadProblem)]


def brat_text(text: str) -> str:
    """A span's text as brat shows it: line breaks split fragments, joined by one space."""
    return " ".join(text.replace("\r\n", "\n").split("\n"))


@pytest.fixture
def exported(project: Database, schema: Schema, tmp_path: Path) -> Path:
    export(project, schema, "brat", tmp_path / "brat")
    return tmp_path / "brat"


def test_brats_own_parser_reads_every_annotation_of_the_export(exported: Path) -> None:
    brat_messages()
    config = ProjectConfiguration(str(exported))
    for record in map(without_rejected, corpus()):
        path = exported / file_stem(record.doc_id)
        assert (exported / f"{path.name}.txt").read_bytes() == record.text.encode("utf-8")  # CRLF and all
        ann = TextAnnotations(str(path), read_only=True)
        assert ann.failed_lines == []
        assert [m for m in brat_messages() if m[1] == "error"] == []
        bound = {a.id: a for a in ann.get_textbounds()}
        for tb in bound.values():  # brat checked each text field against its own reading of the .txt
            assert tb.text == " ".join(ann.get_document_text()[s:e] for s, e in tb.spans)
        events = list(ann.get_events())
        triggers = {e.trigger for e in events}
        entities = sorted((tb.type, tb.text) for tb in bound.values() if tb.id not in triggers)
        assert entities == sorted((storage_name(e.label), brat_text(e.text)) for e in record.entities)
        texts = {e.id: e.text for e in record.entities}
        got = sorted(
            (ev.type, bound[ev.trigger].text, tuple(sorted((split_role(r)[0], bound[t].text) for r, t in ev.args)))
            for ev in events
        )
        want = sorted(
            (
                storage_name(ev.type),
                ev.trigger_text,
                tuple(sorted((a.role, brat_text(texts[a.entity_id or 0])) for a in ev.arguments)),
            )
            for ev in record.events
        )
        assert got == want
        for ev in events:  # what brat's verify_annotations checks: roles, their counts, mandatory ones
            roles = [split_role(r)[0] for r, _ in ev.args]
            for role in set(roles):
                assert config.argument_maximum_count(ev.type, role) >= roles.count(role), (ev.type, role)
            assert set(config.mandatory_arguments(ev.type)) <= set(roles)
        for attribute in ann.get_attributes():
            assert attribute.type in config.attributes_for(ann.get_ann_by_id(attribute.target).type)
    assert {"PER", "GPE", "LOC", "TIME"} <= set(config.get_entity_types())
    assert {"Conflict_Attack", "Life_Die", "X_Conflict_ChangeOfControl"} <= set(config.get_event_types())
    assert config.span_can_contain("LOC", "GPE")  # nesting and overlap are declared as allowed


def test_brat_export_keeps_numbered_roles_attributes_notes_and_normalizations(exported: Path) -> None:
    ann = TextAnnotations(str(exported / "homs-airstrikes"), read_only=True)
    attack = next(e for e in ann.get_events() if isinstance(e, EventAnnotation) and e.type == "Conflict_Attack")
    assert [r for r, _ in attack.args] == ["Attacker", "Attacker2", "Target", "Place"]
    values = {(a.type, a.value) for a in ann.get_attributes() if a.target == attack.id}
    assert values == {("attack_mode", "air_drone_strike"), ("modality", "Other")}
    notes = {(n.type, n.tail.strip()) for n in ann.get_oneline_comments() if n.target == attack.id}
    assert ("AnnotatorNotes", "Perpetrator presumed, not confirmed.") in notes
    [norm] = [n for n in ann.get_normalizations() if n.refdb == "GeoNames"]
    target = ann.get_ann_by_id(norm.target)
    assert isinstance(target, TextBoundAnnotation)
    assert (norm.refdb, norm.refid, target.get_text()) == ("GeoNames", "0000000", "al-Waer neighborhood")
    [equiv] = ann.get_equivs()
    assert equiv.type == "Coref" and len(equiv.entities) == 2


def test_pybrat_reads_entities_and_events_of_the_export(exported: Path) -> None:
    # pybrat drops role names and attributes (checked above with brat's own parser); its equivalence
    # pattern only knows the type "Equiv", so '*' lines are left to bratsubset.
    examples = {e.id: e for e in BratParser(ignore_types=["*"], error="raise").parse(exported)}
    for record in map(without_rejected, corpus()):
        example = examples[file_stem(record.doc_id)]
        for entity in example.entities:
            assert entity.mention == " ".join(example.text[s.start : s.end] for s in entity.spans)
        spans = sorted((e.type, e.mention) for e in example.entities)
        want = [(storage_name(e.label), brat_text(e.text)) for e in record.entities]
        triggers = {(ev.type, ev.trigger_start, ev.trigger_end): ev.trigger_text for ev in record.events}
        want += [(storage_name(etype), text) for (etype, _, _), text in triggers.items()]  # shared triggers once
        assert spans == sorted(want)
        got = sorted((ev.type, ev.trigger.mention, len(ev.arguments)) for ev in example.events)
        assert got == sorted((storage_name(ev.type), ev.trigger_text, len(ev.arguments)) for ev in record.events)
        relations = sorted((r.type, r.arg1.mention, r.arg2.mention) for r in example.relations)
        texts = {e.id: e.text for e in record.entities}
        plain = [r for r in record.relations if not r.attrs.get("equivalence")]
        assert relations == sorted((r.type, texts[r.arg1], texts[r.arg2]) for r in plain)


def test_brat_export_imports_back_unchanged_and_exports_the_same_bytes(
    exported: Path, schema: Schema, tmp_path: Path
) -> None:
    records, problems = records_of(exported)  # as `annotator import` reads it: the folder's own configuration
    assert [p for p in problems if p.severity == "error"] == []
    # Only the covering span of the line-crossing "Syrian\r\nArmy" is reported (brat splits it in two).
    [problem] = problems
    assert "discontinuous ORG span" in problem.message and "held as its covering span" in problem.message
    expected = {r.doc_id: without_ids(without_rejected(r)) for r in corpus()}
    for record in records:
        want = expected[record.doc_id]
        assert without_ids(record).entities == want.entities
        assert without_ids(record).events == want.events
        assert without_ids(record).relations == want.relations
        assert record.text == want.text
    again = Database("sqlite:///" + str(tmp_path / "again.sqlite3"))
    store(again, records)
    export(again, schema, "brat", tmp_path / "again")
    first, second = read_tree(exported), read_tree(tmp_path / "again")
    first.pop("DATASET.md"), second.pop("DATASET.md")
    assert first == second
    again.dispose()


def test_brat_news_tutorial_imports_whole(tmp_path: Path) -> None:
    records, problems = records_of(TUTORIAL)
    assert [(Path(p.path).name, p.severity) for p in problems] == [("SOURCE.txt", "warning")]
    docs = {r.doc_id: r for r in records}
    assert sorted(docs) == [
        "060-relation_annotation",
        "080-event-annotation",
        "090-event_structures",
        "100-attribute_annotation",
        "110-note_annotation",
    ]
    relations = docs["060-relation_annotation"]
    alias = [r for r in relations.relations if r.type == "Alias"]
    names = {e.id: e.text for e in relations.entities}
    assert [(names[r.arg1], names[r.arg2], r.attrs) for r in alias] == [
        ("Joanne Rowling", "Jo Rowling", {"equivalence": True}),
        ("Jo Rowling", "J. K. Rowling", {"equivalence": True}),
    ]
    assert [(r.type, names[r.arg1], names[r.arg2]) for r in relations.relations if r.type == "Located"] == [
        ("Located", "Terry Pratchett", "England")
    ]
    merge = docs["080-event-annotation"]
    orgs = {e.id: e.text for e in merge.entities}
    e3 = next(e for e in merge.events if e.trigger_start == 382)
    assert [(a.role, orgs[a.entity_id or 0]) for a in e3.arguments] == [
        ("Org-Arg", "Amazon"),
        ("Org-Arg", "Apple"),
        ("Org-Arg", "Google"),
        ("Org-Arg", "Facebook"),
    ]
    nested = docs["090-event_structures"]
    reports = {e.id: e for e in nested.events}
    event = next(e for e in nested.events if e.trigger_text == "told")
    chain = [event.trigger_text]
    while (inner := next((a.event_id for a in event.arguments if a.event_id), None)) is not None:
        event = reports[inner]
        chain.append(event.trigger_text)
    assert chain == ["told", "posted", "reported", "merged"]  # E3 -> E4 -> E5 -> E6, each an Event-Arg
    attributes = docs["100-attribute_annotation"]
    assert sorted(str(e.attrs["Confidence"]) for e in attributes.events if "Confidence" in e.attrs) == [
        "High",
        "Low",
        "Neutral",
        "Neutral",
        "Neutral",
    ]
    assert [e.text for e in attributes.entities if e.attrs.get("Individual") is True] == ["Somebody"]
    notes = docs["110-note_annotation"]
    noted = [
        *(e.text for e in notes.entities if "notes" in e.attrs),
        *(e.trigger_text for e in notes.events if "notes" in e.attrs),
        *(r.type for r in notes.relations if "notes" in r.attrs),
    ]
    assert noted == ["Discworld", "merged", "Family"]
    counts = {d: (len(r.entities), len(r.events), len(r.relations)) for d, r in docs.items()}
    assert counts == {
        "060-relation_annotation": (10, 0, 3),
        "080-event-annotation": (17, 4, 0),
        "090-event_structures": (16, 6, 0),
        "100-attribute_annotation": (16, 10, 0),
        "110-note_annotation": (12, 2, 2),
    }


def test_brat_news_tutorial_round_trips_through_the_project(schema: Schema, db: Database, tmp_path: Path) -> None:
    records, _ = records_of(TUTORIAL)
    store(db, records)
    export(db, schema, "brat", tmp_path / "out")
    brat_messages()
    config = ProjectConfiguration(str(tmp_path / "out"))
    assert {"Merge-org", "Report"} <= set(config.get_event_types())
    assert "Alias" in config.get_equiv_types()
    for record in records:
        ann = TextAnnotations(str(tmp_path / "out" / record.doc_id), read_only=True)
        assert ann.failed_lines == []
        assert [m for m in brat_messages() if m[1] == "error"] == []
    again, problems = records_of(tmp_path / "out")
    assert problems == []
    assert [without_ids(r).events for r in again] == [without_ids(r).events for r in records]
    assert [without_ids(r).entities for r in again] == [without_ids(r).entities for r in records]
    assert [without_ids(r).relations for r in again] == [without_ids(r).relations for r in records]
    assert " Org-Arg4:T" in (tmp_path / "out" / "080-event-annotation.ann").read_text(encoding="utf-8")


CONF = """[entities]
Organization
GPE
Date
[relations]
Cause Arg1:<ANY>, Arg2:<ANY>
[events]
Merge-org Org-Arg+:Organization
Report Event-Arg:<EVENT>
[attributes]
"""


def write_brat(folder: Path, docs: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir()
    (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    for name, (text, ann) in docs.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        (folder / f"{name}.ann").write_text(ann, encoding="utf-8", newline="")
    return folder


TEXT = "Google and YouTube merged in New York in 2006. Reuters reported it."


def test_what_the_model_cannot_hold_is_reported_by_name(tmp_path: Path) -> None:
    ann = (
        "T1\tOrganization 0 6\tGoogle\n"
        "T2\tOrganization 11 18\tYouTube\n"
        "T3\tMerge-org 19 25\tmerged\n"
        "E1\tMerge-org:T3 Org-Arg:T1 Org-Arg2:T2\n"
        "T4\tOrganization 0 6;11 18\tGoogle YouTube\n"
        "T5\tGPE 29 32;33 37\tNew York\n"
        "T6\tReport 55 63\treported\n"
        "R1\tCause Arg1:E1 Arg2:T1\n"
        "N1\tReference E1 Wikidata:Q95\tmerger\n"
        "A1\tNegation T4\n"
    )
    [record], problems = records_of(write_brat(tmp_path / "b", {"doc": (TEXT, ann)}))
    assert [(p.line, p.severity) for p in problems] == [
        (5, "warning"),
        (6, "warning"),
        (7, "warning"),
        (8, "warning"),
        (9, "warning"),
        (10, "warning"),
    ]
    messages = [p.message for p in problems]
    assert "T4: discontinuous Organization span 0 6;11 18 'Google YouTube' not held" in messages[0]
    assert messages[1].startswith("T5: discontinuous GPE span 29 32;33 37 held as its covering span")
    assert messages[2] == "T6: Report trigger 'reported' has no event (E line); not held"
    assert "R1 Cause: E1 is not a held entity mention" in messages[3]
    assert messages[4] == "N1: normalization of E1 not held (only entity mentions have one)"
    assert messages[5] == "A1 Negation: not held, as T4 is not"
    assert all(p.path.endswith("doc.ann") and p.doc_id == "doc" for p in problems)
    assert [(e.label, e.text) for e in record.entities] == [
        ("Organization", "Google"),
        ("Organization", "YouTube"),
        ("GPE", "New York"),
    ]
    assert [(a.role, a.entity_id) for a in record.events[0].arguments] == [("Org-Arg", 1), ("Org-Arg", 2)]


MALFORMED: dict[str, tuple[str, int, str]] = {
    "past-end": ("T1\tOrganization 0 6\tGoogle\nT2\tOrganization 60 90\tReuters it\n", 2, "past the end of the text"),
    "mismatch": ("T1\tOrganization 0 6\tGoogle\nT2\tOrganization 11 18\tYahoo!!\n", 2, "does not match"),
    "unknown": ("T1\tOrganization 0 6\tGoogle\nT2\tCompany 11 18\tYouTube\n", 2, "unknown label 'Company'"),
    "truncated": ("T1\tOrganization 0 6\tGoogle\nT2\tOrganization 11", 2, "malformed line"),
    "dangling": (
        "T1\tOrganization 0 6\tGoogle\nT3\tMerge-org 19 25\tmerged\nE1\tMerge-org:T3 Org-Arg:T9\n",
        3,
        "points at T9, which is not in the file",
    ),
    "no-tab": ("T1 Organization 0 6 Google\n", 1, "not a brat annotation line"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_brat_documents_are_reported_with_file_and_line_and_skipped_whole(name: str, tmp_path: Path) -> None:
    ann, line, message = MALFORMED[name]
    good = "T1\tOrganization 0 6\tGoogle\nT2\tOrganization 11 18\tYouTube\n"
    records, problems = records_of(write_brat(tmp_path / "b", {name: (TEXT, ann), "zz-good": (TEXT, good)}))
    assert [r.doc_id for r in records] == ["zz-good"]
    [problem] = problems
    assert (Path(problem.path).name, problem.line, problem.severity) == (f"{name}.ann", line, "error")
    assert message in problem.message


def test_a_single_pair_and_crlf_offsets_read_as_brat_counts_them(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    text = "Activists 🇸🇾 said\r\nnine civilians died.\r\n"
    (folder / "x.txt").write_bytes(text.encode("utf-8"))
    start = text.index("nine")  # 19 code points in; brat reads the CR LF before it as one character
    (folder / "x.ann").write_text(f"T1\tPER {start - 1} {start - 1 + 14}\tnine civilians\n", encoding="utf-8")
    [record], problems = records_of(folder / "x.ann")
    assert problems == []
    [entity] = record.entities
    assert (entity.start, entity.end, entity.text) == (start, start + 14, "nine civilians")


def test_type_names_brat_cannot_store_come_back_from_our_visual_conf(
    db: Database, schema: Schema, tmp_path: Path
) -> None:
    doc = Doc("d", "The Free Syrian Army entered al-Waer.")
    army, place = doc.ent("Free Syrian Army", "Armed group"), doc.ent("al-Waer", "LOC")
    doc.event("entered", "Movement.Transport", [("Agent", army), ("Destination", place)])
    doc.rel("located in", army, place)
    store(db, [doc.record()])
    export(db, schema, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / "d.ann").read_text(encoding="utf-8")
    assert "T1\tArmed_group 4 20\tFree Syrian Army" in ann and "Movement_Transport:T3" in ann
    assert "R1\tlocated_in Arg1:T1 Arg2:T2" in ann
    [record], problems = records_of(tmp_path / "out")
    assert problems == []
    assert without_ids(record).entities == without_ids(doc.record()).entities
    assert (record.events[0].type, record.relations[0].type) == ("Movement.Transport", "located in")


def test_normalised_values_are_n_lines_brat_reads(exported: Path) -> None:
    """Gazetteer entries, GeoNames ids, coordinates and dates show in brat as N lines of resources the generated
    tools.conf declares; brat's parser and pybrat both find them on their mentions."""
    brat_messages()
    config = ProjectConfiguration(str(exported))
    declared = {name: (url, base) for name, url, base, _db in config.get_normalization_config()}
    assert [m for m in brat_messages() if m[1] in ("error", "warning")] == []
    assert set(declared) == {"Gazetteer", "GeoNames", "ISO8601", "OpenStreetMap"}
    assert declared["OpenStreetMap"][1] == "https://www.openstreetmap.org/#map=12/%s"
    assert declared["GeoNames"][1] == "https://www.geonames.org/%s"
    assert declared["Gazetteer"] == ("urn:x-annotator:gazetteer", None)  # no page per id
    shown = set()
    for record in corpus():
        ann = TextAnnotations(str(exported / file_stem(record.doc_id)), read_only=True)
        assert ann.failed_lines == []
        shown |= {
            (n.refdb, n.refid, ann.get_ann_by_id(n.target).get_text(), n.tail.strip()) for n in ann.get_normalizations()
        }
    assert ("ISO8601", "2017-02-08", "today", "2017-02-08") in shown
    assert ("OpenStreetMap", "34.72405/36.72559", "Homs", "Homs") in shown
    assert ("Gazetteer", "syria-military", "Syrian Army", "Military Forces of Syria") in shown
    assert ("Gazetteer", "SY-homs-khalidiya", "Khalidiya", "Homs - Khalidiya") in shown
    assert ("OpenStreetMap", "34.74500/36.71300", "Khalidiya", "Homs - Khalidiya") in shown
    assert ("GeoNames", "0000000", "al-Waer neighborhood", "Al Waer") in shown  # the data's own stay as they were
    examples = {e.id: e for e in BratParser(ignore_types=["*"], error="raise").parse(exported)}
    army = next(e for e in examples[file_stem(hard_offsets().doc_id)].entities if e.type == "ORG")
    assert [(r.rid, r.eid, r.entry) for r in army.references] == [
        ("Gazetteer", "syria-military", "Military Forces of Syria")
    ]


def test_n_lines_of_our_resources_read_back_without_the_data_note(exported: Path, tmp_path: Path) -> None:
    """A file made or edited in brat has no AnnotatorData note: the gazetteer id and date come from the N lines."""
    for ann in exported.glob("*.ann"):
        kept = [line for line in ann.read_text(encoding="utf-8").splitlines() if "\tAnnotatorData " not in line]
        ann.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    records, _ = records_of(exported)
    hard = next(r for r in records if r.doc_id == hard_offsets().doc_id)
    values = {e.text: e.normalized for e in hard.entities if e.normalized}
    assert values["Syrian\r\nArmy"] == {"id": "syria-military", "name": "Military Forces of Syria"}
    assert values["Khalidiya"] == {"id": "SY-homs-khalidiya", "name": "Homs - Khalidiya", "lat": 34.745, "lon": 36.713}
    assert values["Monday"] == {"value": "2014-02-03", "precision": "day"}
    homs = next(r for r in records if r.doc_id == "homs-airstrikes")
    values = {e.text: e.normalized for e in homs.entities if e.normalized}
    assert values["Homs"] == {"name": "Homs", "lat": 34.72405, "lon": 36.72559}
    assert values["al-Waer neighborhood"] == {"refs": [{"db": "GeoNames", "id": "0000000", "text": "Al Waer"}]}
    d1 = tmp_path / "d1"
    d1.mkdir()
    (d1 / "D1.txt").write_bytes((GOLDEN / "brat" / "D1.txt").read_bytes())
    kept = [line for line in (GOLDEN / "brat" / "D1.ann").read_text(encoding="utf-8").splitlines() if line[0] in "TEN"]
    (d1 / "D1.ann").write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    [record], _ = records_of(d1)
    [homs_city] = [e.normalized for e in record.entities if e.text == "Homs"]
    assert homs_city == {"id": "SY-homs", "name": "Homs", "geonameid": 169577, "lat": 34.72405, "lon": 36.72559}


def test_references_to_our_resources_that_are_not_the_value_round_trip(
    db: Database, schema: Schema, tmp_path: Path
) -> None:
    """A reference the data brought under one of our resource names stays a reference, not a value."""
    d = Doc("refs", "Fighters of the Islamic State group attacked Homs.")
    ref = {"db": "Gazetteer", "id": "islamic-state", "text": "Islamic State"}
    d.ent("Islamic State group", "ORG", normalized={"refs": [ref]})
    store(db, [d.record()])
    export(db, schema, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / "refs.ann").read_text(encoding="utf-8")
    assert "N1\tReference T1 Gazetteer:islamic-state\tIslamic State\n" in ann
    assert "Gazetteer\t<URL>:" in (tmp_path / "out" / "tools.conf").read_text(encoding="utf-8")
    [record], problems = records_of(tmp_path / "out")
    assert problems == []
    assert record.entities[0].normalized == {"refs": [ref]}


def test_free_text_attributes_are_notes_not_attribute_values(exported: Path) -> None:
    ann = TextAnnotations(str(exported / "homs-airstrikes"), read_only=True)
    attack = next(e for e in ann.get_events() if isinstance(e, EventAnnotation) and e.type == "Conflict_Attack")
    notes = {(n.type, n.tail.strip()) for n in ann.get_oneline_comments() if n.target == attack.id}
    assert ("attribution", "local activists") in notes
    assert all(a.type != "attribution" for a in ann.get_attributes())
    assert "attribution" not in (exported / "annotation.conf").read_text(encoding="utf-8")


def _suggestions() -> Doc:
    """A reviewed complete death, and two model suggestions: a death without its Victim, a complete one."""
    d = Doc("suggested", "Airstrikes killed many in Idlib. Nine civilians died in Homs. Five men were killed.")
    idlib = d.ent("Idlib", "GPE", origin="model", status="suggested")
    nine = d.ent("Nine civilians", "PER", origin="model", status="suggested")
    five = d.ent("Five men", "PER")
    d.event("killed", "Life.Die", [("Place", idlib)], origin="model", status="suggested")
    d.event("died", "Life.Die", [("Victim", nine)], origin="model", status="suggested")
    d.event("killed", "Life.Die", [("Victim", five)], nth=1)
    return d


def _validation(folder: Path) -> tuple[dict[str, set[str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """brat's view of the export: the mandatory roles of each event type, the events (trigger text, type) missing
    one (what its validation flags), and the IncompleteSuggestion notes."""
    brat_messages()
    config = ProjectConfiguration(str(folder))
    ann = TextAnnotations(str(folder / "suggested"), read_only=True)
    assert [m for m in brat_messages() if m[1] == "error"] == []
    mandatory = {t: set(config.mandatory_arguments(t)) for t in config.get_event_types()}
    flagged = [
        (ann.get_ann_by_id(ev.trigger).get_text(), ev.type)
        for ev in ann.get_events()
        if not mandatory[ev.type] <= {split_role(r)[0] for r, _ in ev.args}
    ]
    notes = [(n.target, n.tail.strip()) for n in ann.get_oneline_comments() if n.type == "IncompleteSuggestion"]
    return mandatory, flagged, notes


def test_the_model_layer_relaxes_only_the_roles_its_suggestions_lack(db: Database, tmp_path: Path) -> None:
    """All suggestions: the Victim they lack is optional, so brat's validation loads them clean; the Agent the
    schema (here) also requires stays required, other types keep the schema's cardinality, and the suggestion's
    note says what it lacks."""
    text = (PROJECT_ROOT / "resources" / "schemas" / "conflict-events.yaml").read_text(encoding="utf-8")
    die = "      Agent*: [PER, ORG, GPE]\n      Victim+: [PER]"
    schema = parse_schema(text.replace(die, die.replace("Agent*", "Agent+"), 1))
    d = _suggestions()
    army = d.ent("Airstrikes", "ORG", origin="model", status="suggested")
    d.events = [replace(e, arguments=(*e.arguments, Argument(role="Agent", entity_id=army))) for e in d.events]
    store(db, [d.record()], annotator="model")
    export(db, schema, "brat", tmp_path / "model", layer="model")
    mandatory, flagged, notes = _validation(tmp_path / "model")
    assert flagged == []
    assert mandatory["Life_Die"] == {"Agent"}
    assert mandatory["Life_Injure"] == {"Victim"} and mandatory["X_Conflict_ChangeOfControl"] == {"Place"}
    conf = (tmp_path / "model" / "annotation.conf").read_text(encoding="utf-8")
    assert "\nLife_Die\tAgent+:PER|ORG|GPE, Victim*:PER, Instrument*:WEA|VEH, Place?:GPE|LOC|FAC, Time?:TIME\n" in conf
    assert notes == [("E1", "not reviewed; lacks required role(s): Victim")]
    records, _ = records_of(tmp_path / "model")
    assert all("notes" not in ev.attrs for ev in records[0].events)  # the note is not read back as data


def test_a_persons_layer_keeps_the_schemas_cardinality(db: Database, schema: Schema, tmp_path: Path) -> None:
    """Suggestions exported beside reviewed events do not relax validation: brat flags the incomplete one,
    which the note and the export's report name, and still checks every reviewed event."""
    store(db, [_suggestions().record()], annotator="alice")
    result = export(db, schema, "brat", tmp_path / "alice", layer="alice", include_suggestions=True)
    mandatory, flagged, notes = _validation(tmp_path / "alice")
    assert mandatory["Life_Die"] == {"Victim"}
    assert flagged == [("killed", "Life_Die")]
    assert notes == [("E1", "not reviewed; lacks required role(s): Victim")]
    assert "suggested: unreviewed suggestion Life.Die 'killed' lacks Victim; noted, and brat's validation flags it" in (
        result.problems
    )
    reviewed = export(db, schema, "brat", tmp_path / "reviewed", layer="alice", include_suggestions=False)
    assert _validation(tmp_path / "reviewed") == ({**mandatory}, [], [])
    assert not any("unreviewed suggestion" in p for p in reviewed.problems)


def test_each_missing_role_and_each_unnumberable_repeat_is_named(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / "resources" / "schemas" / "conflict-events.yaml").read_text(encoding="utf-8")
    die = "      Agent*: [PER, ORG, GPE]\n      Victim+: [PER]"
    schema = parse_schema(text.replace(die, die.replace("Agent*", "Agent+"), 1))
    d = Doc("d", "Rebels shot two men and a boy in Idlib.")
    rebels, men, boy = d.ent("Rebels", "ORG"), d.ent("two men", "PER"), d.ent("a boy", "PER")
    d.event("shot", "Life.Die", [], origin="model", status="suggested")
    d.event("shot", "Conflict.Attack", [("Target1", men)])  # a role ending in a digit, once: brat is fine
    d.event("shot", "Conflict.Attack", [("Attacker", rebels), ("Target1", men), ("Target1", boy)])
    problems = BratWriter(tmp_path, schema).write(d.record(), None)
    assert problems == [
        "d: role Target1 ends in a digit, so brat cannot number its repeats",
        "d: unreviewed suggestion Life.Die 'shot' lacks Agent, Victim; noted, and brat's validation flags it",
    ]


def test_a_relation_type_used_as_equivalence_and_as_plain_relation_is_declared_both_ways(
    schema: Schema, tmp_path: Path
) -> None:
    d = Doc("d", "Joanne Rowling, also Jo Rowling, met Terry Pratchett.")
    joanne, jo, terry = d.ent("Joanne Rowling", "PER"), d.ent("Jo Rowling", "PER"), d.ent("Terry Pratchett", "PER")
    d.rel("Alias", joanne, jo, attrs={"equivalence": True})
    d.rel("Alias", jo, terry)
    writer = BratWriter(tmp_path, schema)
    assert writer.write(d.record(), None) == []
    writer.close()
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert [line for line in conf if line.startswith("Alias")] == [
        "Alias\tArg1:PER, Arg2:PER",
        "Alias\tArg1:PER, Arg2:PER, <REL-TYPE>:symmetric-transitive",
    ]
    [record], problems = records_of(tmp_path)
    assert problems == []
    assert [(r.type, r.arg1, r.arg2, r.attrs) for r in without_ids(record).relations] == [
        (r.type, r.arg1, r.arg2, r.attrs) for r in without_ids(d.record()).relations
    ]


def test_each_set_of_equivalent_spans_is_one_star_line(schema: Schema, tmp_path: Path) -> None:
    """Equivalences chain into sets (A~B, B~E: one set); sets that share no span stay apart."""
    d = Doc("d", "Joanne Rowling, Jo Rowling, Terry Pratchett, Pratchett, J. K. Rowling.")
    joanne, jo, terry = d.ent("Joanne Rowling", "PER"), d.ent("Jo Rowling", "PER"), d.ent("Terry Pratchett", "PER")
    pratchett, jk = d.ent("Pratchett", "PER"), d.ent("J. K. Rowling", "PER")
    d.rel("Alias", joanne, jo, attrs={"equivalence": True})
    d.rel("Alias", terry, pratchett, attrs={"equivalence": True})
    d.rel("Alias", jo, jk, attrs={"equivalence": True})
    writer = BratWriter(tmp_path, schema)
    assert writer.write(d.record(), None) == []
    writer.close()
    ann = (tmp_path / "d.ann").read_text(encoding="utf-8").splitlines()
    assert [line for line in ann if line.startswith("*")] == [
        f"*\tAlias T{joanne} T{jo} T{jk}",
        f"*\tAlias T{terry} T{pratchett}",
    ]


def test_who_made_an_annotation_and_its_review_come_back_unless_a_person_accepted_it(
    schema: Schema, tmp_path: Path
) -> None:
    """A model's accepted suggestion and a person's unreviewed one are both kept as they are."""
    d = Doc("d", "Rebels shot two soldiers and a guard; a boy died.")
    kinds = [(Origin.MODEL, Status.ACCEPTED), (Origin.HUMAN, Status.SUGGESTED), (Origin.HUMAN, Status.ACCEPTED)]
    rebels = d.ent("Rebels", "ORG", origin=kinds[0][0], status=kinds[0][1])
    d.ent("two soldiers", "PER", origin=kinds[1][0], status=kinds[1][1])
    d.ent("a guard", "PER", origin=kinds[2][0], status=kinds[2][1])
    boy = d.ent("a boy", "PER")
    d.event("shot", "Conflict.Attack", [("Attacker", rebels)], origin=kinds[0][0], status=kinds[0][1])
    d.event("died", "Life.Die", [("Victim", boy)], origin=kinds[1][0], status=kinds[1][1])
    writer = BratWriter(tmp_path, schema)
    writer.write(d.record(), None)
    writer.close()
    ann = (tmp_path / "d.ann").read_text(encoding="utf-8")
    [record], _ = records_of(tmp_path)
    assert [(e.text, e.origin, e.status) for e in record.entities] == [
        ("Rebels", *kinds[0]),
        ("two soldiers", *kinds[1]),
        ("a guard", *kinds[2]),
        ("a boy", Origin.HUMAN, Status.ACCEPTED),
    ]
    assert [(ev.trigger_text, ev.origin, ev.status) for ev in record.events] == [
        ("shot", *kinds[0]),
        ("died", *kinds[1]),
    ]
    assert ann.count('"origin"') == 4  # a person's accepted annotation needs no data note for it


def test_a_reference_whose_id_brat_cannot_hold_stays_in_the_data_note(
    db: Database, schema: Schema, tmp_path: Path
) -> None:
    ref = {"db": "Wikidata", "id": "Q 42", "text": "Douglas Adams"}
    d = Doc("refs", "Douglas Adams wrote it.")
    d.ent("Douglas Adams", "PER", normalized={"refs": [ref]})
    store(db, [d.record()])
    export(db, schema, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / "refs.ann").read_text(encoding="utf-8")
    assert "\tReference " not in ann
    [record], problems = records_of(tmp_path / "out")
    assert problems == []
    assert record.entities[0].normalized == {"refs": [ref]}
