from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "plenary.accounts"
    label = "accounts"
    verbose_name = _("People and entities")
    default = True


class PlenaryAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with a site that requires a two-factor-verified session."""

    default = False
    default_site = "plenary.accounts.admin_site.VerifiedAdminSite"
