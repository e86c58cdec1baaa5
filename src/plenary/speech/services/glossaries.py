"""A meeting's glossary: terms in several languages, given to the workers that
caption it (prompt, hotwords, translation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.meetings.models import Meeting
from plenary.speech.models import GlossaryTerm
from plenary.speech.services.access import check_language


def glossary_for(meeting: Meeting) -> list[dict[str, str]]:
    return [dict(term.terms) for term in GlossaryTerm.objects.filter(meeting=meeting)]


def check_manage_glossary(user: Any, meeting: Meeting) -> None:
    if not (
        getattr(user, "is_authenticated", False)
        and (user.is_secretariat or user.pk == meeting.organiser_id)
    ):
        raise PermissionRefusal(_("Only the organiser and the secretariat edit the glossary."))


@transaction.atomic
def do_add_glossary_term(user: Any, meeting_id: int, terms: Mapping[str, str]) -> GlossaryTerm:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundRefusal(_("This meeting does not exist."))
    check_manage_glossary(user, meeting)
    cleaned = {
        check_language(code): value.strip()[:200] for code, value in terms.items() if value.strip()
    }
    if len(cleaned) < 2:
        raise Refusal(_("Give the term in at least two languages."), "invalid", "terms")
    term = GlossaryTerm.objects.create(meeting=meeting, terms=cleaned)
    audit.record(user, "speech.glossary_term_added", meeting, terms=cleaned)
    return term


@transaction.atomic
def do_delete_glossary_term(user: Any, term_id: int) -> None:
    term = GlossaryTerm.objects.select_related("meeting").filter(pk=term_id).first()
    if term is None:
        raise NotFoundRefusal(_("This glossary term does not exist."))
    check_manage_glossary(user, term.meeting)
    audit.record(user, "speech.glossary_term_deleted", term.meeting, terms=term.terms)
    term.delete()
