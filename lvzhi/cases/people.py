"""Who acts for whom in the handling core: a user's handling units, the accounts of a unit or of a council's
staff. The one place the core reads account profiles (so that multi-role accounts change only this file)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from lvzhi.members.access import is_admin, is_council_leader, is_council_staff, profile_of
from lvzhi.members.choices import Role


def unit_roles(user: Any) -> dict[int, str]:
    """The handling units ``user`` acts for, unit id → ``unit_leader`` or ``unit_clerk``."""
    profile = profile_of(user)
    if profile is None or not profile.unit_id:
        return {}
    if profile.role == Role.UNIT_LEADER:
        return {profile.unit_id: "unit_leader"}
    if profile.role == Role.UNIT_CLERK:
        return {profile.unit_id: "unit_clerk"}
    return {}


def council_and_unit_roles(case: Any, user: Any) -> set[str]:
    """The roles every case type shares: ``staff``/``admin`` and ``leader`` of the case's council, and
    ``unit_clerk``/``unit_leader`` of a unit it is assigned to (not withdrawn). A case type's ``roles_of`` adds
    its own submitter roles to these."""
    from lvzhi.cases.choices import AssignmentStatus

    roles: set[str] = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    if is_council_staff(user, case.council_id):
        roles.add("staff")
        if is_admin(user, case.council_id):
            roles.add("admin")
    if is_council_leader(user, case.council_id):
        roles.add("leader")
    units = unit_roles(user)
    if units:
        held = set(case.assignments.filter(unit_id__in=list(units)).exclude(
            status=AssignmentStatus.WITHDRAWN).values_list("unit_id", flat=True))
        roles.update(units[u] for u in held)
    return roles


def member_id_of(user: Any) -> int | None:
    """The member (委员/代表) ``user`` speaks for, or ``None``."""
    profile = profile_of(user)
    return profile.member_id if profile is not None else None


def is_staff_of(user: Any, council_id: int) -> bool:
    return is_council_staff(user, council_id)


def unit_users(unit_ids: Iterable[int], *, leaders_only: bool = False) -> list[Any]:
    """Active accounts of the units ``unit_ids`` (their leaders only with ``leaders_only``)."""
    roles = (Role.UNIT_LEADER,) if leaders_only else (Role.UNIT_CLERK, Role.UNIT_LEADER)
    return list(get_user_model().objects.filter(profile__unit_id__in=list(unit_ids), profile__role__in=roles,
                                                is_active=True))


def staff_users(council_id: int) -> list[Any]:
    """Active staff accounts of council ``council_id`` (the office that accepts and assigns cases)."""
    return list(get_user_model().objects.filter(profile__council_id=council_id, profile__role=Role.STAFF,
                                                is_active=True))


def users(ids: Iterable[int]) -> list[Any]:
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True))


def display_name(user: Any) -> str:
    """The name shown for ``user`` ("系统" for none)."""
    if user is None:
        return "系统"
    profile = profile_of(user)
    return (profile.display_name if profile is not None and profile.display_name else None) or user.get_username()
