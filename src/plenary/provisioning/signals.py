"""Participants approved after remote participation was provisioned get their link too."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from plenary.meetings.models import Participation
from plenary.provisioning import services


@receiver(post_save, sender=Participation, dispatch_uid="provisioning.new_participant")
def join_link_for_new_participant(
    sender: type[Participation], instance: Participation, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        services.issue_join_link(instance.user, instance.meeting)
