"""The Django admin, open only to staff whose session passed the second factor."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from plenary.accounts.permissions import is_verified_staff, needs_verification, verify_url


class VerifiedAdminSite(admin.AdminSite):
    """Signing in happens on Plenary's own pages (password, then TOTP)."""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified_staff(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if needs_verification(request.user):
            return HttpResponseRedirect(verify_url(next_url))
        if request.user.is_authenticated:
            # Signed in without staff rights: the admin explains it on its own page.
            response: HttpResponse = super().login(request, extra_context)
            return response
        return redirect_to_login(next_url)
