"""The approval policy as a table: each role x service x kind of site."""

from __future__ import annotations

import pytest

from plenary.accounts.models import User
from plenary.meetings.models import Meeting, Site
from plenary.provisioning import policy
from plenary.provisioning.models import Service

HQ = Site(
    pk=1, code="hq", kind=Site.Kind.HEADQUARTERS, offers_interpretation=True, offers_webcast=True
)
REGIONAL = Site(
    pk=2,
    code="ro",
    kind=Site.Kind.REGIONAL_OFFICE,
    offers_interpretation=False,
    offers_webcast=False,
)
OTHER_OFFICE = Site(pk=3, code="other", kind=Site.Kind.REGIONAL_OFFICE)
ORGANISER_ID = 10

# Columns: remote participation, interpretation, captions, webcast.
# A: approved automatically; C: conference department decides; S: secretariat decides;
# N: the site does not offer it; X: this person may not request services for the meeting.
TABLE = {
    "hq": {
        "secretariat": "ACAA",
        "conference": "ACAA",
        "organiser": "ACAS",
        "regional_own": "ACAA",
        "regional_other": "XXXX",
        "other_organiser": "XXXX",
        "delegate": "XXXX",
    },
    "regional": {
        "secretariat": "ANAN",
        "conference": "ANAN",
        "organiser": "ANAN",
        "regional_own": "ANAN",
        "regional_other": "XXXX",
        "other_organiser": "XXXX",
        "delegate": "XXXX",
    },
    "virtual": {
        "secretariat": "ACAA",
        "conference": "ACAA",
        "organiser": "ACAS",
        "regional_own": "XXXX",  # a virtual meeting is at nobody's office
        "regional_other": "XXXX",
        "other_organiser": "XXXX",
        "delegate": "XXXX",
    },
}
SERVICES = [Service.REMOTE_PARTICIPATION, Service.INTERPRETATION, Service.CAPTIONS, Service.WEBCAST]
SITES = {"hq": HQ, "regional": REGIONAL, "virtual": None}


def _meeting(site: Site | None) -> Meeting:
    return Meeting(code="M", site=site, organiser_id=ORGANISER_ID)


def _user(role: str, site: Site | None) -> User:
    roles = {
        "secretariat": User(pk=1, staff_role=User.StaffRole.SECRETARIAT),
        "conference": User(pk=2, staff_role=User.StaffRole.CONFERENCE),
        "organiser": User(pk=ORGANISER_ID, staff_role=User.StaffRole.ORGANISER),
        "regional_own": User(pk=4, staff_role=User.StaffRole.REGIONAL_OFFICE, staff_site=site),
        "regional_other": User(
            pk=5, staff_role=User.StaffRole.REGIONAL_OFFICE, staff_site=OTHER_OFFICE
        ),
        "other_organiser": User(pk=6, staff_role=User.StaffRole.ORGANISER),
        "delegate": User(pk=7),
    }
    return roles[role]


def _outcome(user: User, meeting: Meeting, service: str) -> str:
    if not policy.may_manage(user, meeting):
        return "X"
    if not policy.site_offers(meeting, service):
        return "N"
    approval = policy.approval_for(user, meeting, service)
    if approval.automatic:
        return "A"
    assert approval.approver is not None
    return {User.StaffRole.CONFERENCE: "C", User.StaffRole.SECRETARIAT: "S"}[approval.approver]


@pytest.mark.parametrize(
    ("site", "role"), [(site, role) for site, rows in TABLE.items() for role in rows]
)
def test_policy_table(site: str, role: str) -> None:
    meeting = _meeting(SITES[site])
    user = _user(role, SITES[site])
    got = "".join(_outcome(user, meeting, service) for service in SERVICES)
    assert got == TABLE[site][role]


def test_every_pending_outcome_says_why() -> None:
    approval = policy.approval_for(_user("organiser", HQ), _meeting(HQ), Service.WEBCAST)
    assert not approval.automatic
    assert "secretariat" in str(approval.reason)


DECIDERS = {
    # Columns as in TABLE: who may approve or reject a pending request.
    "secretariat": "YNYY",
    "conference": "YYYY",
    "organiser": "NNNN",
    "regional_own": "NNNN",
    "delegate": "NNNN",
}


@pytest.mark.parametrize("role", list(DECIDERS))
def test_who_decides(role: str) -> None:
    user = _user(role, HQ)
    got = "".join("Y" if policy.may_decide(user, service) else "N" for service in SERVICES)
    assert got == DECIDERS[role]


def test_superusers_decide_everything() -> None:
    user = User(pk=9, is_superuser=True)
    assert all(policy.may_decide(user, service) for service in SERVICES)
