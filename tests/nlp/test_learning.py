"""The learning parts without a database: classifiers stored as arrays, the NER update, versions on disk."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotator.core.dto import DocumentRecord, Entity
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.nlp.learning.classifier import NONE, FeatureClassifier
from annotator.nlp.learning.entities import NerSample, biluo_tags, inverse_labels, save_ner, train_ner
from annotator.nlp.learning.roles import dependency_path
from annotator.nlp.learning.versions import ModelStore
from annotator.nlp.preannotate import AnnotationInput, Preannotator


def test_classifier_round_trip_without_pickles(tmp_path: Path) -> None:
    rows = [{"lemma": "strafe", "lex": "none"}, {"lemma": "strafe", "lex": "none"}, {"lemma": "say", "lex": "none"}]
    rows += [{"lemma": "say", "lex": "none"}, {"lemma": "bomb", "lex": "Attack"}, {"lemma": "bomb", "lex": "Attack"}]
    labels = ["Attack", "Attack", NONE, NONE, "Attack", "Attack"]
    model = FeatureClassifier.train(rows, labels)
    assert model is not None and model.classes == ["Attack", NONE]
    model.save(tmp_path / "m", {"note": [1, 2]})
    assert json.loads((tmp_path / "m.json").read_text())["extra"] == {"note": [1, 2]}
    loaded, extra = FeatureClassifier.load(tmp_path / "m")
    probe = [{"lemma": "strafe", "lex": "none"}, {"lemma": "unseen", "lex": "Attack"}]
    assert np.allclose(loaded.probabilities(probe), model.probabilities(probe)) and extra == {"note": [1, 2]}
    assert loaded.probabilities(probe)[0][0] > 0.5  # strafe: an attack
    assert FeatureClassifier.train(rows, [NONE] * len(rows)) is None  # nothing to tell apart


def test_dependency_path(nlp_preannotator: Preannotator) -> None:
    doc, _ = next(nlp_preannotator.parse([AnnotationInput("Jets bombed the market in Idlib.")]))
    assert dependency_path(doc[1], doc[0]) == ">nsubj"
    assert dependency_path(doc[1], doc[5]) == ">prep:in>pobj"
    assert dependency_path(doc[0], doc[5]) == "<nsubj>prep:in>pobj"


TEXT = "Rebels fired Grad rockets at Hama. The Observatory said the Grad strikes killed four."


def test_ner_update_teaches_new_labels_and_loads_into_a_suggester(
    nlp_preannotator: Preannotator, schema: Schema, tmp_path: Path
) -> None:
    doc, _ = next(nlp_preannotator.parse([AnnotationInput(TEXT)]))
    grad = TEXT.index("Grad")
    reference = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            Entity(1, grad, grad + 4, "WEA", "Grad", attrs={"mention_type": "NAM"}),
            Entity(2, TEXT.index("Hama"), TEXT.index("Hama") + 4, "GPE", "Hama"),
            Entity(3, 0, 6, "PER", "Rebels"),  # a participant noun: left unknown to the NER
        ),
    )
    sample = NerSample(doc.text, doc, reference)
    inverse = inverse_labels(schema, [sample])
    assert inverse["PER"] == "PERSON" and inverse["WEA"] == "WEA"
    tags = biluo_tags(sample, schema, inverse)
    assert tags[0] == "-" and tags[2] == "U-WEA" and tags[5] == "U-GPE"
    trained = train_ner(str(nlp_preannotator.model_name), [sample], schema, nlp_preannotator.pipe_names, epochs=1)
    assert "WEA" in trained.get_pipe("ner").labels  # type: ignore[attr-defined]

    store = ModelStore(tmp_path / "models")
    meta = {"base_pipeline": nlp_preannotator.model_name, "trained_on": [1]}
    name = store.create(lambda folder: save_ner(trained, folder), meta)
    store.activate(name)
    learned = Preannotator(schema, learned=store.active_folder())
    assert learned.message.startswith("learned suggester v1") and "ner" in learned.pipe_names
    assert learned._nlp.get_pipe("ner").labels == trained.get_pipe("ner").labels  # type: ignore[attr-defined]
    assert list(learned.annotate([AnnotationInput(TEXT)]))  # suggests with the learned NER


def test_versions_and_the_way_back(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    assert store.versions() == [] and store.active() is None
    with pytest.raises(UserError, match="no earlier version"):
        store.previous()
    first = store.create(lambda folder: None, {"documents": 2})
    second = store.create(lambda folder: (folder / "triggers.json").write_text("{}"), {"documents": 3})
    assert (first, second) == ("v1", "v2") and store.meta("v2")["documents"] == 3
    store.activate(second)
    assert store.previous() == "v1"
    store.activate(store.previous())
    assert store.active() == "v1" and store.previous() is None
    with pytest.raises(RuntimeError):
        store.create(lambda folder: (_ for _ in ()).throw(RuntimeError("disk full")), {})
    assert store.versions() == ["v1", "v2"] and not any(p.name.startswith(".new") for p in store.root.iterdir())
    with pytest.raises(UserError, match="no model version 'v9'"):
        store.activate("v9")
    (store.root / "v2" / "meta.json").write_text("{broken")
    with pytest.raises(UserError, match="cannot load the learned suggester"):
        from annotator.nlp.learning.model import LearnedModel

        LearnedModel.load(store.root / "v2")


def test_the_context_model_weighs_a_slip_as_one_slip() -> None:
    # Lexicon words kept nine times after "heavy" and rejected twice there by a slip, kept twenty times after
    # "fierce", rejected three times after "legal": the two slips do not outweigh the nine (balanced classes
    # would weigh each rejection as three keeps).
    rows = [{"prev": "heavy"}] * 11 + [{"prev": "fierce"}] * 20 + [{"prev": "legal"}] * 3
    labels = ["keep"] * 9 + [NONE] * 2 + ["keep"] * 20 + [NONE] * 3
    model = FeatureClassifier.train(rows, labels, intercept=False, balanced=False)
    assert model is not None
    heavy, legal, unknown = model.probabilities([{"prev": "heavy"}, {"prev": "legal"}, {"prev": "bitter"}])
    keep = model.classes.index("keep")
    assert heavy[keep] > 0.5 and legal[keep] < 0.5
    assert unknown[keep] == 0.5  # without intercept, a context nothing is known of is a tie: the lexicon decides
