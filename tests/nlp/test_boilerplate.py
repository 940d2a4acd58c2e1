"""Boilerplate lines of the seeds are found whole, and article sentences are never touched."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from annotator.core import paths
from annotator.nlp.boilerplate import _needle, _patterns, find_boilerplate


def _lines(text: str) -> list[str]:
    return [text[s:e] for s, e in find_boilerplate(text)]


def test_plain_article_has_none(seed_texts: dict[str, str]) -> None:
    assert find_boilerplate(seed_texts["000"]) == ()


def test_la_times_furniture(seed_texts: dict[str, str]) -> None:
    assert _lines(seed_texts["001"]) == [
        "Advertisement", "Share", "Advertisement", "Advertisement", "patrick.mcdonnell@latimes.com", "Advertisement",
    ]  # fmt: skip


def test_independent_notifications_appeal_and_comment_form(seed_texts: dict[str, str]) -> None:
    lines = _lines(seed_texts["002"])
    assert lines[0] == "Stay up to date with notifications from The\xa0Independent"
    assert "Notifications can be managed in browser preferences." in lines
    assert lines.count("Comments") == 2
    assert "Your support helps us to tell the story" in lines
    assert any(line.startswith("From reproductive rights to climate change") for line in lines)
    assert any(line.startswith("At such a critical moment in US history") for line in lines)
    assert any(line.startswith("The Independent is trusted by Americans") for line in lines)
    assert "Your support makes all the difference." in lines
    assert "Join our commenting forum" in lines
    assert "Thank you for registering" in lines
    assert lines[-1].startswith("Please refresh the page or navigate to another page")
    assert len(lines) == 13
    assert not any("Khalidiya" in line or "Homs" in line for line in lines)


def test_ara_news_footer(seed_texts: dict[str, str]) -> None:
    assert _lines(seed_texts["003"]) == [
        "For the latest news follow us on Twitter",
        "Join our Weekly Newsletter",
        "Related Items",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "one × one =",
    ]


def test_ranges_are_whole_lines_without_newline(seed_texts: dict[str, str]) -> None:
    for text in seed_texts.values():
        for start, end in find_boilerplate(text):
            assert start == 0 or text[start - 1] in "\r\n"
            assert end == len(text) or text[end] in "\r\n"


def test_crlf_and_surrounding_spaces() -> None:
    text = "Airstrikes hit Homs.\r\n  Advertisement \r\nShare\r\nMore text."
    assert find_boilerplate(text) == ((22, 38), (40, 45))
    assert [text[22:38], text[40:45]] == ["  Advertisement ", "Share"]


def test_words_inside_a_sentence_are_not_boilerplate() -> None:
    text = (
        "Activists said the Advertisement board was shelled.\n"
        "Comments by the army were not published.\n"
        "Your email address will not be published, the ministry told reporters, because it was hacked"
    )
    assert find_boilerplate(text) == ()


def test_contained_phrases_match_as_whole_lines_would(tmp_path: Path) -> None:
    """Patterns of the form .*X.* are searched for, which must decide every line as a whole-line match does."""
    patterns = [r".*\bdonation allows\b.*", ".*a|zz.*", ".*(cat|dog) food.*", r".*x\.*", "share", ".*[|]pipe.*"]
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({"lines": patterns}), encoding="utf-8")
    whole, inner, _ = _patterns(tmp_path / "b.yaml")
    plain = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    lines = [
        "Your DONATION allows us to go on",
        "the donation allowsx",
        "ends in a",
        "a in the middle",
        "zz starts it",
        "and zz in the middle",
        "dog food aisle",
        "hot dog food",
        "cat foods",
        "x...",
        "x.",
        "Share",
        "share this",
        "a |pipe here",
    ]
    for line in lines:
        assert bool(whole.fullmatch(line) or inner.search(line)) == bool(plain.fullmatch(line)), line


def _every_line_matched(text: str) -> tuple[tuple[int, int], ...]:
    """The reference: each line stripped and matched whole against every shipped pattern, ignoring case."""
    listed = yaml.safe_load((paths.resources_dir() / "boilerplate.yaml").read_text(encoding="utf-8"))["lines"]
    plain = re.compile("|".join(f"(?:{p})" for p in listed), re.IGNORECASE)
    return tuple(m.span() for m in re.finditer(r"[^\r\n]+", text) if plain.fullmatch(m.group().strip()))


def test_needles_skip_no_line_a_full_match_would_find(seed_texts: dict[str, str]) -> None:
    """Lines are searched only where a needle is, which must never miss one: upper case, curly quotes,
    and the characters that match an ASCII letter when case is ignored (long s, Kelvin sign, dotless i)."""
    appeal = "Your donation allows us to keep sending journalists to speak to both sides of the story."
    texts = [
        *seed_texts.values(),
        f"“Shelling” went on.\n{appeal.upper()}\nMore text.",
        f"Shelling went on.\n{appeal.replace('us', 'uſ')}\nMore text.",
        f"Shelling went on.\n{appeal.replace('keep', 'Keep')}\nMore text.",
        f"Shelling went on.\n{appeal.replace('journalists', 'journalısts')}",
        f"İstanbul.\n{appeal}",
        f"Shelling went on.\n{appeal.replace('sending ', 'sending  ')}",
    ]
    for text in texts:
        assert find_boilerplate(text) == _every_line_matched(text)
    assert find_boilerplate(texts[5]) == ((18, 18 + len(appeal)),)  # the long s is a case twin of s


def test_needle_is_a_run_every_match_holds() -> None:
    assert _needle(r"\bthe independent is on\b") == "the independent is on"
    assert _needle("sending journalists?") == "sending journalist"  # the optional s is not in every match
    assert _needle(r"big\s+news+ on") == "news"  # a repeated character is there at least once, then a new run
    assert _needle(r"\x41 sending") == " sending"  # an escape's hex digits are not plain characters
    assert _needle("[abcdefgh]xyz") is None  # too short to be worth it
    assert _needle("cat food|dog food") is None  # either branch may match
    assert _needle("(?x)cat food") is None  # verbose mode ignores the space
    assert _needle("(donation allows){0}foo") is None
