from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plenary.accounts import services, tokens
from plenary.accounts.models import AccessToken, Entity, User
from plenary.core.errors import Refusal


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Plenary"),
            {"fields": ("entity", "staff_role", "staff_site", "preferred_language", "gender")},
        ),
        (_("Single sign-on"), {"fields": ("oidc_subject",)}),
    )
    list_display = ("username", "email", "first_name", "last_name", "entity", "staff_role")
    list_filter = ("staff_role", "is_staff", "is_active", "preferred_language", "entity__region")
    search_fields = ("username", "email", "first_name", "last_name", "entity__name")
    autocomplete_fields = ("entity",)
    readonly_fields = ("oidc_subject",)


class EntityAdminForm(forms.ModelForm):
    """Checks the focal points with the same rule as the service that saves them."""

    class Meta:
        model = Entity
        fields = (
            "name",
            "code",
            "category",
            "country",
            "region",
            "development_status",
            "sectors",
            "focal_points",
        )

    def clean_focal_points(self) -> Any:
        people = self.cleaned_data["focal_points"]
        outsiders = services.non_members(self.instance, people)
        if outsiders:
            raise forms.ValidationError(
                _("Focal points must represent this entity: %(names)s do not."),
                params={"names": ", ".join(outsiders)},
            )
        return people


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ("name", "code", "category", "country", "region")
    list_filter = ("category", "region", "development_status", "sectors")
    search_fields = ("name", "code", "country")
    filter_horizontal = ("focal_points", "sectors")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "focal_points":
            # Only the entity's own members can be its focal points.
            match = request.resolver_match
            object_id = match.kwargs.get("object_id") if match else None
            members = User.objects.filter(entity_id=object_id) if object_id else User.objects.none()
            kwargs["queryset"] = members.order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Focal points go through the service, which audits each change."""
        people = list(form.cleaned_data.pop("focal_points", []))
        super().save_related(request, form, formsets, change)
        try:
            services.do_set_focal_points(request.user, form.instance, people)  # type: ignore[arg-type]
        except Refusal as refusal:
            self.message_user(request, str(refusal.message), level="error")


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Operators see every token (never its secret) and revoke one that leaked."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = (*list_display, "scopes")
    exclude = ("digest",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is created by its owner, who alone sees its secret

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a revoked token stays, for the record

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.delete_accesstoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[AccessToken]) -> None:
        count = tokens.do_revoke_tokens(request.user, queryset)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )
