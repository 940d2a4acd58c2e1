"""Adjudication into gold: alignment of versions, automatic agreements, decisions by key, undo, status, export."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.dto import GOLD, Changes, DocStatus, DocumentRecord
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.adjudication import AdjudicationService
from annotator.services.adjudication_run import adjudicate_project
from annotator.services.alignment import NOT_VOTING, Item, ItemKind, align
from annotator.services.annotate import AnnotationService
from annotator.services.export import _gold_decisions, export_dataset
from annotator.store.database import Database
from tests.formats.corpus import Doc
from tests.services.agreement_corpus import D1, alice, bob, build

ALICE, BOB = 0, 1


@pytest.fixture
def pair(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Database:
    database = Database("sqlite:///" + build(capsys, tmp_path, ("alice", "bob")))
    yield database  # type: ignore[misc]
    database.dispose()


@pytest.fixture
def trio(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Database:
    """Alice, Bob and Carol with their finished layers of tests/services/agreement_corpus.py."""
    database = Database("sqlite:///" + build(capsys, tmp_path))
    yield database  # type: ignore[misc]
    database.dispose()


def doc_id(db: Database, external: str) -> int:
    from sqlalchemy import select

    from annotator.store import models as m

    with db.reader() as session:
        return int(session.scalar(select(m.Document.id).where(m.Document.external_id == external)))


def gold(db: Database, document_id: int) -> DocumentRecord:
    with db.reader() as session:
        return records.load_record(session, document_id, records.annotator_id(session, GOLD))


def spans(record: DocumentRecord) -> set[tuple[str, str, str]]:
    return {(e.text, e.label, e.status) for e in record.entities}


def row(service: AdjudicationService, document_id: int, kind: str, text: str, name: str = ""):  # type: ignore[no-untyped-def]
    state = service.state(document_id)
    found = [r for r in state.rows if r.kind == kind and r.name == name and text in state.text[r.start : r.end]]
    assert len(found) == 1, [(r.kind, r.name, state.text[r.start : r.end]) for r in state.rows]
    return found[0]


@pytest.mark.parametrize(
    ("versions", "min_agree", "expected"),
    [
        (("ORG", "ORG", "PER"), 2, (True, "ORG")),
        (("ORG", "ORG", "PER", "PER"), 2, (False, None)),  # a tie between two versions has no winner
        (("ORG", "PER"), 1, (False, None)),
        (("ORG", "PER", "LOC"), 1, (False, None)),
        (("ORG", "ORG", "PER", "LOC"), 2, (True, "ORG")),
        (("ORG", "ORG"), 3, (False, None)),  # too few agree
        (("ORG", NOT_VOTING, NOT_VOTING), 1, (True, "ORG")),  # people without the event do not vote
        ((NOT_VOTING, NOT_VOTING), 1, (False, None)),
        ((None, None, "ORG"), 2, (True, None)),  # "nothing here" can win too
    ],
)
def test_the_winner_is_the_version_most_chose_with_enough_votes_and_no_tie(
    versions: tuple[object, ...], min_agree: int, expected: tuple[bool, object]
) -> None:
    item = Item("entity 0-3", ItemKind.LABEL, 0, "", 0, 3, versions, None, decided=False, agreed=False)
    assert item.winner(min_agree) == expected


def test_alignment_pairs_overlapping_versions_and_lists_every_kind() -> None:
    a, b = alice()[0].record(), bob()[0].record()
    al = align(["alice", "bob"], [a, b], None)
    by_kind = {(i.kind, i.name, D1[i.start : i.end]) for i in al.disagreements}
    assert (ItemKind.SPAN, "", "Russian jets") in by_kind  # jets inside Russian jets: one unit
    assert (ItemKind.LABEL, "", "Homs") in by_kind
    assert (ItemKind.SPAN, "", "nine civilians") in by_kind
    assert (ItemKind.ROLE, "Instrument", "bombed") in by_kind
    assert (ItemKind.ROLE, "Target", "bombed") in by_kind
    assert (ItemKind.ATTRIBUTE, "polarity", "bombed") in by_kind
    assert (ItemKind.FATALITIES, "", "killing") in by_kind
    agreed = {D1[i.start : i.end] for i in al.items if i.agreed}
    assert {"al-Waer", "Tuesday", "bombed", "killing"} <= agreed
    assert len(al.entity_units) == 5  # a unit holds at most one span per person
    assert all(len(unit) <= 2 for unit in al.entity_units)


def test_nested_spans_of_one_person_stay_in_units_of_their_own() -> None:
    text = "Shelling hit Homs' Old City on Friday."
    a = Doc("n", text)
    a.ent("Homs' Old City", "LOC")
    a.ent("Homs", "GPE")
    b = Doc("n", text)
    b.ent("Old City", "LOC")
    b.ent("Homs", "GPE")
    al = align(["alice", "bob"], [a.record(), b.record()], None)
    units = sorted(tuple(sorted((k, text[e.start : e.end]) for k, e in u.items())) for u in al.entity_units)
    assert units == [((0, "Homs"), (1, "Homs")), ((0, "Homs' Old City"), (1, "Old City"))]
    assert [i.kind for i in al.disagreements] == [ItemKind.SPAN]
    # Bob's span overlaps two of Alice's: it pairs with the longer overlap, the other stays alone
    text = "Strikes hit the al-Waer district of Homs city."
    a, b = Doc("n", text), Doc("n", text)
    a.ent("al-Waer district", "LOC")
    a.ent("Homs city", "GPE")
    b.ent("district of Homs", "LOC")
    al = align(["alice", "bob"], [a.record(), b.record()], None)
    units = sorted(tuple(sorted((k, text[e.start : e.end]) for k, e in u.items())) for u in al.entity_units)
    assert units == [((0, "Homs city"),), ((0, "al-Waer district"), (1, "district of Homs"))]


def test_items_follow_the_text_and_two_labels_on_one_span_keep_apart() -> None:
    text = "Homs was shelled as Homs residents fled."
    a, b = Doc("n", text), Doc("n", text)
    a.ent("Homs", "GPE")
    a.ent("Homs", "LOC")  # alice labelled the same word twice
    a.ent("Homs", "GPE", nth=1)
    b.ent("Homs", "GPE")
    b.ent("Homs", "GPE", nth=1)
    a.event("shelled", "Conflict.Attack", [])
    b.event("shelled", "Conflict.Attack", [])
    al = align(["alice", "bob"], [a.record(), b.record()], None)
    assert [(i.key, i.kind, i.agreed) for i in al.items] == [
        ("entity 0-4", ItemKind.LABEL, True),
        ("entity 0-4 #2", ItemKind.SPAN, False),  # a key of its own, so deciding one does not decide the other
        ("event 9-16", ItemKind.EVENT_TYPE, True),  # in text order: the event between the two places
        ("entity 20-24", ItemKind.LABEL, True),
    ]
    assert al.items[1].versions == ((0, 4, "LOC"), None)
    solo = align(["alice"], [a.record()], None)  # one finished layer: everything in it agrees with itself
    assert [i.agreed for i in solo.items] == [True] * 4


def test_what_two_versions_of_an_event_part_are_compared_by() -> None:
    from annotator.core.dto import Argument, EventDate, Fatalities
    from annotator.services.alignment import (
        DECIDED,
        attribute_names,
        date_value,
        decided_parts,
        fatalities_value,
        filler_value,
        part_key,
    )

    d = Doc("n", "Jets hit Homs and Hama; two men and a boy died.")
    homs, hama, men = d.ent("Homs", "GPE"), d.ent("Hama", "GPE"), d.ent("two men", "PER")
    boy = d.ent("a boy", "PER", status="rejected")
    d.event("hit", "Conflict.Attack", [("Place", hama), ("Place", homs), ("Place", hama), ("Target", men)])
    record = d.record()
    attack = replace(
        record.events[0],
        arguments=(
            *record.events[0].arguments,
            Argument("Target", boy),  # its span was rejected
            Argument("Target", homs, status="rejected"),  # the filler was rejected
        ),
    )
    text = d.text
    assert filler_value(record, attack, "Place") == ((text.index("Homs"), 13), (text.index("Hama"), 22))
    assert filler_value(record, attack, "Target") == ((text.index("two men"), text.index("two men") + 7),)
    assert filler_value(record, attack, "Instrument") == ()
    fatal = replace(attack, fatalities=Fatalities(value=None, qualifier="vague", text="several"))
    assert fatalities_value(fatal) == (None, None, None, "vague")
    assert fatalities_value(replace(attack, fatalities=Fatalities(text="casualties"))) is None
    assert fatalities_value(replace(attack, fatalities=Fatalities(high=5))) == (None, None, 5, None)
    assert date_value(replace(attack, date=EventDate("2017-02", "month"))) == ("2017-02", "month")
    assert date_value(replace(attack, date=EventDate(None, None, "last week"))) is None
    assert date_value(attack) is None
    versions = [replace(attack, attrs={"tense": "Past", "_draft": True}), replace(attack, attrs={"polarity": "x"})]
    assert attribute_names(versions) == ["polarity", "tense"]  # private attributes are no part to decide
    assert decided_parts(replace(attack, attrs={DECIDED: ["date", "role Place"]})) == {"date", "role Place"}
    assert decided_parts(replace(attack, attrs={DECIDED: "date"})) == set()
    keys = [part_key(ItemKind.ROLE, "Place"), part_key(ItemKind.ATTRIBUTE, "tense"), part_key(ItemKind.DATE)]
    assert keys == ["role Place", "attribute tense", "date"]


def test_a_decision_names_its_place_in_at_most_forty_characters() -> None:
    from annotator.services.adjudication import _excerpt

    forty, longer = "the old market of Homs and its two roads", "the old market of Homs and its four roads"
    assert (len(forty), len(longer)) == (40, 41)
    a, b = Doc("n", f"{forty}. {longer}."), Doc("n", f"{forty}. {longer}.")
    a.ent(forty, "LOC")
    a.ent(longer, "LOC")
    al = align(["alice", "bob"], [a.record(), b.record()], None)  # bob marked neither: two items
    assert [_excerpt(al, item) for item in al.items] == [forty, "the old market of Homs and its four r\u2026"]


def test_agreements_go_into_gold_and_the_rest_is_decided_by_key(pair: Database, schema: Schema, tmp_path: Path) -> None:
    service = AdjudicationService(pair, schema)
    d1 = doc_id(pair, "d1")
    changes, added = service.auto(d1, 2)
    # al-Waer and Tuesday, the Attack and Die events, and the Attack's attack mode
    assert added == 5 and changes.history_id is not None
    g = gold(pair, d1)
    assert spans(g) == {("al-Waer", "GPE", "accepted"), ("Tuesday", "TIME", "accepted")}
    assert sorted((ev.type, ev.trigger_text) for ev in g.events) == [
        ("Conflict.Attack", "bombed"),
        ("Life.Die", "killing"),
    ]
    attack = next(ev for ev in g.events if ev.type == "Conflict.Attack")
    assert attack.attrs["attack_mode"] == "air_drone_strike" and not attack.arguments
    assert service.auto(d1, 2) == (service.auto(d1, 2)[0], 0)  # nothing more to agree on
    state = service.state(d1)
    assert state.open == 10 and state.gold_status == DocStatus.IN_PROGRESS
    assert len(state.rows) == 10 and not any(r.decided for r in state.rows)

    service.take(d1, row(service, d1, "label", "Homs").key, BOB)
    service.take(d1, row(service, d1, "span", "Russian jets").key, ALICE)
    service.take(d1, row(service, d1, "span", "nine civilians").key, None)  # neither: a rejected record
    service.take(d1, row(service, d1, "role filler", "bombed", "Instrument").key, ALICE)
    service.take(d1, row(service, d1, "role filler", "bombed", "Place").key, ALICE)
    service.take(d1, row(service, d1, "role filler", "bombed", "Target").key, None)
    service.take(d1, row(service, d1, "attribute", "bombed", "polarity").key, ALICE)
    service.take(d1, row(service, d1, "role filler", "killing", "Victim").key, BOB)
    service.take(d1, row(service, d1, "role filler", "killing", "Place").key, BOB)  # Bob left it empty
    last = service.take(d1, row(service, d1, "fatalities", "killing").key, ALICE)
    state = service.state(d1)
    assert state.open == 0 and state.gold_status == DocStatus.ADJUDICATED
    g = gold(pair, d1)
    assert spans(g) == {
        ("al-Waer", "GPE", "accepted"),
        ("Tuesday", "TIME", "accepted"),
        ("Homs", "LOC", "accepted"),
        ("Russian jets", "VEH", "accepted"),
        ("nine civilians", "PER", "rejected"),
        ("civilians", "PER", "accepted"),  # Bob's victim brought its span
    }
    text = {e.id: e.text for e in g.entities}
    frames = {ev.type: (ev, {(a.role, text[a.entity_id]) for a in ev.arguments}) for ev in g.events}
    attack, attack_roles = frames["Conflict.Attack"]
    die, die_roles = frames["Life.Die"]
    assert attack_roles == {("Instrument", "Russian jets"), ("Place", "al-Waer")}
    assert attack.attrs["polarity"] == "Positive"
    assert die_roles == {("Victim", "civilians")}
    assert die.fatalities is not None and (die.fatalities.low, die.fatalities.high) == (9, 9)

    service.undo(last.history_id)  # type: ignore[arg-type]
    state = service.state(d1)
    assert state.open == 1 and state.gold_status == DocStatus.IN_PROGRESS
    service.redo(last.history_id)  # type: ignore[arg-type]
    assert service.state(d1).gold_status == DocStatus.ADJUDICATED
    export_dataset(pair, schema, "jsonl", tmp_path / "gold", layer=GOLD)
    assert "1 of 1 documents adjudicated." in (tmp_path / "gold" / "DATASET.md").read_text(encoding="utf-8")


def test_a_role_decision_does_not_settle_its_fillers_label(pair: Database, schema: Schema) -> None:
    service = AdjudicationService(pair, schema)
    d2 = doc_id(pair, "d2")
    service.auto(d2, 2)
    attacker = row(service, d2, "role filler", "shelled", "Attacker")
    assert attacker.agreed and not attacker.decided  # both chose Rebels; its span waits for its label
    with pytest.raises(UserError, match="decide the label of “Rebels” first: the annotators disagree \\(ORG, PER\\)"):
        service.take(d2, attacker.key, ALICE)
    assert "Rebels" not in {e.text for e in gold(pair, d2).entities}  # nothing half-written
    service.take(d2, row(service, d2, "label", "Rebels").key, BOB)
    service.take(d2, attacker.key, ALICE)
    g = gold(pair, d2)
    rebels = next(e for e in g.entities if e.text == "Rebels")
    shelling = next(ev for ev in g.events if ev.trigger_text == "shelled")
    assert rebels.label == "PER" and [(a.role, a.entity_id) for a in shelling.arguments if a.role == "Attacker"] == [
        ("Attacker", rebels.id)
    ]


def test_exported_gold_holds_the_decisions_and_no_bookkeeping(pair: Database, schema: Schema, tmp_path: Path) -> None:
    service = AdjudicationService(pair, schema)
    d1 = doc_id(pair, "d1")
    service.auto(d1, 2)
    service.take(d1, row(service, d1, "attribute", "bombed", "polarity").key, BOB)  # unset
    result = export_dataset(pair, schema, "jsonl", tmp_path / "out", layer=GOLD)
    line = json.loads((tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8"))
    assert result.documents == 1 and line["doc_id"] == "d1"
    attack = next(ev for ev in line["event_mentions"] if ev["type"] == "Conflict.Attack")
    assert attack["attrs"] == {"attack_mode": "air_drone_strike"}  # decisions are not exported as attributes
    assert {e["text"] for e in line["entity_mentions"]} == {"al-Waer", "Tuesday"}


def test_three_annotators_majority_and_blind_mode(trio: Database, schema: Schema) -> None:
    db = trio
    service = AdjudicationService(db, schema)
    d1 = doc_id(db, "d1")
    assert service.state(d1).annotators == ("alice", "bob", "carol")
    service.auto(d1, 2)
    # two of three agree on every span's extent and label
    assert spans(gold(db, d1)) == {
        ("Russian jets", "VEH", "accepted"),
        ("al-Waer", "GPE", "accepted"),
        ("Homs", "GPE", "accepted"),
        ("Tuesday", "TIME", "accepted"),
        ("nine civilians", "PER", "accepted"),
    }
    # Carol marked no event: the events need two of the three, and Alice and Bob agree on both
    assert {ev.trigger_text for ev in gold(db, d1).events} == {"bombed", "killing"}
    # with all three required nothing of the spans is automatic any more
    d2 = doc_id(db, "d2")
    with db.engine.begin() as conn:  # Carol starts d2 in a project that double-annotates everything
        conn.exec_driver_sql(
            "INSERT INTO document_states (document_id, annotator_id, status, updated_at) "
            f"SELECT {d2}, id, 'in_progress', CURRENT_TIMESTAMP FROM annotators WHERE name = 'carol'"
        )
    assert service.state(d2).waiting == ("carol",)  # started, not finished: the adjudicator waits for her
    assert service.state(d2, person="carol").waiting == ()  # ...unless she is the adjudicator herself
    from annotator.services.assignment import TeamSettings, save_team_settings

    save_team_settings(db, TeamSettings(annotators_per_document=2))
    with pytest.raises(Exception, match="blind mode: carol is still annotating"):
        service.state(d2, person="carol")
    assert service.state(d2, person="dave").annotators == ("alice", "bob")


def test_cli_adjudicate_auto_and_listing(capsys: pytest.CaptureFixture[str], pair: Database) -> None:
    url = str(pair.url)
    code = main(["adjudicate", "--db", url, "--json"])
    listing = json.loads(capsys.readouterr().out)
    assert code == 0 and listing["added"] == 0 and listing["auto"] is False
    before = {d["doc_id"]: len(d["left"]) for d in listing["documents"]}
    code = main(["adjudicate", "--db", url, "--auto", "--min-agree", "2", "--json"])
    run = json.loads(capsys.readouterr().out)
    assert code == 0 and run["min_agree"] == 2
    docs = {d["doc_id"]: d for d in run["documents"]}
    assert docs["d1"]["added"] == 5 and len(docs["d1"]["left"]) == 10
    # d2: Aleppo, army, Palmyra; the shelling with its target, attack mode, polarity and toll
    assert docs["d2"]["added"] == 8
    assert all(len(docs[d]["left"]) < before[d] for d in docs)
    left = {(i["kind"], i["name"]) for i in docs["d2"]["left"]}
    # the Attacker role waits: its span (Rebels, ORG or PER) is itself disputed
    assert ("label", "") in left and ("role filler", "Attacker") in left and ("event type", "") in left
    rebels = next(i for i in docs["d2"]["left"] if i["kind"] == "label")
    assert rebels["versions"] == {"alice": "ORG “Rebels”", "bob": "PER “Rebels”"}
    assert main(["adjudicate", "--db", url]) == 0
    assert "left for a person" in capsys.readouterr().out


def test_dataset_card_states_agreement_and_how_gold_was_made(pair: Database, schema: Schema, tmp_path: Path) -> None:
    service = AdjudicationService(pair, schema)
    d1 = doc_id(pair, "d1")
    service.auto(d1, 2)
    service.take(d1, row(service, d1, "label", "Homs").key, BOB)
    # Edits made in gold by hand: two kinds of them, and one more that was undone.
    editing = AnnotationService(pair, schema)
    text = editing.open_document(d1, GOLD).text
    made = editing.create_entity(d1, GOLD, text.index("Tuesday"), text.index("Tuesday") + 3, "TIME")
    assert made.history_id is not None and made.entities
    editing.relabel(d1, GOLD, list(made.entities), "NUM")
    undone = editing.create_entity(d1, GOLD, 0, 3, "ORG")
    assert undone.history_id is not None
    editing.undo(undone.history_id)
    export_dataset(pair, schema, "brat", tmp_path / "alice", layer="alice")
    card = (tmp_path / "alice" / "DATASET.md").read_text(encoding="utf-8")
    # the same figures as `annotator agree` (tests/services/test_agree.py), for the exported documents
    assert (
        "| Annotators | Documents | Entity F1 exact | Entity F1 overlap | Kappa | Trigger-I F1 | Trigger-C F1 "
        "| Argument-I F1 | Argument-C F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        "| alice / bob | 2 | 0.500 | 0.800 | 0.588 | 1.000 | 0.750 | 0.429 | 0.286 |\n"
    ) in card  # a Markdown table: the header, its alignment row, one row per pair
    assert "Krippendorff's alpha (nominal) across all annotators:" in card and "**Cohen's kappa (labels)**" in card
    assert "| alice | 2 | 2 | 14 |" in card and "| bob | 2 | 2 | 14 |" in card  # 10 spans and 4 events each
    editing.create_entity(d1, "alice", 0, 3, "ORG")  # her own layer: no gold decision
    export_dataset(pair, schema, "jsonl", tmp_path / "gold", layer=GOLD)
    card = (tmp_path / "gold" / "DATASET.md").read_text(encoding="utf-8")
    assert "Gold decisions: 1 automatic (annotators agreed), 1 by an adjudicator, 2 edits made in gold by hand" in card
    assert "0 of 1 documents adjudicated" in card
    assert "| alice / bob | 1 |" in card  # only the exported document counts
    d2 = doc_id(pair, "d2")
    editing.create_entity(d2, GOLD, 0, 3, "ORG")
    assert _gold_decisions(pair, [d1]) == {"automatic": 1, "adjudicator": 1, "by hand": 2}  # counted per document
    assert _gold_decisions(pair, [d2]) == {"automatic": 0, "adjudicator": 0, "by hand": 1}


def test_keeping_what_gold_holds_is_a_decision(pair: Database, schema: Schema) -> None:
    from annotator.services.alignment import DECIDED

    service = AdjudicationService(pair, schema)
    d1 = doc_id(pair, "d1")
    polarity = row(service, d1, "attribute", "bombed", "polarity")
    with pytest.raises(UserError, match=r"^the event is not in gold yet: decide the event first$"):
        service.keep(d1, polarity.key)
    service.auto(d1, 2)
    with pytest.raises(UserError, match=r"^gold holds nothing here yet: take a version \(1-9\) or nothing \(0\)$"):
        service.keep(d1, row(service, d1, "span", "Russian jets").key)
    before = service.state(d1).open
    changes = service.keep(d1, polarity.key)
    assert changes.history_id is not None
    assert service.state(d1).open == before - 1 and row(service, d1, "attribute", "bombed", "polarity").decided
    attack = next(ev for ev in gold(pair, d1).events if ev.trigger_text == "bombed")
    assert attack.attrs[DECIDED] == ["attribute attack_mode", "attribute polarity"]  # auto decided the mode
    label = row(service, d1, "label", "Homs")
    service.take(d1, label.key, BOB)
    assert service.keep(d1, label.key) == Changes()  # already decided: nothing to do
    service.undo(changes.history_id)
    assert not row(service, d1, "attribute", "bombed", "polarity").decided


def keys(service: AdjudicationService, document_id: int, annotators: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """The open rows of a comparison of some annotators, by kind, part name and text."""
    state = service.state(document_id, annotators)
    assert state.annotators == annotators
    return {(r.kind, r.name, state.text[r.start : r.end]): r.key for r in state.rows}


def test_comparing_some_of_the_annotators_takes_from_those_only(trio: Database, schema: Schema) -> None:
    """Alice, Bob and Carol finished d1; the adjudicator compares Alice and Carol: version 2 is Carol's."""
    db = trio
    service = AdjudicationService(db, schema)
    d1 = doc_id(db, "d1")
    some = ("alice", "carol")
    found = keys(service, d1, some)
    with pytest.raises(UserError, match=r"^there is no annotator number 3 here$"):  # Bob is not compared
        service.take(d1, found["label", "", "al-Waer"], 2, some)
    service.take(d1, found["label", "", "al-Waer"], 1, some)  # Alice GPE, Bob GPE, Carol LOC
    service.take(d1, found["span", "", "Tuesday"], 1, some)  # Alice and Bob TIME, Carol nothing
    assert spans(gold(db, d1)) == {("al-Waer", "LOC", "accepted"), ("Tuesday", "TIME", "rejected")}
    assert [h.description for h in service.history(d1, GOLD)] == [
        "Gold: carol's label at “al-Waer”",
        "Gold: carol's span at “Tuesday”",
    ]
    with pytest.raises(UserError, match=r"^that disagreement is gone \(the layers changed meanwhile\); "):
        service.take(d1, "entity 0-1", 0, some)
    # among all three Carol, who marked no event, is number 3; her version of a part of one is no version at all
    polarity = row(service, d1, "attribute", "bombed", "polarity")
    with pytest.raises(UserError, match=r"^carol did not mark this event; decide the event first$"):
        service.take(d1, polarity.key, 2)


