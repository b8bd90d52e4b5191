"""Who sees which firm visits: staff and leaders of the council all of them; a member the visits to their firm;
a unit's clerk or leader the visits with an issue routed to their unit. Invisible = :class:`NotFoundError`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.cases import people
from lvzhi.core.errors import NotFoundError
from lvzhi.firmvisits.models import FirmVisit
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of


def may_record(user: Any, council_id: int) -> bool:
    """Staff or leaders of ``council_id`` record visits and issues."""
    return is_council_staff(user, council_id) or is_council_leader(user, council_id)


def visible_visits(user: Any) -> QuerySet[FirmVisit]:
    profile = profile_of(user)
    if profile is None:
        return FirmVisit.objects.none()
    if profile.council_id is not None and may_record(user, profile.council_id):
        return FirmVisit.objects.filter(council_id=profile.council_id)
    query = Q(pk__in=[])
    if profile.member_id:
        query |= Q(member_id=profile.member_id)
    units = list(people.unit_roles(user))
    if units:
        query |= Q(issues__unit_id__in=units)
    return FirmVisit.objects.filter(query).distinct()


def access_visit(user: Any, pk: int) -> FirmVisit:
    visit = visible_visits(user).filter(pk=pk).first()
    if visit is None:
        raise NotFoundError("未找到该走访记录，或您无权查看。")
    return visit
