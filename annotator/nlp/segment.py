"""Tokens and sentences from spaCy, for exporters that need them (TextEE windows, CoNLL lines)."""

from __future__ import annotations

from annotator.core.dto import Segmentation
from annotator.nlp.lines import mark_line_starts
from annotator.nlp.pieces import PIECE_CHARS, split_text
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
            keep = {"tok2vec", "tagger", "parser", "senter"}  # the tagger gives CoNLL's part-of-speech column
            self._nlp = loaded.nlp
            self._disable = [p for p in loaded.nlp.pipe_names if p not in keep]
        else:
            self._nlp = spacy.blank("en")
            self._nlp.add_pipe("sentencizer")
            self._disable = []
        self.name = loaded.name or "blank:en+sentencizer"

    def segment(self, text: str, limit: int = PIECE_CHARS) -> Segmentation:
        """Tokens and sentences; a text over `limit` characters is read in pieces (see annotator.nlp.pieces)."""
        tokens: list[tuple[int, int]] = []
        tags: list[str] = []
        sentences: list[tuple[int, int]] = []
        with self._nlp.select_pipes(disable=self._disable):
            for start, end in split_text(text, min(limit, self._nlp.max_length)):
                # the same sentence starts at line breaks as pre-annotation (a headline is not glued to its caption)
                doc = self._nlp(mark_line_starts(self._nlp.make_doc(text[start:end])))
                tokens += [(start + t.idx, start + t.idx + len(t.text)) for t in doc if not t.is_space]
                tags += [t.tag_ for t in doc if not t.is_space]
                sentences += [(start + s.start_char, start + s.end_char) for s in doc.sents if s.text.strip()]
        return Segmentation(tokens=tuple(tokens), sentences=tuple(sentences), tags=tuple(tags) if any(tags) else ())
