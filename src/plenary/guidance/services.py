"""Publishing guidelines, the "I have read" step and recording training."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.accounts.permissions import is_verified_staff
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.guidance.models import (
    Acknowledgement,
    Guideline,
    MeetingGuidance,
    TrainingCompletion,
    TrainingModule,
)
from plenary.meetings.models import Meeting, Sector

MAX_TEXT_LENGTH = 50_000


# --- Guidelines -------------------------------------------------------------


def guideline_in_force(sector: Sector, on: dt.date | None = None) -> Guideline | None:
    """The newest version in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return (
        Guideline.objects.filter(sector=sector, in_force_from__lte=on)
        .order_by("-in_force_from", "-version")
        .first()
    )


def guideline_for_meeting(meeting: Meeting) -> Guideline | None:
    """The version a meeting links to: the one in force on its first day.

    A meeting whose first day precedes every version gets the earliest one.
    """
    return guideline_in_force(meeting.sector, meeting.start_date) or (
        Guideline.objects.filter(sector=meeting.sector).order_by("in_force_from", "version").first()
    )


def check_publish_guideline(
    user: User, sector: Sector, texts: dict[str, str], in_force_from: dt.date
) -> dict[str, str]:
    """Authorise and validate a new version; return the cleaned texts."""
    if not (is_verified_staff(user) and user.is_secretariat):
        raise PermissionRefusal(_("Only the secretariat may publish guidelines."))
    unknown = set(texts) - set(UN_LANGUAGES)
    if unknown:
        raise Refusal(_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    cleaned = {code: text.strip() for code, text in texts.items() if text and text.strip()}
    if "en" not in cleaned:
        raise Refusal(_("The English text is required."), field="text_en")
    if any(len(text) > MAX_TEXT_LENGTH for text in cleaned.values()):
        raise Refusal(_("A text is longer than %(max)d characters.") % {"max": MAX_TEXT_LENGTH})
    latest = Guideline.objects.filter(sector=sector).order_by("-version").first()
    if latest is not None and in_force_from < latest.in_force_from:
        raise Refusal(
            _("A new version cannot come into force before version %(version)d (%(date)s).")
            % {"version": latest.version, "date": latest.in_force_from.isoformat()},
            field="in_force_from",
        )
    return cleaned


def do_publish_guideline(
    user: User,
    sector: Sector,
    texts: dict[str, str],
    in_force_from: dt.date,
    change_note: str = "",
) -> Guideline:
    """Validate and store the next version of ``sector``'s guidelines."""
    cleaned = check_publish_guideline(user, sector, texts, in_force_from)
    with transaction.atomic():
        # Lock the sector row so that two editors cannot take the same number.
        Sector.objects.select_for_update().get(pk=sector.pk)
        last = Guideline.objects.filter(sector=sector).aggregate(v=Max("version"))["v"] or 0
        guideline = Guideline.objects.create(
            sector=sector,
            version=last + 1,
            in_force_from=in_force_from,
            texts=cleaned,
            change_note=change_note.strip()[:300],
            created_by=user,
        )
        audit.record(user, "guidance.guideline_published", guideline, version=guideline.version)
    return guideline


# --- The "I have read" step -----------------------------------------------


def acknowledgement_required(meeting: Meeting) -> bool:
    return MeetingGuidance.objects.filter(meeting=meeting, require_acknowledgement=True).exists()


def do_set_acknowledgement_required(user: User, meeting: Meeting, required: bool) -> None:
    """The meeting's organiser (or the secretariat) switches the step on or off."""
    if not ((is_verified_staff(user) and user.is_secretariat) or meeting.organiser_id == user.pk):
        raise PermissionRefusal(_("Only the organiser of this meeting may change this setting."))
    with transaction.atomic():
        MeetingGuidance.objects.update_or_create(
            meeting=meeting, defaults={"require_acknowledgement": required}
        )
        audit.record(user, "guidance.acknowledgement_required", meeting, required=required)


def pending_guideline(user: User, meeting: Meeting) -> Guideline | None:
    """The guideline ``user`` must still confirm before joining ``meeting``, if any.

    Join pages call this: ``None`` means the person may go on.
    """
    if not acknowledgement_required(meeting):
        return None
    guideline = guideline_for_meeting(meeting)
    if guideline is None:
        return None
    if Acknowledgement.objects.filter(user=user, guideline=guideline).exists():
        return None
    return guideline


def do_acknowledge(user: User, guideline: Guideline, meeting: Meeting | None = None) -> None:
    """Record that ``user`` has read ``guideline`` (confirming twice is harmless)."""
    if not user.is_authenticated:
        raise PermissionRefusal(_("Sign in to confirm that you have read the guidelines."))
    try:
        with transaction.atomic():
            Acknowledgement.objects.create(user=user, guideline=guideline, meeting=meeting)
    except IntegrityError:
        return


def get_guideline(pk: int) -> Guideline:
    guideline = Guideline.objects.select_related("sector").filter(pk=pk).first()
    if guideline is None:
        raise NotFoundRefusal(_("There is no such guideline version."))
    return guideline


# --- Training -------------------------------------------------------------

_RESULT_KEYS: dict[str, type] = {
    "latency_ms": float,
    "throughput_kbps": float,
    "microphone_ok": bool,
    "speaker_ok": bool,
}


def check_record_completion(user: User, module: str, results: dict[str, Any]) -> dict[str, Any]:
    if not user.is_authenticated:
        raise PermissionRefusal(_("Sign in to record your training."))
    if module not in TrainingModule.values:
        raise Refusal(_("Unknown training module."), field="module")
    cleaned: dict[str, Any] = {}
    for key, value in results.items():
        kind = _RESULT_KEYS.get(key)
        if kind is None:
            raise Refusal(_("Unknown result: %(key)s.") % {"key": key[:40]}, field="results")
        if kind is bool and not isinstance(value, bool):
            raise Refusal(_("“%(key)s” must be true or false.") % {"key": key}, field="results")
        if kind is float:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0 <= value < 10**7)
            ):
                raise Refusal(
                    _("“%(key)s” must be a positive number.") % {"key": key}, field="results"
                )
            cleaned[key] = round(float(value), 1)
        else:
            cleaned[key] = value
    return cleaned


def do_record_completion(
    user: User, module: str, results: dict[str, Any] | None = None
) -> TrainingCompletion:
    """Append one completion of ``module`` with its (validated) measurements."""
    cleaned = check_record_completion(user, module, results or {})
    return TrainingCompletion.objects.create(user=user, module=module, results=cleaned)
