"""Text helpers: word-level diffs, and the search folding (from ``core.text``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from plenary.core.text import fold

__all__ = ["Chunk", "diff_html", "fold", "tokens", "word_diff"]

# A token is a word, a single CJK character (those scripts do not separate
# words with spaces), a run of whitespace or one punctuation sign.
_TOKEN = re.compile(
    r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\W\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+|[^\w\s]",
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Chunk:
    op: Literal["equal", "insert", "delete"]
    text: str


def word_diff(old: str, new: str) -> list[Chunk]:
    """Word-level differences from ``old`` to ``new``; joining equal+insert gives ``new``."""
    before, after = tokens(old), tokens(new)
    chunks: list[Chunk] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chunks.append(Chunk("equal", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("delete", "".join(before[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("insert", "".join(after[j1:j2])))
    return chunks


def diff_html(chunks: list[Chunk]) -> SafeString:
    """Tracked changes as ``<ins>``/``<del>``, escaped."""
    parts = []
    for chunk in chunks:
        text = escape(chunk.text)
        if chunk.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif chunk.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
