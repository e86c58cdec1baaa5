"""The Sectors' rules for remote participants, in one place.

ITU-R study groups and working parties do not allow interactive remote
participation (remote participants observe); ITU-T lets remote delegates take
the floor and introduce contributions; ITU-D and the General Secretariat let
them take the floor. The organiser may lower a session's rights, never raise
them above the ceiling for the Sector and meeting type.
"""

from __future__ import annotations

from plenary.meetings.models import REMOTE_RIGHT_ORDER, Meeting, RemoteRight, Sector

_FORMAL_R_TYPES = {Meeting.Type.STUDY_GROUP, Meeting.Type.WORKING_PARTY}

_SECTOR_CEILING: dict[str, RemoteRight] = {
    Sector.Code.RADIOCOMMUNICATION: RemoteRight.SPEAK,
    Sector.Code.STANDARDIZATION: RemoteRight.CONTRIBUTE,
    Sector.Code.DEVELOPMENT: RemoteRight.CONTRIBUTE,
    Sector.Code.GENERAL_SECRETARIAT: RemoteRight.SPEAK,
}

_SECTOR_DEFAULT: dict[str, RemoteRight] = {
    Sector.Code.RADIOCOMMUNICATION: RemoteRight.OBSERVE,
    Sector.Code.STANDARDIZATION: RemoteRight.CONTRIBUTE,
    Sector.Code.DEVELOPMENT: RemoteRight.SPEAK,
    Sector.Code.GENERAL_SECRETARIAT: RemoteRight.SPEAK,
}


def remote_right_ceiling(sector_code: str, meeting_type: str) -> RemoteRight:
    """The most a remote participant may ever do in such a meeting."""
    if sector_code == Sector.Code.RADIOCOMMUNICATION and meeting_type in _FORMAL_R_TYPES:
        return RemoteRight.OBSERVE
    return _SECTOR_CEILING[sector_code]


def default_remote_right(sector_code: str, meeting_type: str) -> RemoteRight:
    """The right a new session starts with."""
    return min(
        _SECTOR_DEFAULT[sector_code],
        remote_right_ceiling(sector_code, meeting_type),
        key=REMOTE_RIGHT_ORDER.index,
    )


def allows(granted: str, needed: str) -> bool:
    """Whether the right ``granted`` includes ``needed``."""
    return REMOTE_RIGHT_ORDER.index(RemoteRight(granted)) >= REMOTE_RIGHT_ORDER.index(
        RemoteRight(needed)
    )
