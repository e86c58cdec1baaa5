"""The short role guides: a few steps each, translated like every other string."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plenary.guidance.models import TrainingModule


@dataclass(frozen=True)
class RoleGuide:
    slug: str
    module: TrainingModule
    title: Promise
    steps: tuple[Promise, ...]


GUIDES: dict[str, RoleGuide] = {
    guide.slug: guide
    for guide in (
        RoleGuide(
            "delegate",
            TrainingModule.GUIDE_DELEGATE,
            _("Guide for delegates"),
            (
                _("Run the device and connection self-test on the day before the meeting."),
                _("Use a headset with a microphone; loudspeakers cause echo for everyone."),
                _("Choose your language channel to listen to the interpretation."),
                _("Ask for the floor with the button; speak only when the chair gives it."),
                _("Keep your microphone muted when you are not speaking."),
            ),
        ),
        RoleGuide(
            "chair",
            TrainingModule.GUIDE_CHAIR,
            _("Guide for chairs"),
            (
                _("Open the speakers' list before the session starts."),
                _("Give the floor in turn to participants in the room and remote participants."),
                _("Announce each speaker by name and delegation for the interpreters."),
                _("Points of order appear at the top of the list: deal with them first."),
                _("If a remote speaker cannot be heard, move on and come back to them."),
            ),
        ),
        RoleGuide(
            "interpreter",
            TrainingModule.GUIDE_INTERPRETER,
            _("Guide for interpreters"),
            (
                _("Sign in to the interpreter console at least fifteen minutes early."),
                _("Check that you hear the floor and that your booth partner hears you."),
                _("Use the cough key rather than muting your microphone."),
                _("Hand over to your partner with the handover button, never by talking over."),
                _("Report poor sound from a remote speaker to the chair through the console."),
            ),
        ),
        RoleGuide(
            "organiser",
            TrainingModule.GUIDE_ORGANISER,
            _("Guide for organisers"),
            (
                _("Request remote participation, interpretation and captions in good time."),
                _("Decide whether participants must confirm the guidelines before joining."),
                _("Send the join links only after registrations are approved."),
                _("Hold a short technical rehearsal with the chair and remote speakers."),
                _("After the meeting, check the statistics and report any incident."),
            ),
        ),
    )
}
