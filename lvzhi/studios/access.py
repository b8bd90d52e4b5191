"""Who may see and record what in studios: staff of the council manage every studio and its members; leaders
see all; a studio's members see it, and its heads record its activities. Invisible = :class:`NotFoundError`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.cases import people
from lvzhi.cases.choices import AssignmentStatus
from lvzhi.cases.models import Assignment
from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.studios.models import ConsultationItem, Studio, StudioActivity, StudioKind


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


# --- consultation-list items (协商清单事项) -------------------------------------------------------------------

def visible_items(user: Any) -> QuerySet[ConsultationItem]:
    """The consultation items ``user`` may see (a queryset; combine it with filters, never widen it), the access
    function registered with case type ``consultation_item``:

    - staff, administrators and leaders of the council: all its items (an administrator without council: all);
    - a member: the items of the halls they belong to and the items they raised;
    - a handling unit's clerk or leader: the items assigned to their unit (not withdrawn);
    - anyone else (another council's people included): nothing. Missing and forbidden answer the same 404.
    """
    profile = profile_of(user)
    qs = ConsultationItem.objects.all()
    if profile is None or not user.is_active:
        return qs.none()
    council_id = profile.council_id
    if council_id is None and is_council_staff(user, None):
        return qs
    cond = Q(pk__in=[])
    if council_id and (is_council_staff(user, council_id) or is_council_leader(user, council_id)):
        cond |= Q(council_id=council_id)
    if profile.member_id:
        cond |= Q(activity__studio__members__member_id=profile.member_id) | Q(raised_by=profile.member_id)
    units = people.unit_roles(user)
    if units:
        assigned = Assignment.objects.filter(case_type="consultation_item", unit_id__in=list(units)).exclude(
            status=AssignmentStatus.WITHDRAWN).values("object_id")
        cond |= Q(pk__in=assigned)
    return qs.filter(pk__in=ConsultationItem.objects.filter(cond).values("pk"))


def access_item(user: Any, pk: Any) -> ConsultationItem:
    """Item ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (also for a bad id)."""
    try:
        return visible_items(user).select_related("state", "activity__studio").get(pk=pk)
    except (ConsultationItem.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该协商清单事项，或您无权查看。") from None


def may_list_items(user: Any, activity: StudioActivity) -> bool:
    """Whether ``user`` may turn ``activity`` into consultation items: staff of the council, or a head
    (召集人) of the hall that held it; only activities of a 委员议事厅."""
    studio = activity.studio
    return studio.kind == StudioKind.HALL and may_record(user, studio)
