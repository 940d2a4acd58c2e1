"""Code point <-> Qt position conversion and selection snapping."""

from __future__ import annotations

import pytest

from annotator.core.offsets import PositionMap, snap_to_tokens, trim_span


def utf16_position(text: str, cp: int, fold_crlf: bool = True) -> int:
    """Reference implementation: encode the prefix, count units, fold CRLF as Qt does."""
    prefix = text[:cp]
    if fold_crlf:
        prefix = prefix.replace("\r\n", "\u2029")
    return len(prefix.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii text",
        "Activists 🇸🇾 said nine civilians died",  # a flag: two astral code points
        "𠀋𡈽 rare CJK and e\u0301 a combining mark",
        "line one\r\nline two\r\n\r\nline 🙂 four\r\n",
        "plain ASCII with CRLF\r\nline ends\r\n\r\nand no other shift\r\n",  # not the non-ASCII code path
        "mixed\rlone CR and \u2028 separators",
    ],
)
def test_position_map_matches_reference(text: str) -> None:
    mapping = PositionMap(text)
    for cp in range(len(text) + 1):
        view = mapping.to_view(cp)
        expected = utf16_position(text, cp)
        if cp > 0 and text[cp - 1] == "\r" and text[cp : cp + 1] == "\n":
            expected = utf16_position(text, cp + 1)  # between CR and LF: both sides of one separator
        assert view == expected, (text, cp)
    for cp in range(len(text) + 1):
        inside_crlf = cp > 0 and text[cp - 1] == "\r" and text[cp : cp + 1] == "\n"
        if not inside_crlf:
            assert mapping.to_codepoint(mapping.to_view(cp)) == cp


def test_without_folding_a_crlf_counts_two_units() -> None:
    text = "a\r\nb 🙂 c\r\n"
    mapping = PositionMap(text, fold_crlf=False)
    for cp in range(len(text) + 1):
        assert mapping.to_view(cp) == utf16_position(text, cp, fold_crlf=False), cp
        assert mapping.to_codepoint(mapping.to_view(cp)) == cp


def test_position_inside_surrogate_pair_maps_after_the_character() -> None:
    text = "a🙂b"
    mapping = PositionMap(text)
    assert mapping.to_view(2) == 3
    assert mapping.to_codepoint(2) == 2  # the low surrogate position belongs to the emoji's end


def test_span_text_survives_round_trip_with_astral_characters() -> None:
    text = "The 🇸🇾 Observatory said 9 🙂 civilians"
    start = text.index("Observatory")
    mapping = PositionMap(text)
    encoded = text.encode("utf-16-le")
    view_start, view_end = mapping.to_view(start), mapping.to_view(start + len("Observatory"))
    assert encoded[view_start * 2 : view_end * 2].decode("utf-16-le") == "Observatory"


def test_trim_and_snap() -> None:
    text = "the city's al-Waer neighborhood, (Homs’ Old City)."
    start = text.index("Waer")
    assert snap_to_tokens(text, start + 1, start + 2) == (start, start + 4)
    whole = text.index("al-Waer")
    assert snap_to_tokens(text, whole + 1, start + 2) == (whole, whole + 7)
    homs = text.index("Homs")
    assert snap_to_tokens(text, homs - 1, homs + 5) == (homs, homs + 4)
    assert trim_span(text, homs - 2, homs + 6) == (homs, homs + 4)
    assert trim_span(text, 0, 0) == (0, 0)


@pytest.mark.parametrize(
    ("text", "start", "end", "trimmed"),
    [
        ("(Homs)", 0, 6, (1, 5)),  # one character of punctuation each side
        ("Xinhua reported", 0, 6, (0, 6)),  # letters are never trimmed
        (" x", 0, 0, (0, 0)),  # an empty selection stays where it is
        ("  Homs  ", 0, 8, (2, 6)),
        ("...", 0, 3, (3, 3)),
    ],
)
def test_trim(text: str, start: int, end: int, trimmed: tuple[int, int]) -> None:
    assert trim_span(text, start, end) == trimmed


@pytest.mark.parametrize(
    ("text", "start", "end", "snapped"),
    [
        ("Homs", 2, 2, (2, 2)),  # nothing selected: nothing to grow
        ("Homs", 1, 3, (0, 4)),  # grows back to the first character of the text
        ("Homs", 0, 1, (0, 4)),
        ("Homs and Hama", 0, 2, (0, 4)),  # never past the start of the text
        ("in Homs", 4, 7, (3, 7)),  # up to the end of the text
        ("x Homs", 2, 3, (2, 6)),  # a one-letter selection grows over its word
        ("a user_name here", 2, 4, (2, 11)),  # underscores are word characters, as in spaCy
        ("a user-name here", 2, 4, (2, 6)),
    ],
)
def test_snap(text: str, start: int, end: int, snapped: tuple[int, int]) -> None:
    assert snap_to_tokens(text, start, end) == snapped
