"""Admin for the meetings tables (secretariat maintenance; the pages use services)."""

from django.contrib import admin

from plenary.meetings.forms import SiteForm
from plenary.meetings.models import (
    Meeting,
    Participation,
    Registration,
    Room,
    Sector,
    Session,
    Site,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__"]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    form = SiteForm
    list_display = ["name", "code", "kind", "city", "country", "time_zone"]
    list_filter = ["kind", "offers_interpretation", "offers_webcast"]
    search_fields = ["name", "code", "city"]
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "capacity", "interpretation_booths"]
    list_filter = ["site"]
    search_fields = ["name"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    autocomplete_fields = ["room"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "sector", "meeting_type", "site", "start_date", "status"]
    list_filter = ["status", "sector", "meeting_type", "site"]
    search_fields = ["code"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["organiser"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "starts_at", "ends_at", "room", "remote_right"]
    list_filter = ["remote_right"]
    search_fields = ["title", "meeting__code"]
    autocomplete_fields = ["meeting", "room"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "meeting", "entity", "kind", "attendance", "status", "created_at"]
    list_filter = ["status", "kind", "attendance"]
    search_fields = ["user__username", "user__email", "meeting__code", "entity__name"]
    autocomplete_fields = ["meeting", "user", "entity", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["user", "meeting", "role", "entity", "attendance", "language"]
    list_filter = ["role", "attendance"]
    search_fields = ["user__username", "meeting__code"]
    autocomplete_fields = ["meeting", "user", "entity", "registration"]
