"""Who an account is: role predicates used by every app's ``access.py``.

Least privilege: an account without a profile has no rights at all (not even reading).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Profile

#: The session key holding the id of the profile the account acts in (set by the role switcher).
SESSION_KEY = "lvzhi_profile_id"
#: The attribute :class:`ActiveProfileMiddleware` sets on ``request.user`` from the session.
ACTIVE_ATTR = "lvzhi_active_profile_id"
_CACHE_ATTR = "_lvzhi_profile_cache"


def profile_of(user: Any) -> Profile | None:
    """The capacity ``user`` acts in: the profile chosen in this session with the role switcher (see
    :class:`lvzhi.members.middleware.ActiveProfileMiddleware`), else the account's primary profile (the
    first one when none is marked primary). ``None`` for anonymous users and accounts without a profile.

    A user object without a session (an API token's, a notification recipient's, a command's) acts in its
    primary capacity. The answer is cached on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    wanted = getattr(user, ACTIVE_ATTR, None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cached[0] == wanted:
        return cached[1]  # type: ignore[no-any-return]
    profiles = Profile.objects.filter(user_id=user.pk).select_related("council", "unit", "member")
    profile = profiles.filter(pk=wanted).first() if wanted else None
    if profile is None:
        profile = profiles.order_by("-primary", "id").first()
    setattr(user, _CACHE_ATTR, (wanted, profile))
    return profile


def profiles_of(user: Any) -> list[Profile]:
    """Every capacity of ``user``, primary first (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Profile.objects.filter(user_id=user.pk).select_related("council", "unit", "member")
                .order_by("-primary", "id"))


def display_name(user: Any) -> str:
    """How ``user`` is named on pages: the primary profile's display name, else the username; ``""`` for
    ``None``."""
    if user is None:
        return ""
    profiles = sorted(user.profiles.all(), key=lambda p: (not p.primary, p.pk))  # uses a prefetch if any
    return (profiles[0].display_name if profiles else "") or user.get_username()


def is_council_staff(user: Any, council_id: int | None) -> bool:
    """Proposals-committee staff or administrator of ``council_id`` (an admin without council: all)."""
    p = profile_of(user)
    if p is None:
        return False
    if p.role == Role.ADMIN:
        return p.council_id is None or p.council_id == council_id
    return p.role == Role.STAFF and p.council_id == council_id


def is_council_leader(user: Any, council_id: int | None) -> bool:
    p = profile_of(user)
    return p is not None and p.role == Role.LEADER and p.council_id == council_id


def staff_councils(user: Any) -> QuerySet[Council]:
    """The councils whose organisation ``user`` may manage: a staff member's or council admin's own council,
    every council for an administrator without one, none for anyone else."""
    p = profile_of(user)
    if p is None or not user.is_active:
        return Council.objects.none()
    if p.role == Role.ADMIN and p.council_id is None:
        return Council.objects.all()
    if p.role in (Role.ADMIN, Role.STAFF) and p.council_id is not None:
        return Council.objects.filter(pk=p.council_id)
    return Council.objects.none()


def is_admin(user: Any, council_id: int | None = None) -> bool:
    """An administrator (of ``council_id`` when given; one without council administers all)."""
    p = profile_of(user)
    if p is None or p.role != Role.ADMIN:
        return False
    return council_id is None or p.council_id is None or p.council_id == council_id


def access_council(user: Any, pk: Any, *, admin_only: bool = False) -> Council:
    """Council ``pk`` if ``user`` may manage it (staff or admin of it; ``admin_only``: admins only).

    Raises :class:`~lvzhi.core.errors.NotFoundError` alike for a missing and a forbidden council.
    """
    try:
        council = staff_councils(user).get(pk=pk)
    except (Council.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if admin_only and not is_admin(user, council.pk):
        raise NotFoundError()
    return council
