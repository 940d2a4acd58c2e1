"""`annotator agree` on layers imported from native JSONL: every figure against values worked out by hand.

The layers are in tests/services/agreement_corpus.py. Alice and Bob annotated both articles, Carol the
first only. Reviewed annotations only: everything imported is human and accepted.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from annotator.cli import main
from annotator.services.agreement_report import agreement_report
from annotator.services.agreement_stats import NONE, cohen_kappa, krippendorff_alpha
from annotator.store.database import Database
from tests.services.agreement_corpus import build


def agree(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> dict:  # type: ignore[type-arg]
    code = main(["agree", "--db", db, "--json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    return build(capsys, tmp_path)


def test_pairwise_figures_match_the_hand_computation(capsys: pytest.CaptureFixture[str], team: str) -> None:
    report = agree(capsys, team)
    assert set(report) >= {"pairs", "alpha"}
    pairs = {tuple(p["annotators"]): p for p in report["pairs"]}
    assert set(pairs) == {("alice", "bob"), ("alice", "carol"), ("bob", "carol")}
    ab = pairs[("alice", "bob")]
    assert ab["documents"] == 2 and pairs[("alice", "carol")]["documents"] == 1
    # Exact spans: d1 al-Waer GPE, Tuesday TIME; d2 Aleppo, army, Palmyra: 5 of 10 on each side.
    # Overlap adds jets/Russian jets, civilians/nine civilians, Islamic State/...fighters: 8 of 10.
    # Homs (GPE/LOC) and Rebels (ORG/PER) never match: the label differs.
    assert ab["entities"]["f1_exact"] == 0.5
    assert ab["entities"]["f1_overlap"] == 0.8
    # Kappa on the 7 spans both marked at the same offsets: 5 agree, po = 5/7.
    # alice GPE 4, TIME 1, ORG 2; bob GPE 3, LOC 1, TIME 1, PER 1, ORG 1: pe = (12 + 1 + 2) / 49.
    assert ab["entities"]["kappa"] == round((5 / 7 - 15 / 49) / (1 - 15 / 49), 4) == 0.5882
    events = ab["events"]
    # Triggers: bombed, killing, shelled, retook on both sides; retook is ChangeOfControl vs Attack.
    assert events["trigger_id_f1"] == 1.0
    assert events["trigger_cls_f1"] == 0.75
    # Arguments, 7 a side. Identified: d1 Attack/al-Waer (Place vs Target), d2 Rebels, Aleppo = 3;
    # classified (same role too): Rebels/Attacker, Aleppo/Target = 2.
    assert events["arg_id_f1"] == round(6 / 14, 4)
    assert events["arg_cls_f1"] == round(4 / 14, 4)
    # Matched events (same trigger and type): d1 Attack, d1 Die, d2 Attack.
    # attack_mode: (air, air), (shelling, shelling): po 1, pe 1/2 -> 1. polarity: (Positive, unset),
    # (Positive, Positive): po 1/2, pe (2*1)/4 -> 0.
    assert events["attribute_kappa"] == {"attack_mode": 1.0, "polarity": 0.0}
    # Fatalities on d1 Die (9 exact vs at least 9) and d2 Attack (3 vs 3): one exact, both in range.
    assert events["fatalities"] == {"events": 2, "exact": 0.5, "within_range": 1.0}


def test_kappa_and_confusion_agree_with_scikit_learn(team: str) -> None:
    pair = agreement_report(Database("sqlite:///" + team), ["alice", "bob"]).pairs[0]
    both = [(a, b) for (a, b), n in pair.labels.items() if NONE not in (a, b) for _ in range(n)]
    first, second = [a for a, _ in both], [b for _, b in both]
    assert cohen_kappa(both) == pytest.approx(cohen_kappa_score(first, second))
    pairs = [(a, b) for (a, b), n in pair.labels.items() for _ in range(n)]
    labels = sorted({x for p in pairs for x in p})
    ours = [[pair.labels.get((a, b), 0) for b in labels] for a in labels]
    theirs = confusion_matrix([a for a, _ in pairs], [b for _, b in pairs], labels=labels)
    assert ours == theirs.tolist()
    # the three spans one side missed in d1 (Russian jets, jets, nine civilians...) sit in the NONE row and column
    assert pair.labels[("VEH", NONE)] == 1 and pair.labels[(NONE, "VEH")] == 1 and pair.labels[("GPE", "LOC")] == 1


def test_alpha_matches_the_krippendorff_package(capsys: pytest.CaptureFixture[str], team: str) -> None:
    report = agree(capsys, team)
    # Units: every span offset anyone marked; a person with a layer but no span there answers NONE;
    # Carol has no layer on d2, so her answers there are missing.
    n = None
    d1 = [
        ("VEH", NONE, "VEH"),  # Russian jets
        (NONE, "VEH", NONE),  # jets
        ("GPE", "GPE", "LOC"),  # al-Waer
        ("GPE", "LOC", "GPE"),  # Homs
        ("TIME", "TIME", NONE),  # Tuesday
        ("PER", NONE, "PER"),  # nine civilians
        (NONE, "PER", NONE),  # civilians
    ]
    d2 = [
        ("ORG", "PER", n),
        ("GPE", "GPE", n),
        ("ORG", "ORG", n),
        ("GPE", "GPE", n),
        ("ORG", NONE, n),
        (NONE, "ORG", n),
    ]
    units = d1 + d2
    codes = {label: k for k, label in enumerate(sorted({v for u in units for v in u if v is not None}))}
    matrix = np.array([[codes[u[c]] if u[c] is not None else np.nan for u in units] for c in range(3)])
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert report["alpha"] == round(expected, 4)
    assert report["alpha_units"] == 13
    assert krippendorff_alpha(units) == pytest.approx(expected)


def test_alpha_on_krippendorffs_own_example() -> None:
    """The reliability data of Krippendorff's "Computing Krippendorff's Alpha-Reliability": nominal alpha 0.743."""
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = list(zip(*coders, strict=True))
    assert round(krippendorff_alpha(units) or 0, 3) == 0.743
    as_floats = np.array([[math.nan if v is None else v for v in row] for row in coders], dtype=float)
    assert krippendorff_alpha(units) == pytest.approx(krippendorff.alpha(as_floats, level_of_measurement="nominal"))


