"""Absolute addresses for emails and calendar files (``settings.BASE_URL``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from plenary.meetings.models import Meeting


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def meeting_url(meeting: Meeting) -> str:
    return absolute(reverse("meetings:detail", kwargs={"code": meeting.code}))


def join_url(token: str) -> str:
    return absolute(reverse("provisioning:join", kwargs={"token": token}))


def webcast_url(token: str) -> str:
    return absolute(reverse("provisioning:webcast", kwargs={"token": token}))


def feed_url(token: str) -> str:
    return absolute(reverse("provisioning:feed", kwargs={"token": token}))


def queue_url() -> str:
    return absolute(reverse("provisioning:queue"))


def request_url(meeting: Meeting) -> str:
    return absolute(reverse("provisioning:request", kwargs={"code": meeting.code}))
