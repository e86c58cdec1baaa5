"""Reading a message in one's own language: the author's translation, or a machine one.

A message keeps the text its author wrote. A reader asks for it in their page's
language: the author's own translation into that language when there is one
(marked by the author: Decidim's rule, the human text first), else a machine
translation where an installed model serves the pair (``speech.mt``), made
once and cached (``MessageTranslation``, kept apart from the text, labelled
as machine-made on every page). A translation of an earlier text is stale
after an edit and is made again. Where no model serves the pair, the reader
is told so and the original stays as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.speech import mt
from plenary.speech.engines.base import EngineError
from plenary.workspaces import markup
from plenary.workspaces.models import Message, MessageTranslation
from plenary.workspaces.services.access import Place, check_write
from plenary.workspaces.services.messages import clean_message, get_message

Kind = MessageTranslation.Kind


@dataclass(frozen=True)
class Shown:
    """A message as a reader asked for it."""

    html: str
    language: str
    kind: str  # "original", or a MessageTranslation.Kind


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def may_translate(message: Message, language: str) -> bool:
    """Whether asking for ``message`` in ``language`` can give something else than it."""
    return bool(message.language) and message.language != language and language in UN_LANGUAGES


def _current(message: Message, language: str, kind: str) -> MessageTranslation | None:
    found = MessageTranslation.objects.filter(message=message, language=language, kind=kind).first()
    return found if found is not None and found.source_digest == digest(message.text) else None


def read_in(place: Place, message_id: int, language: str) -> Shown:
    """The message in ``language``: the author's translation, a machine one, or the original.

    ``Refusal`` (``no_translation``) when only a machine could translate it and
    no installed model serves the pair, or the engine fails.
    """
    message = get_message(place, message_id)
    if message.hidden_at is not None or not may_translate(message, language):
        return Shown(message.html, message.language, "original")
    for kind in (Kind.HUMAN, Kind.MACHINE):
        cached = _current(message, language, kind)
        if cached is not None:
            return Shown(cached.html, language, kind)
    try:
        (text,) = mt.translate_texts([message.text], message.language, language)
    except EngineError:  # ModelMissing included
        raise Refusal(
            _("No machine translation of this message into your language is available."),
            "no_translation",
        ) from None
    html = markup.render(text).html
    _store(message, language, Kind.MACHINE, text, html)
    return Shown(html, language, Kind.MACHINE)


def _store(message: Message, language: str, kind: str, text: str, html: str) -> None:
    """Keep a translation (two readers asking at once store it once)."""
    try:
        with transaction.atomic():
            MessageTranslation.objects.update_or_create(
                message=message,
                language=language,
                kind=kind,
                defaults={"text": text, "html": html, "source_digest": digest(message.text)},
            )
    except IntegrityError:
        pass


def do_translate_own(user: Any, place: Place, message_id: int, language: str, text: str) -> None:
    """The author gives their message in another language (shown before any machine one)."""
    with transaction.atomic():
        check_write(place)
        message = get_message(place, message_id)
        if message.author_id != place.user_id:
            raise PermissionRefusal(_("Only its author translates a message this way."))
        if language not in UN_LANGUAGES or language == message.language:
            raise Refusal(_("Choose another of the six languages."), "invalid_language", "language")
        text = clean_message(text)
        _store(message, language, Kind.HUMAN, text, markup.render(text).html)


def own_translations(message: Message) -> dict[str, str]:
    """The author's current translations of ``message``: language -> text."""
    current = digest(message.text)
    return {
        row.language: row.text
        for row in MessageTranslation.objects.filter(message=message, kind=Kind.HUMAN)
        if row.source_digest == current
    }


def labels() -> dict[str, Any]:
    """How pages name each kind (one place, so the labels never drift)."""
    return {
        Kind.MACHINE: _("Machine translation — the original is one click away"),
        Kind.HUMAN: _("Translated by the author"),
        "original": _("Original"),
    }
