from typing import cast

from django import forms

from plenary.meetings.forms import TIME_ZONES, MeetingForm


def test_time_zones_are_canonical_area_location_zones_sorted() -> None:
    assert sorted(TIME_ZONES) == TIME_ZONES
    assert {"Europe/Zurich", "Africa/Addis_Ababa", "Asia/Tokyo", "America/New_York"} <= set(
        TIME_ZONES
    )
    assert not {"US/Samoa", "Navajo", "Japan", "UTC", "Etc/GMT+3"} & set(TIME_ZONES)
    assert all("/" in zone for zone in TIME_ZONES)


def test_the_form_accepts_exactly_the_offered_time_zones() -> None:
    field = cast(forms.ChoiceField, MeetingForm.base_fields["time_zone"])
    assert all(field.valid_value(zone) for zone in TIME_ZONES)
    assert not field.valid_value("Japan")
    assert not field.valid_value("US/Samoa")
