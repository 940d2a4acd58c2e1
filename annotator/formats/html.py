"""HTML articles: main text extracted once (tags removed, entities decoded once), metadata from the head."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.errors import UserError
from annotator.formats.articles import iso_date
from annotator.formats.text import decode_bytes, read_file_bytes

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select"
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td", "th", "dd", "dt"}
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


def _meta(tree: HTMLParser, *names: str) -> str:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"]') or tree.css_first(f'meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            return str(node.attributes["content"]).strip()
    return ""


def _has_block_ancestor(node: Node, root: Node) -> bool:
    parent = node.parent
    while parent is not None and parent is not root:
        if parent.tag in _BLOCKS:
            return True
        parent = parent.parent
    return False


def extract_text(tree: HTMLParser) -> str:
    """Paragraph-per-block text of the article (or main, or body), blocks separated by blank lines."""
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return ""
    blocks = []
    for node in root.traverse(include_text=False):
        if node.tag in _BLOCKS and not _has_block_ancestor(node, root):
            text = _SPACES.sub(" ", node.text(deep=True, separator=" ")).strip()
            if text:
                blocks.append(text)
    if not blocks:  # a page of bare text in divs
        lines = (_SPACES.sub(" ", line).strip() for line in root.text(separator="\n").splitlines())
        blocks = [line for line in lines if line]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def read_html(path: Path, max_bytes: int) -> Iterator[DocumentRecord | ReadProblem]:
    """The page's article as one document, after a warning if bytes had to be replaced."""
    decoded = decode_bytes(read_file_bytes(path, max_bytes), path)
    tree = HTMLParser(decoded.text)
    title_node = tree.css_first("title")
    title = _meta(tree, "og:title", "twitter:title") or (title_node.text(strip=True) if title_node else "")
    canonical = tree.css_first('link[rel="canonical"]')
    url = _meta(tree, "og:url") or (str(canonical.attributes.get("href") or "") if canonical else "")
    published = iso_date(_meta(tree, "article:published_time", "datePublished", "date", "pubdate"))
    if published is None:
        time_node = tree.css_first("time[datetime]")
        published = iso_date(str(time_node.attributes.get("datetime") or "")) if time_node else None
    text = extract_text(tree)
    if not text.strip():
        raise UserError("no article text found in the HTML", path=path)
    if (problem := decoded.problem(path)) is not None:
        yield problem
    yield DocumentRecord(
        doc_id=path.stem,
        text=text,
        title=title,
        source=_meta(tree, "og:site_name"),
        url=url,
        published=published,
        meta={"path": str(path), "format": "html"},
    )
