"""Who an account is: role predicates used by every app's ``access.py``.

Least privilege: an account without a profile has no rights at all (not even reading).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Profile


def profile_of(user: Any) -> Profile | None:
    """The user's profile, or ``None`` for anonymous users and accounts without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


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
