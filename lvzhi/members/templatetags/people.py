"""Template filters about people, loaded as a builtin (``settings.TEMPLATES``): ``{{ user|display_name }}``."""

from __future__ import annotations

from typing import Any

from django import template

from lvzhi.members import access

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """The name shown for an account (its primary profile's display name, else its username)."""
    return access.display_name(user)
