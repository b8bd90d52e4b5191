"""Who may see or touch meetings, duty records and rule sets (one place, used by pages, API and actions).

- Staff (and council administrators) of a council manage its meetings, attendance and rules and see every
  member's duty record; the council's leaders see every record and meeting, read-only.
- A member (委员/代表) sees the meetings they are invited to and their own duty record.
Missing and forbidden objects answer the same :class:`NotFoundError`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.duties.models import ConsultationTopic, Meeting, RuleSet
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.models import Council, Member


def acting_member_id(user: Any) -> int | None:
    """The member ``user`` acts as (their current capacity), or ``None``."""
    profile = profile_of(user)
    return profile.member_id if profile is not None else None


def acting_council_id(user: Any) -> int | None:
    profile = profile_of(user)
    return profile.council_id if profile is not None else None


def may_manage(user: Any, council_id: int) -> bool:
    """Staff or administrator of ``council_id``: creates meetings, records attendance, edits rules."""
    return is_council_staff(user, council_id)


def may_oversee(user: Any, council_id: int) -> bool:
    """Staff, administrator or leader of ``council_id``: sees every meeting and duty record."""
    return is_council_staff(user, council_id) or is_council_leader(user, council_id)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` may see: all of the council for its staff and leaders, the invited ones for a
    member, none otherwise."""
    council_id = acting_council_id(user)
    if council_id is not None and may_oversee(user, council_id):
        return Meeting.objects.filter(council_id=council_id)
    member_id = acting_member_id(user)
    if member_id is not None:
        return Meeting.objects.filter(invitees__member_id=member_id)
    profile = profile_of(user)
    if profile is not None and profile.council_id is None and is_council_staff(user, None):
        return Meeting.objects.all()
    return Meeting.objects.none()


def access_meeting(user: Any, pk: Any) -> Meeting:
    """Meeting ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise."""
    try:
        return visible_meetings(user).select_related("council").distinct().get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该会议，或您无权查看。") from None


def visible_members(user: Any) -> QuerySet[Member]:
    """Members whose duty record ``user`` may see: every member of the council for its staff and leaders,
    only themselves for a member."""
    council_id = acting_council_id(user)
    if council_id is not None and may_oversee(user, council_id):
        return Member.objects.filter(council_id=council_id)
    member_id = acting_member_id(user)
    if member_id is not None:
        return Member.objects.filter(pk=member_id)
    return Member.objects.none()


def access_member_record(user: Any, member_pk: Any) -> Member:
    """Member ``member_pk`` if ``user`` may see their duty record; :class:`NotFoundError` otherwise."""
    try:
        return visible_members(user).select_related("council", "term", "sector").get(pk=member_pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该委员的履职档案，或您无权查看。") from None


def access_overseen_council(user: Any, pk: Any) -> Council:
    """Council ``pk`` if ``user`` oversees it (staff, admin, leader)."""
    try:
        council = Council.objects.get(pk=pk)
    except (Council.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if not may_oversee(user, council.pk):
        raise NotFoundError()
    return council


def access_rule_set(user: Any, pk: Any) -> RuleSet:
    """Rule set ``pk`` if ``user`` oversees its council."""
    try:
        rule_set = RuleSet.objects.select_related("council").get(pk=pk)
    except (RuleSet.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if not may_oversee(user, rule_set.council_id):
        raise NotFoundError()
    return rule_set


def visible_topics(user: Any) -> QuerySet[ConsultationTopic]:
    """Consultation topics ``user`` may open: all of the council's plans for its staff and leaders, those the
    member takes part in for a member, none otherwise."""
    council_id = acting_council_id(user)
    if council_id is not None and may_oversee(user, council_id):
        return ConsultationTopic.objects.filter(plan__council_id=council_id)
    member_id = acting_member_id(user)
    if member_id is not None:
        return ConsultationTopic.objects.filter(participants__member_id=member_id)
    return ConsultationTopic.objects.none()


def access_topic(user: Any, pk: Any) -> ConsultationTopic:
    """Topic ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (also for a non-numeric id)."""
    try:
        return visible_topics(user).select_related("plan", "lead_committee").distinct().get(pk=int(pk))
    except (ConsultationTopic.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该议题，或您无权查看。") from None
