"""Who may see and record what in studios: staff of the council manage every studio and its members; leaders
see all; a studio's members see it, and its heads record its activities. Invisible = :class:`NotFoundError`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.studios.models import Studio


def may_manage(user: Any, council_id: int) -> bool:
    return is_council_staff(user, council_id)


def may_record(user: Any, studio: Studio) -> bool:
    """Staff of the council, or a head of ``studio``."""
    if may_manage(user, studio.council_id):
        return True
    profile = profile_of(user)
    return bool(profile and profile.member_id and studio.members.filter(member_id=profile.member_id, is_head=True).exists())


def visible_studios(user: Any) -> QuerySet[Studio]:
    profile = profile_of(user)
    if profile is None:
        return Studio.objects.none()
    if profile.council_id is not None and (is_council_staff(user, profile.council_id)
                                           or is_council_leader(user, profile.council_id)):
        return Studio.objects.filter(council_id=profile.council_id)
    if profile.member_id:
        return Studio.objects.filter(members__member_id=profile.member_id).distinct()
    return Studio.objects.none()


def access_studio(user: Any, pk: int) -> Studio:
    studio = visible_studios(user).filter(pk=pk).first()
    if studio is None:
        raise NotFoundError("未找到该工作室，或您无权查看。")
    return studio
