"""Who may see which livelihood votes and evaluations (pages, API and actions use these).

- the council's deputies, staff, administrators and leaders: the council's votes once their candidate
  list is approved; staff, administrators and leaders also the ones being prepared;
- anyone else: nothing. Missing and forbidden answer the same "not found".

What each may see of a vote: the result once published (staff and the presiding officer as soon as it is
counted); the turnout (number of deputies on the roll) only the presiding officer's side; who voted never
goes with what was voted (see :mod:`lvzhi.livelihood.models`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core.errors import NotFoundError
from lvzhi.livelihood.actions import deputy_of, is_officer
from lvzhi.livelihood.models import (
    DeliveryProject,
    Evaluation,
    Finding,
    MicroProject,
    SupervisionActivity,
    Vote,
)
from lvzhi.members.access import is_council_staff, profile_of


def _council_id(user: Any) -> int | None:
    profile = profile_of(user)
    if profile is None or not user.is_active:
        return None
    return profile.council_id


def visible_votes(user: Any) -> QuerySet[Vote]:
    """The votes ``user`` may see (a queryset; combine it with filters, never widen it)."""
    council_id = _council_id(user)
    if council_id is None:
        if is_council_staff(user, None):  # an administrator without council
            return Vote.objects.all()
        return Vote.objects.none()
    cond = Q(pk__in=[])
    if is_officer(user, council_id):
        cond |= Q(council_id=council_id)
    if deputy_of(user, council_id) is not None:
        cond |= Q(council_id=council_id, list_approved_at__isnull=False)
    return Vote.objects.filter(cond)


def access_vote(user: Any, pk: Any) -> Vote:
    """Vote ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (also for a bad id)."""
    try:
        return visible_votes(user).get(pk=pk)
    except (Vote.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该表决，或您无权查看。") from None


def may_see_result(user: Any, vote: Vote) -> bool:
    """The count is shown to everyone who sees the vote once published, to the officer's side once counted."""
    return vote.result is not None and (vote.published_at is not None or is_officer(user, vote.council_id))


def visible_evaluations(user: Any) -> QuerySet[Evaluation]:
    council_id = _council_id(user)
    if council_id is None or not (is_officer(user, council_id) or deputy_of(user, council_id)):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(council_id=council_id)


def access_evaluation(user: Any, pk: Any) -> Evaluation:
    try:
        return visible_evaluations(user).get(pk=pk)
    except (Evaluation.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该测评，或您无权查看。") from None


def visible_projects(user: Any) -> QuerySet[DeliveryProject]:
    """Delivery projects ``user`` may see: all of the council for its staff, leaders and deputies (the
    projects are public), those assigned to their unit for a unit's clerk or leader."""
    from lvzhi.cases import people
    from lvzhi.cases.choices import AssignmentStatus
    from lvzhi.cases.models import Assignment
    from lvzhi.livelihood.defaults import CASE_TYPE

    council_id = _council_id(user)
    if council_id is None:
        if is_council_staff(user, None):
            return DeliveryProject.objects.all()
        return DeliveryProject.objects.none()
    cond = Q(pk__in=[])
    if is_officer(user, council_id) or deputy_of(user, council_id) is not None:
        cond |= Q(council_id=council_id)
    units = people.unit_roles(user)
    if units:
        assigned = (Assignment.objects.filter(case_type=CASE_TYPE, unit_id__in=list(units))
                    .exclude(status=AssignmentStatus.WITHDRAWN).values("object_id"))
        cond |= Q(pk__in=assigned)
    return DeliveryProject.objects.filter(cond)


def visible_micro_projects(user: Any) -> QuerySet[MicroProject]:
    """Micro projects ``user`` may see: all of the council for its staff, leaders and deputies, those
    assigned to their unit for a unit's clerk or leader."""
    from lvzhi.cases import people
    from lvzhi.cases.choices import AssignmentStatus
    from lvzhi.cases.models import Assignment
    from lvzhi.livelihood.defaults import MICRO_CASE_TYPE

    council_id = _council_id(user)
    if council_id is None:
        return MicroProject.objects.all() if is_council_staff(user, None) else MicroProject.objects.none()
    cond = Q(pk__in=[])
    if is_officer(user, council_id) or deputy_of(user, council_id) is not None:
        cond |= Q(council_id=council_id)
    units = people.unit_roles(user)
    if units:
        assigned = (Assignment.objects.filter(case_type=MICRO_CASE_TYPE, unit_id__in=list(units))
                    .exclude(status=AssignmentStatus.WITHDRAWN).values("object_id"))
        cond |= Q(pk__in=assigned)
    return MicroProject.objects.filter(cond)


def visible_supervisions(user: Any) -> QuerySet[SupervisionActivity]:
    """Supervision activities (视察, 监督周, 专题询问): all of the council's for its staff and leaders; for a
    handling unit's clerk or leader the ones with a finding assigned to the unit; nothing for anyone else."""
    from lvzhi.cases import people

    council_id = _council_id(user)
    if council_id is None:
        return SupervisionActivity.objects.all() if is_council_staff(user, None) else SupervisionActivity.objects.none()
    if is_officer(user, council_id):
        return SupervisionActivity.objects.filter(council_id=council_id)
    units = list(people.unit_roles(user))
    return SupervisionActivity.objects.filter(council_id=council_id, findings__unit_id__in=units).distinct()


def visible_findings(user: Any, activity: SupervisionActivity) -> QuerySet[Finding]:
    """The findings of ``activity`` that ``user`` may see: all for the council's staff and leaders, the unit's
    own for a handling unit."""
    from lvzhi.cases import people

    if is_officer(user, activity.council_id):
        return activity.findings.all()
    return activity.findings.filter(unit_id__in=list(people.unit_roles(user)))


def access_supervision(user: Any, pk: Any) -> SupervisionActivity:
    """The activity ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (missing or forbidden)."""
    activity = visible_supervisions(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if activity is None:
        raise NotFoundError("未找到该监督活动，或您无权查看。")
    return activity
