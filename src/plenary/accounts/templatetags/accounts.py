"""``{% load accounts %}``: ``{% if user|verified_staff %}`` shows staff-only controls."""

from typing import Any

from django import template

from plenary.accounts.permissions import is_verified_staff

register = template.Library()


@register.filter
def verified_staff(user: Any) -> bool:
    return is_verified_staff(user)
