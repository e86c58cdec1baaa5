from django.contrib.auth import views as auth_views
from django.urls import path

from plenary.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("login/authenticator/", views.enrol, name="enrol"),
    path("login/continue/", views.continue_sign_in, name="continue"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/tokens/", views.access_tokens, name="tokens"),
    path(
        "profile/tokens/<int:token_id>/revoke/",
        views.revoke_access_token,
        name="revoke_token",
    ),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
