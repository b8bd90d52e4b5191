"""Template context shared by every page: the user's profile, role flags and unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lvzhi.core.models import Notification
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``profile`` (or ``None``), ``unread_notifications`` (int), and ``nav_role`` flags for the menu:
    ``is_member``, ``is_staff`` (proposals staff or admin), ``is_unit``, ``is_leader``, ``is_admin``."""
    profile = profile_of(request.user)
    unread = Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).count() if profile else 0
    role = profile.role if profile else ""
    nav_role = {
        "is_member": role == Role.MEMBER, "is_staff": role in (Role.STAFF, Role.ADMIN),
        "is_unit": role in (Role.UNIT_CLERK, Role.UNIT_LEADER), "is_leader": role == Role.LEADER,
        "is_admin": role == Role.ADMIN,
    }
    return {"profile": profile, "unread_notifications": unread, "nav_role": nav_role}
