"""What each agreement figure means: one wording for the Agreement view's help and for DATASET.md."""

from __future__ import annotations

#: (name, definition) in the order the figures are shown.
MEASURES: tuple[tuple[str, str], ...] = (
    (
        "Counted annotations",
        "Only reviewed annotations count: suggestions a person accepted and annotations a person made. A "
        "document counts for two annotators when both marked it done (or, when asked, both started it). "
        "Match counts are summed over documents before a figure is taken (micro-averaged).",
    ),
    (
        "Entity F1, exact",
        "Spans with the same start, end and label in both layers, counted once each: "
        "F1 = 2 x matched / (spans of the first + spans of the second). Symmetric between the two annotators.",
    ),
    (
        "Entity F1, overlap",
        "As exact F1, but two spans of the same label match when they overlap; spans pair one to one "
        "(exact pairs first, then the longest overlaps), so no span counts twice.",
    ),
    (
        "Cohen's kappa (labels)",
        "Over the spans both annotators marked at the same offsets: (observed agreement - chance agreement) "
        "/ (1 - chance agreement), chance being the sum over labels of the product of each annotator's "
        "share of that label. 1 is perfect, 0 is what chance gives; undefined when only one label occurs.",
    ),
    (
        "Krippendorff's alpha (nominal)",
        "Across all annotators at once, over the union of spans: every offset anyone marked is a unit; an "
        "annotator with a layer on the document answers with the label there, or 'no span' (∅); an "
        "annotator without a layer is missing. alpha = 1 - observed / expected disagreement.",
    ),
    (
        "Trigger identification / classification F1",
        "ACE style: events match on the same trigger offsets; classification also needs the same event type.",
    ),
    (
        "Argument identification / classification F1",
        "A role filler matches when it belongs to an event with the same trigger offsets and type and has "
        "the same offsets; classification also needs the same role.",
    ),
    (
        "Attribute kappa",
        "Cohen's kappa per event attribute (polarity, tense, attack mode...) over events that match on "
        "trigger and type, where at least one annotator set the attribute; 'unset' counts as an answer.",
    ),
    (
        "Fatalities",
        "Over matched events where at least one annotator gave a death toll: the share with the same "
        "value, low and high (exact), and the share whose low-high ranges overlap (within range; "
        "'at least 9' reaches upwards without end).",
    ),
    (
        "Document agreement",
        "To sort documents worst first: the mean of entity overlap F1, trigger classification F1 and "
        "argument classification F1 over the document's pairs of annotators.",
    ),
    (
        "Disagreements / open",
        "Per document, the items the annotators' versions differ on (a span, a label, an event type, a "
        "role's fillers, an attribute, fatalities, a date); open counts those gold has not decided yet.",
    ),
)
