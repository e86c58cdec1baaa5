"""factory_boy factories for the staff who request and approve services."""

from __future__ import annotations

from plenary.accounts.models import User
from plenary.accounts.tests.factories import StaffFactory, UserFactory


class ConferenceStaffFactory(StaffFactory):
    """Conference department: approves interpretation."""

    staff_role = User.StaffRole.CONFERENCE


class RegionalStaffFactory(UserFactory):
    """Regional-office staff; pass ``staff_site``."""

    staff_role = User.StaffRole.REGIONAL_OFFICE