def test_kappa_by_hand_and_undefined_cases() -> None:
    # 10 items: 7 agree; first says A 6 times, second 5 times: pe = (6*5 + 4*5) / 100 = 0.5
    pairs = [("A", "A")] * 4 + [("B", "B")] * 3 + [("A", "B")] * 2 + [("B", "A")]
    assert cohen_kappa(pairs) == pytest.approx((0.7 - 0.5) / 0.5)
    assert cohen_kappa([]) is None
    assert cohen_kappa([("A", "A"), ("A", "A")]) is None  # one category: nothing to correct for chance
    assert krippendorff_alpha([("A", "A"), ("A", None)]) is None


def test_annotators_and_documents_options(capsys: pytest.CaptureFixture[str], team: str, tmp_path: Path) -> None:
    only = agree(capsys, team, "--annotators", "alice,bob")
    assert [p["annotators"] for p in only["pairs"]] == [["alice", "bob"]]
    docs = {d["doc_id"]: d for d in only["documents"]}
    assert set(docs) == {"d1", "d2"}
    # d1: exact al-Waer, Tuesday of 5 and 5; d2: Aleppo, army, Palmyra
    assert docs["d1"]["entity_f1_exact"] == 0.4 and docs["d2"]["entity_f1_exact"] == 0.6
    assert docs["d1"]["disagreements"] > docs["d2"]["disagreements"] > 0
    code = main(["agree", "--db", team, "--annotators", "alice,zoe"])
    assert code == 2 and "no annotator is called 'zoe'" in capsys.readouterr().err
    # layers in progress count only with --documents all
    db = Database("sqlite:///" + team)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE document_states SET status = 'in_progress' WHERE annotator_id = "
            "(SELECT id FROM annotators WHERE name = 'carol')"
        )
    db.dispose()
    done = agree(capsys, team)
    assert {tuple(p["annotators"]) for p in done["pairs"]} == {("alice", "bob")}
    everything = agree(capsys, team, "--documents", "all")
    assert len(everything["pairs"]) == 3


def test_text_output_and_nothing_to_compare(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lone = build(capsys, tmp_path, ("alice",))
    assert main(["agree", "--db", lone]) == 0
    assert "nothing to compare" in capsys.readouterr().out
    (tmp_path / "team").mkdir()
    team = build(capsys, tmp_path / "team")
    assert main(["agree", "--db", team]) == 0
    out = capsys.readouterr().out
    assert "alice / bob" in out and "0.500" in out and "alpha" in out
