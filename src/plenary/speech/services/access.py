"""Who may run a speech worker, manage captions, read and correct the transcript;
which languages are official."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.live.standing import Standing, standing_for
from plenary.meetings.models import Meeting, Session
from plenary.speech.models import CaptionSegment

MAX_TEXT = 2000


def worker_token() -> str:
    """The workers' shared secret: configured, or derived from ``SECRET_KEY``."""
    configured = str(settings.SPEECH_WORKER_TOKEN)
    if configured:
        return configured
    return hmac.new(
        settings.SECRET_KEY.encode(), b"plenary.speech.worker", hashlib.sha256
    ).hexdigest()


def check_worker_token(token: str) -> None:
    if not hmac.compare_digest(token.encode(), worker_token().encode()):
        raise PermissionRefusal(_("This speech worker is not authorised."))


def check_manage_captions(user: Any, session: Session) -> Standing:
    """Chair, secretariat and room operators start and stop captions and AI voices."""
    standing = standing_for(user, session)
    if not standing.is_staff:
        raise PermissionRefusal(
            _("Only the chair, the secretariat and room operators manage captions.")
        )
    return standing


def check_view_transcript(user: Any, session: Session) -> Standing:
    standing = standing_for(user, session)
    published = session.meeting.status == Meeting.Status.PUBLISHED
    if not (standing.is_participant or (published and standing.user_id is not None)):
        raise PermissionRefusal(_("You may not read this transcript."))
    return standing


def check_correct_segment(user: Any, segment: CaptionSegment, text: str) -> str:
    standing = standing_for(user, segment.session)
    if not standing.is_secretariat:
        raise PermissionRefusal(_("Only the secretariat corrects the transcript."))
    if segment.kind == CaptionSegment.Kind.GAP:
        raise Refusal(_("A gap in the captions has no text to correct."), "invalid", "text")
    text = text.strip()
    if not text:
        raise Refusal(_("The corrected text may not be empty."), "invalid", "text")
    if len(text) > MAX_TEXT:
        raise Refusal(_("The text is too long."), "invalid", "text")
    return text


def check_language(code: str, field: str = "language") -> str:
    if code not in UN_LANGUAGES:
        raise Refusal(
            _("“%(code)s” is not an official language.") % {"code": code}, "invalid", field
        )
    return code
