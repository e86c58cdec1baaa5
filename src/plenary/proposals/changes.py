"""A proposal's change to its base text, as word-level tracked changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from plenary.proposals.models import Action, Proposal
from plenary.proposals.text import Chunk, diff_html, word_diff


@dataclass
class Change:
    proposal: Proposal
    language: str
    chunks: list[Chunk]
    reasons: str

    @property
    def html(self) -> SafeString:
        return diff_html(self.chunks)


def in_language(texts: dict[str, str], language: str, fallback: str) -> str:
    return texts.get(language) or texts.get(fallback, "")


def tracked_changes(proposal: Proposal, language: str) -> Change:
    """Base text -> proposed text in ``language`` (or the original language if untranslated)."""
    original = proposal.document.original_language
    base = proposal.provision.texts if proposal.provision else {}
    old = in_language(base, language, original)
    new = in_language(proposal.texts, language, original)
    if proposal.action == Action.ADD:
        chunks = [Chunk("insert", new)]
    elif proposal.action == Action.SUP:
        chunks = [Chunk("delete", old)]
    elif proposal.action == Action.NOC:
        chunks = [Chunk("equal", old)]
    else:
        chunks = word_diff(old, new)
    return Change(proposal, language, chunks, in_language(proposal.reasons, language, original))
