"""The Django admin for staff: workspaces, their channels, members and groups.

Messages are read here, never changed or deleted (moderators hide them on the
workspace's pages, which audits it): their admin is read-only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from plenary.workspaces import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["invited_by", "joined_at"]


class ChannelInline(admin.TabularInline):
    model = models.Channel
    extra = 0
    fields = ["slug", "name", "description", "moderators_post", "position", "archived_at"]
    can_delete = False


@admin.register(models.Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "visibility", "archived_at"]
    list_filter = ["kind", "visibility", "sector"]
    search_fields = ["slug", "names"]
    filter_horizontal = ["entities"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [ChannelInline, MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archived, never deleted

    def save_model(
        self, request: HttpRequest, obj: models.Workspace, form: Any, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["handle", "name", "workspace", "moderators_only"]
    list_filter = ["workspace"]
    filter_horizontal = ["members"]


class ReadOnly(admin.ModelAdmin):
    """Written by the services only (they check, lock and publish); staff read them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Message)
class MessageAdmin(ReadOnly):
    list_display = ["pk", "topic", "author", "created_at", "edited_at", "hidden_at"]
    list_filter = ["topic__channel__workspace"]
    search_fields = ["text"]
    list_select_related = ["topic", "author"]


@admin.register(models.Call)
class CallAdmin(ReadOnly):
    list_display = ["pk", "topic", "started_by", "started_at", "ended_at"]
    list_filter = ["topic__channel__workspace"]
    list_select_related = ["topic", "started_by"]
