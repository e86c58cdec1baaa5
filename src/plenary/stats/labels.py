"""Human labels for the keys the queries return (sector codes, regions, months...)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from plenary.accounts.models import DevelopmentStatus, Entity, Region, User
from plenary.core.languages import Language
from plenary.guidance.models import TrainingModule
from plenary.meetings.models import Meeting, RemoteRight, Sector, Site
from plenary.stats.models import ServiceCost

DIMENSION_TITLES = {
    "sector": lambda: _("Sector"),
    "site": lambda: _("Site"),
    "meeting_type": lambda: _("Meeting type"),
    "category": lambda: _("Entity category"),
    "region": lambda: _("Region"),
    "development_status": lambda: _("Development status"),
    "gender": lambda: _("Gender"),
    "month": lambda: _("Month"),
}


def dimension_title(dimension: str) -> str:
    return str(DIMENSION_TITLES[dimension]())


def label(dimension: str, key: str) -> str:
    """The label of ``key`` in ``dimension``; empty keys are "unknown"."""
    choices: Mapping[str, object]
    if dimension == "month":
        return str(MONTHS.get(int(key), key)) if key else _("Unknown")
    if dimension == "site":
        if not key:
            return _("Virtual meeting (no site)")
        site = Site.objects.filter(code=key).first()
        return site.name if site else key
    if dimension == "gender" and not key:
        return _("Not disclosed")
    if not key:
        return _("Unknown")
    choices = {
        "sector": dict(Sector.Code.choices),
        "meeting_type": dict(Meeting.Type.choices),
        "category": dict(Entity.Category.choices),
        "region": dict(Region.choices),
        "development_status": dict(DevelopmentStatus.choices),
        "gender": dict(User.Gender.choices),
        "language": dict(Language.choices),
        "module": dict(TrainingModule.choices),
        "service": dict(ServiceCost.Service.choices),
        "right": dict(RemoteRight.choices),
    }.get(dimension, {})
    return str(choices.get(key, key))
