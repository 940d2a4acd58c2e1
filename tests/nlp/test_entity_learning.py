"""Evidence that entity learning helps: a few corrected surnames teach the NER to call unseen surnames PER.

The small English model calls many Arabic, African, Turkish and Slavic surnames ORG or GPE outside the
contexts where a rule can tell ("Officials close to Hijab..."). A reviewer corrects them in a handful of
documents; the updated NER then labels surnames it never saw as persons, and keeps news agencies ORG. The
sentences are written for this test in the style of wire reports.
"""

from __future__ import annotations

import random

from annotator.core.dto import DocumentRecord, Entity
from annotator.core.schema import Schema
from annotator.nlp.learning.entities import NerSample, train_ner
from annotator.nlp.preannotate import AnnotationInput, Preannotator
from tests.services.gold_set import parse_marked

TEMPLATES = [
    "Officials close to [{a}](PER#p{i}) told [{agency}](ORG#r{i}) that talks in [{place}](GPE#c{i}) had stalled.",
    "[{a}](PER#p{i})'s office denied the report on Monday.",
    "A spokesman for [{a}](PER#p{i}) said the meeting with [{b}](PER#q{i}) would go ahead.",
    "[{a}](PER#p{i}) and [{b}](PER#q{i}) spoke by phone, [{agency}](ORG#r{i}) reported.",
    "Delegations loyal to [{a}](PER#p{i}) arrived in [{place}](GPE#c{i}) on Tuesday.",
    "Supporters of [{b}](PER#q{i}) rallied in [{place}](GPE#c{i}), according to [{agency}](ORG#r{i}).",
]
AGENCIES = ["Reuters", "AFP", "Anadolu", "Interfax"]
PLACES = ["Geneva", "Moscow", "Ankara", "Khartoum", "Damascus", "Baghdad", "Tripoli", "Kinshasa"]
# Surnames the model calls ORG or GPE in most of these contexts; the test set's are never trained on.
TRAIN = ["Muallem", "Hijab", "Guterres", "Tlass", "Haftar", "Museveni", "Barzani", "Cavusoglu", "Kuleba", "Mikati"]
TEST = ["Shaaban", "Tshisekedi", "Dbeibah", "Burhan", "Makhlouf", "Zaluzhnyi", "Kilicdaroglu", "Zakharova"]


def _documents(names: list[str], seed: int) -> list[DocumentRecord]:
    rng = random.Random(seed)
    records = []
    for n in range(len(names)):
        sentences = []
        for i, template in enumerate(TEMPLATES):
            a, b = rng.sample(names, 2)
            sentences.append(template.format(i=i, a=a, b=b, agency=rng.choice(AGENCIES), place=rng.choice(PLACES)))
        text, entities, _events = parse_marked(" ".join(sentences))
        records.append(DocumentRecord(doc_id=f"d{n}", text=text, entities=tuple(entities)))
    return records


def _f1(preannotator: Preannotator, records: list[DocumentRecord], ner: object = None) -> float:
    gold: set[tuple[str, int, int, str]] = set()
    found: set[tuple[str, int, int, str]] = set()
    for record in records:
        gold |= {(record.doc_id, e.start, e.end, e.label) for e in record.entities}
        doc, item = next(preannotator.parse([AnnotationInput(record.text)]))
        suggested = preannotator.suggest(doc, item, ner=ner, keep=True).entities
        found |= {(record.doc_id, e.start, e.end, e.label) for e in suggested if _name(e)}
    right = len(gold & found)
    return 2 * right / (len(gold) + len(found))


def _name(entity: Entity) -> bool:
    """Names only: participant nouns ("Officials", "Supporters") and dates are not what is measured here."""
    return entity.label in ("PER", "ORG", "GPE") and entity.attrs.get("mention_type") != "NOM"


def test_corrected_surnames_teach_the_ner_unseen_surnames(nlp_preannotator: Preannotator, schema: Schema) -> None:
    train = _documents(TRAIN, seed=1)
    samples = [NerSample(r.text, next(nlp_preannotator.parse([AnnotationInput(r.text)]))[0], r) for r in train]
    nlp = train_ner(str(nlp_preannotator.model_name), samples, schema, nlp_preannotator.pipe_names, epochs=1)
    ner = nlp.get_pipe("ner")
    held_out = _documents(TEST, seed=2)
    before, after = _f1(nlp_preannotator, held_out), _f1(nlp_preannotator, held_out, ner)
    print(f"entity F1 on unseen surnames: {before:.3f} -> {after:.3f}")
    assert before < 0.65 and after >= 0.9  # 0.579 -> 0.977 when written
    # News agencies stay organisations, in a sentence the NER has never seen.
    text = "Reuters reported that Tshisekedi met Shaaban in Kinshasa."
    doc, item = next(nlp_preannotator.parse([AnnotationInput(text)]))
    labels = {e.text: e.label for e in nlp_preannotator.suggest(doc, item, ner=ner, keep=True).entities}
    assert labels["Reuters"] == "ORG" and labels["Tshisekedi"] == "PER" and labels["Shaaban"] == "PER"
