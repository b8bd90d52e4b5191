"""Who may see which suggestions (one function per object kind; pages, API and actions use these).

- staff, administrators and leaders of the council: all its suggestions but deputies' unsent drafts;
- a deputy: their own (leading, or invited to second), and the council's suggestions in a public state
  (``State.is_public``: accepted onward);
- a handling unit's clerk or leader: the suggestions assigned to their unit (not withdrawn);
- anyone else: nothing. Missing and forbidden answer the same "not found".

A reply (答复函, its letter and its attachments): once signed off, whoever sees the suggestion; before, only the
accounts of its own unit and the council's staff (:func:`access_suggestion_reply`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.cases import people
from lvzhi.cases.choices import AssignmentStatus, ReplyStatus
from lvzhi.cases.models import Assignment, Reply
from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.suggestions.models import Suggestion

CASE_TYPE = "suggestion"


def visible_suggestions(user: Any) -> QuerySet[Suggestion]:
    """The suggestions ``user`` may see (a queryset; combine it with filters, never widen it)."""
    profile = profile_of(user)
    qs = Suggestion.objects.all()
    if profile is None or not user.is_active:
        return qs.none()
    council_id = profile.council_id
    if council_id is None and is_council_staff(user, None):
        return qs  # an administrator without council
    cond = Q(pk__in=[])
    if council_id and (is_council_staff(user, council_id) or is_council_leader(user, council_id)):
        cond |= Q(council_id=council_id) & (~Q(state__is_initial=True) | Q(created_by_id=user.pk))
    member_id = people.member_id_of(user)
    if member_id:
        cond |= Q(deputies__member_id=member_id) | Q(created_by_id=user.pk)
        cond |= Q(council_id=council_id or 0, state__is_public=True)
    units = people.unit_roles(user)
    if units:
        assigned = (Assignment.objects.filter(case_type=CASE_TYPE, unit_id__in=list(units))
                    .exclude(status=AssignmentStatus.WITHDRAWN).values("object_id"))
        cond |= Q(pk__in=assigned)
    return qs.filter(pk__in=Suggestion.objects.filter(cond).values("pk"))


def access_suggestion(user: Any, pk: Any) -> Suggestion:
    """Suggestion ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (missing or forbidden)."""
    try:
        return visible_suggestions(user).select_related(
            "state", "workflow", "session__term", "council", "delegation").get(pk=pk)
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_suggestion_reply(user: Any, suggestion_pk: Any, reply_pk: Any) -> tuple[Suggestion, Reply]:
    """``(suggestion, reply)``: reply ``reply_pk`` of suggestion ``suggestion_pk`` if ``user`` may see it — a
    signed reply for whoever sees the suggestion (:func:`access_suggestion`), an unsigned one (draft, awaiting
    sign-off, returned) only for the accounts of its own unit and the council's staff. :class:`NotFoundError`
    otherwise (missing, another suggestion's, or forbidden)."""
    suggestion = access_suggestion(user, suggestion_pk)
    try:
        reply = (Reply.objects.filter(pk=reply_pk, assignment__case_type=CASE_TYPE,
                                      assignment__object_id=suggestion.pk)
                 .select_related("assignment__unit", "grade", "signed_by").get())
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if reply.status != ReplyStatus.SIGNED and not (
            is_council_staff(user, suggestion.council_id)
            or reply.assignment.unit_id in people.unit_roles(user)):
        raise NotFoundError()
    return suggestion, reply