def test_keeping_the_last_open_part_settles_only_the_annotators_compared(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, schema: Schema
) -> None:
    """Carol also gave the bombing a time; deciding between Alice and Bob leaves that out, and gold is adjudicated."""
    from tests.services.agreement_corpus import ATTACK, import_layer

    path = build(capsys, tmp_path, ("alice", "bob"))
    carol = Doc("d1", D1, status=DocStatus.DONE)
    carol.event("bombed", ATTACK, [("Time", carol.ent("Tuesday", "TIME"))])
    import_layer(capsys, path, "carol", [carol], tmp_path)
    db = Database("sqlite:///" + path)
    service = AdjudicationService(db, schema)
    d1 = doc_id(db, "d1")
    pair = ("alice", "bob")
    service.auto(d1, 2, pair)
    found = keys(service, d1, pair)
    for (kind, name, text), choice in [
        (("label", "", "Homs"), BOB),
        (("span", "", "Russian jets"), ALICE),
        (("span", "", "nine civilians"), None),
        (("role filler", "Instrument", "bombed"), ALICE),
        (("role filler", "Place", "bombed"), ALICE),
        (("role filler", "Target", "bombed"), None),
        (("role filler", "Victim", "killing"), BOB),
        (("role filler", "Place", "killing"), BOB),
        (("fatalities", "", "killing"), ALICE),
    ]:
        service.take(d1, found[kind, name, text], choice, pair)
    state = service.state(d1, pair)
    assert state.open == 1 and state.gold_status == DocStatus.IN_PROGRESS  # the polarity is left
    changes = service.keep(d1, found["attribute", "polarity", "bombed"], pair)
    assert changes.states and d1 in changes.documents
    state = service.state(d1, pair)
    assert state.open == 0 and state.gold_status == DocStatus.ADJUDICATED
    service.take(d1, found["fatalities", "", "killing"], BOB, pair)  # a change of mind leaves nothing open either
    assert service.state(d1, pair).gold_status == DocStatus.ADJUDICATED
    everyone = service.state(d1)
    assert everyone.annotators == ("alice", "bob", "carol") and everyone.open == 1  # Carol's time for the bombing
    db.dispose()


def test_adjudicating_the_project_for_chosen_annotators_leaves_the_others_out(trio: Database, schema: Schema) -> None:
    """Carol finished d1 too, but a run for Alice and Bob aligns only their two layers."""
    run = adjudicate_project(trio, schema, ["alice", "bob"])
    assert {d["doc_id"] for d in run["documents"]} == {"d1", "d2"}
    for document in run["documents"]:
        assert document["annotators"] == ["alice", "bob"]
        assert all(set(item["versions"]) == {"alice", "bob"} for item in document["left"])
    everyone = {d["doc_id"]: d["annotators"] for d in adjudicate_project(trio, schema)["documents"]}
    assert everyone == {"d1": ["alice", "bob", "carol"], "d2": ["alice", "bob"]}
