"""Tokens and sentences from spaCy, for exporters that need them (TextEE windows, CoNLL lines)."""

from __future__ import annotations

from annotator.core.dto import Segmentation
from annotator.nlp.spacy_loader import LoadedPipeline, load_spacy


class Segmenter:
    """Splits texts with the project's spaCy pipeline (only the parser is needed for sentences).

    Without any pipeline, spaCy's rule-based English tokenizer and sentencizer are used, so exports
    still work, deterministically.
    """

    def __init__(self, model_name: str | None = None, loaded: LoadedPipeline | None = None) -> None:
        import spacy

        loaded = loaded or load_spacy(model_name)
        if loaded.nlp is not None:
            keep = {"tok2vec", "parser", "senter"}
            self._nlp = loaded.nlp
            self._disable = [p for p in loaded.nlp.pipe_names if p not in keep]
        else:
            self._nlp = spacy.blank("en")
            self._nlp.add_pipe("sentencizer")
            self._disable = []
        self.name = loaded.name or "blank:en+sentencizer"

    def segment(self, text: str) -> Segmentation:
        with self._nlp.select_pipes(disable=self._disable):
            doc = self._nlp(text)
        tokens = tuple((t.idx, t.idx + len(t.text)) for t in doc if not t.is_space)
        sentences = tuple((s.start_char, s.end_char) for s in doc.sents if s.text.strip())
        return Segmentation(tokens=tokens, sentences=sentences)
