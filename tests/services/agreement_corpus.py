"""Three annotators' layers of two short articles, written as native JSONL and imported with --annotator.

The figures the tests expect are worked out by hand in the comments of tests/services/test_agree.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.dto import DocStatus, Fatalities
from annotator.formats.common import dumps
from annotator.formats.jsonl import record_to_json
from tests.formats.corpus import Doc

D1 = "Russian jets bombed al-Waer in Homs on Tuesday, killing nine civilians."
D2 = "Rebels shelled Aleppo, and the army retook Palmyra from Islamic State fighters."
ATTACK, DIE, CONTROL = "Conflict.Attack", "Life.Die", "X.Conflict.ChangeOfControl"


def alice() -> list[Doc]:
    d1 = Doc("d1", D1, status=DocStatus.DONE)
    jets, waer = d1.ent("Russian jets", "VEH"), d1.ent("al-Waer", "GPE")
    d1.ent("Homs", "GPE")
    d1.ent("Tuesday", "TIME")
    nine = d1.ent("nine civilians", "PER")
    air = {"attack_mode": "air_drone_strike", "polarity": "Positive"}
    d1.event("bombed", ATTACK, [("Instrument", jets), ("Place", waer)], attrs=air)
    d1.event("killing", DIE, [("Victim", nine), ("Place", waer)], fatalities=Fatalities(9, 9, 9, "exact"))
    d2 = Doc("d2", D2, status=DocStatus.DONE)
    rebels, aleppo = d2.ent("Rebels", "ORG"), d2.ent("Aleppo", "GPE")
    d2.ent("army", "ORG")
    palmyra = d2.ent("Palmyra", "GPE")
    d2.ent("Islamic State fighters", "ORG")
    shelling = {"attack_mode": "shelling_artillery_missile", "polarity": "Positive"}
    d2.event("shelled", ATTACK, [("Attacker", rebels), ("Target", aleppo)], attrs=shelling, fatalities=Fatalities(3))
    d2.event("retook", CONTROL, [("Place", palmyra)])
    return [d1, d2]


def bob() -> list[Doc]:
    d1 = Doc("d1", D1, status=DocStatus.DONE)
    jets, waer = d1.ent("jets", "VEH"), d1.ent("al-Waer", "GPE")
    d1.ent("Homs", "LOC")
    d1.ent("Tuesday", "TIME")
    civilians = d1.ent("civilians", "PER")
    air = {"attack_mode": "air_drone_strike"}
    d1.event("bombed", ATTACK, [("Instrument", jets), ("Target", waer), ("Target", civilians)], attrs=air)
    d1.event("killing", DIE, [("Victim", civilians)], fatalities=Fatalities(9, 9, None, "at_least"))
    d2 = Doc("d2", D2, status=DocStatus.DONE)
    rebels, aleppo = d2.ent("Rebels", "PER"), d2.ent("Aleppo", "GPE")
    d2.ent("army", "ORG")
    palmyra = d2.ent("Palmyra", "GPE")
    d2.ent("Islamic State", "ORG")
    shelling = {"attack_mode": "shelling_artillery_missile", "polarity": "Positive"}
    d2.event("shelled", ATTACK, [("Attacker", rebels), ("Target", aleppo)], attrs=shelling, fatalities=Fatalities(3))
    d2.event("retook", ATTACK, [("Target", palmyra)])
    return [d1, d2]


def carol() -> list[Doc]:
    d1 = Doc("d1", D1, status=DocStatus.DONE)
    d1.ent("Russian jets", "VEH")
    d1.ent("al-Waer", "LOC")
    d1.ent("Homs", "GPE")
    d1.ent("nine civilians", "PER")
    return [d1]


def write_jsonl(docs: list[Doc], path: Path) -> Path:
    path.write_text("".join(dumps(record_to_json(d.record())) + "\n" for d in docs), encoding="utf-8")
    return path


def import_layer(capsys: pytest.CaptureFixture[str], db: str, name: str, docs: list[Doc], folder: Path) -> None:
    """Import one person's layer the way a user would: `annotator import FILE --annotator NAME`."""
    path = write_jsonl(docs, folder / f"{name}.jsonl")
    code = main(["import", str(path), "--db", db, "--annotator", name, "--no-suggest", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err + out


def build(capsys: pytest.CaptureFixture[str], folder: Path, people: tuple[str, ...] = ("alice", "bob", "carol")) -> str:
    db = str(folder / "team.sqlite3")
    layers = {"alice": alice, "bob": bob, "carol": carol}
    for name in people:
        import_layer(capsys, db, name, layers[name](), folder)
    return db
