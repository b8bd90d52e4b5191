"""Who an account is: role predicates used by every app's ``access.py``.

Least privilege: an account without a profile has no rights at all (not even reading).
"""

from __future__ import annotations

from typing import Any

from lvzhi.members.choices import Role
from lvzhi.members.models import Profile


def profile_of(user: Any) -> Profile | None:
    """The user's profile, or ``None`` for anonymous users and accounts without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


def has_role(user: Any, *roles: str) -> bool:
    p = profile_of(user)
    return p is not None and p.role in roles


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
