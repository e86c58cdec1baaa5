"""A message's Markdown, rendered once when written, and the mentions it makes.

markdown-it-py (CommonMark, tables, strikethrough) with raw HTML and images
off — a message never loads anything from elsewhere — then nh3 (ammonia) as a
second fence over the result: only the tags below, links with ``http``,
``https`` or ``mailto`` and ``rel="nofollow noopener noreferrer"``.

Mentions: ``@handle`` (a group, an entity's code or one-word name, an account's
user name) or ``@**Full name**`` for names with spaces. This module only finds
them; ``services.mentions`` decides who they reach. In the HTML each mention
is a ``<span class="mention">`` so the page can style it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

MAX_CHARS = 10_000
MAX_TITLE_CHARS = 120

_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th",
    "td", "span",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
    "span": {"dir"},
}

# @**Full name** or @handle (letters of any script, digits, . _ -), not inside a word.
MENTION = re.compile(r"@(?:\*\*([^*\n]{1,80})\*\*|(\w(?:[\w.\-]{0,78}\w)?))")

_WORD = re.compile(r"[\w@]")


@dataclass(frozen=True)
class Rendered:
    html: str
    mentions: tuple[str, ...]  # each as written, without the @ and the stars, in order


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """An inline rule, before emphasis (so ``@**Full name**`` is no bold text)."""
    if state.src[state.pos] != "@" or (state.pos and _WORD.match(state.src[state.pos - 1])):
        return False
    match = MENTION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        name = (match.group(1) or match.group(2)).strip()
        state.env.setdefault("mentions", []).append(name)
        state.push("mention_open", "span", 1)
        state.push("text", "", 0).content = match.group(0).replace("**", "")
        state.push("mention_close", "span", -1)
    state.pos = match.end()
    return True


_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .disable("image")
)
_markdown.inline.ruler.before("emphasis", "mention", _mention_rule)
# dir="auto": "@jean" stays "@jean" in a right-to-left paragraph.
_markdown.add_render_rule("mention_open", lambda *_args: '<span class="mention" dir="auto">')
_markdown.add_render_rule("mention_close", lambda *_args: "</span>")


def render(text: str) -> Rendered:
    """The sanitised HTML of ``text`` and the mentions it makes."""
    env: dict[str, list[str]] = {}
    html = _markdown.render(text, env)
    safe = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes={"span": {"mention"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        filter_style_properties={"text-align"},
    )
    return Rendered(safe, tuple(env.get("mentions", [])))


def topic_key(title: str) -> str:
    """A topic's name folded: two titles with the same key are the same topic."""
    folded = unicodedata.normalize("NFKC", " ".join(title.split())).casefold()
    return folded[:MAX_TITLE_CHARS]
