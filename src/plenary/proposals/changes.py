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
    """Base text -> proposed text in ``language``.

    A proposal not yet translated into ``language`` is shown in its original
    language, base text included, so that the diff never mixes languages.
    """
    original = proposal.document.original_language
    if proposal.action in {Action.ADD, Action.MOD, Action.EDITORIAL} and not proposal.texts.get(
        language
    ):
        language = original
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
