"""Template context shared by every page: the capacity the user acts in, role flags, the other capacities
for the role switcher, and the unread notification count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lvzhi.core.models import Notification
from lvzhi.members.access import profile_of, profiles_of
from lvzhi.members.choices import CouncilKind, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``profile`` (the active capacity, or ``None``), ``profiles`` (every capacity of the account when it
    holds more than one, else ``[]``: the header shows the role switcher then), ``unread_notifications``
    (int), ``is_npc`` (acting in a people's congress: label members 代表, not 委员) and ``nav_role`` flags for the
    menu: ``is_member``, ``is_staff`` (proposals staff or admin), ``is_unit``, ``is_leader``, ``is_admin``."""
    profile = profile_of(request.user)
    unread = Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).count() if profile else 0
    profiles = profiles_of(request.user) if profile else []
    role = profile.role if profile else ""
    nav_role = {
        "is_member": role == Role.MEMBER, "is_staff": role in (Role.STAFF, Role.ADMIN),
        "is_unit": role in (Role.UNIT_CLERK, Role.UNIT_LEADER), "is_leader": role == Role.LEADER,
        "is_admin": role == Role.ADMIN,
    }
    return {"profile": profile, "profiles": profiles if len(profiles) > 1 else [],
            "unread_notifications": unread, "nav_role": nav_role,
            "is_npc": bool(profile and profile.council and profile.council.kind == CouncilKind.NPC)}
