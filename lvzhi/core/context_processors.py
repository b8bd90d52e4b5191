"""Template context shared by every page: the user's profile and unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lvzhi.members.access import profile_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    profile = profile_of(request.user)
    unread = profile.user.notifications.filter(read_at__isnull=True).count() if profile else 0
    return {"profile": profile, "unread_notifications": unread}
