"""Sign-in (password, then TOTP for staff), sign-up, the profile page and its access tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from plenary.accounts import services, signin, throttle, tokens, totp
from plenary.accounts.forms import (
    AccessTokenForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
    TOTPCodeForm,
)
from plenary.accounts.models import AccessToken, User
from plenary.accounts.permissions import is_verified_staff, needs_verification, verify_url
from plenary.core.errors import Refusal
from plenary.core.redirects import safe_next


class SignInView(auth_views.LoginView):
    """The password step; staff continue to the TOTP step before being signed in."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if user.needs_two_factor:
            signin.begin_two_factor(self.request, user)
            step = "accounts:verify" if services.confirmed_device(user) else "accounts:enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
        signin.clear_pending(self.request)
        response = super().form_valid(form)
        return signin.apply_language(response, user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Single sign-on returns through ``continue_sign_in`` (language, second factor).
        context["sso_next"] = (
            f"{reverse('accounts:continue')}?{urlencode({'next': self.get_success_url()})}"
        )
        return context


@require_http_methods(["GET"])
def continue_sign_in(request: HttpRequest) -> HttpResponse:
    """Where single sign-on lands: staff go on to their code, everyone gets their language."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    next_url = safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if needs_verification(request.user):
        return HttpResponseRedirect(verify_url(next_url))
    return signin.apply_language(HttpResponseRedirect(next_url), request.user)


def _two_factor_done(request: HttpRequest, user: User) -> HttpResponse:
    default = resolve_url(settings.LOGIN_REDIRECT_URL)
    response = HttpResponseRedirect(safe_next(request, default))
    return signin.apply_language(response, user)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Second step for staff: the current code from their authenticator app."""
    user = signin.two_factor_user(request)
    if user is None:
        return redirect("accounts:login")
    device = services.confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('accounts:enrol')}?{request.GET.urlencode()}")
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.check_totp_code(device, form.cleaned_data["code"])
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            signin.complete_sign_in(request, user, device)
            return _two_factor_done(request, user)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: first sign-in of a staff member, or a replacement."""
    replacing = is_verified_staff(request.user)
    user: User | None = request.user if replacing else signin.two_factor_user(request)  # type: ignore[assignment]
    if user is None:
        return redirect("accounts:login")
    if not replacing and services.confirmed_device(user) is not None:
        # A password alone never replaces an existing second factor.
        return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
    device = services.do_start_enrolment(user)
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.do_confirm_device(user, device, form.cleaned_data["code"])
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            signin.complete_sign_in(request, user, device)
            messages.success(request, _("Your authenticator app is set up."))
            return _two_factor_done(request, user)
    context = {
        "form": form,
        "replacing": replacing,
        "qr_svg": totp.qr_svg(device),
        "secret": totp.manual_secret(device),
    }
    return render(request, "accounts/enrol.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if form.is_valid():
        try:
            user = services.do_sign_up(form.to_data())
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome! Your account is ready."))
            return signin.apply_language(redirect(settings.LOGIN_REDIRECT_URL), user)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/sign_up.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if form.is_valid():
        try:
            user = services.do_update_profile(user, form.to_data())
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Your profile is saved."))
            return signin.apply_language(redirect("accounts:profile"), user)
    context = {
        "form": form,
        "device": services.confirmed_device(user) if user.needs_two_factor else None,
    }
    return render(request, "accounts/profile.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request: HttpRequest) -> HttpResponse:
    """The person's personal access tokens: create one (its secret shown once), list them."""
    user: User = request.user  # type: ignore[assignment]
    form = AccessTokenForm(request.POST or None)
    created: tuple[AccessToken, str] | None = None
    if form.is_valid():
        try:
            created = tokens.do_create_token(user, form.to_data())
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            form = AccessTokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": AccessToken.objects.filter(user=user),
        "now": timezone.now(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    response = render(request, "accounts/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may show a token's secret
    return response


@login_required
@require_http_methods(["POST"])
def revoke_access_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.do_revoke_token(request.user, token_id)  # type: ignore[arg-type]
    except Refusal as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(user, request.POST or None)
    if form.is_valid():
        services.do_change_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:profile")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): 429, translated."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password also lifts a block after failed sign-ins."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.forget_failed_sign_ins(form.user.get_username())
        return super().form_valid(form)


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
