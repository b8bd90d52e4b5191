"""Who sees which supervision and research topics (one place for pages, API and actions).

- Staff of a council manage its topics; its leaders see them all (read-only).
- A member or deputy sees the topics whose group they are in.
- A handling unit's clerk or leader sees the topics with a finding assigned to their unit.
Missing and invisible topics answer the same :class:`NotFoundError`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.cases import people
from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.supervision.models import Topic


def may_manage(user: Any, council_id: int) -> bool:
    """Staff (or administrator) of ``council_id``."""
    return is_council_staff(user, council_id)


def visible_topics(user: Any) -> QuerySet[Topic]:
    """The topics ``user`` may see, by their acting capacity."""
    profile = profile_of(user)
    if profile is None:
        return Topic.objects.none()
    council_id = profile.council_id
    if council_id is not None and (is_council_staff(user, council_id) or is_council_leader(user, council_id)):
        return Topic.objects.filter(council_id=council_id)
    query = Q(pk__in=[])
    if profile.member_id:
        query |= Q(group__member_id=profile.member_id)
    units = list(people.unit_roles(user))
    if units:
        query |= Q(findings__unit_id__in=units)
    return Topic.objects.filter(query).distinct()


def access_topic(user: Any, pk: int) -> Topic:
    """The topic ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise."""
    topic = visible_topics(user).filter(pk=pk).select_related("council").first()
    if topic is None:
        raise NotFoundError("未找到该课题，或您无权查看。")
    return topic
