from django.contrib import admin

from plenary.provisioning.models import CalendarFeed, JoinLink, ServiceRequest


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the queue so that policy, audit and emails apply."""

    list_display = ["meeting", "service", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["service", "status"]
    search_fields = ["meeting__code", "requested_by__username", "requested_by__email"]
    readonly_fields = [
        "meeting",
        "service",
        "languages",
        "public",
        "note",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "webcast_token",
    ]
    list_select_related = ["meeting", "requested_by", "decided_by"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(JoinLink)
class JoinLinkAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["meeting__code", "user__username", "user__email"]
    readonly_fields = ["meeting", "user", "token", "created_at", "revoked_at"]
    list_select_related = ["meeting", "user"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "token", "created_at", "revoked_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request: object) -> bool:
        return False
