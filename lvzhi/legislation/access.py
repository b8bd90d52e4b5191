"""Who may see which drafts and consultations (pages, API and actions use these).

- staff and administrators of the council (the office's staff): all its drafts, consultations, comments;
- leaders of the council: the same, read-only (the writers check staff rights);
- invited informants / partner units with an account, and the council's deputies: the consultations of
  their council that have opened (to comment on them);
- the public: open consultations marked public, through the portal only (:func:`public_consultations`).
Missing and forbidden answer the same "not found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core.errors import NotFoundError
from lvzhi.legislation.models import Consultation, Draft
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of


def _staff_council_ids(user: Any) -> list[int] | None:
    """Council ids whose drafts ``user`` manages or reads as leader; ``None`` = every council (an
    administrator without council)."""
    profile = profile_of(user)
    if profile is None or not user.is_active:
        return []
    if profile.council_id is None:
        return None if is_council_staff(user, None) else []
    if is_council_staff(user, profile.council_id) or is_council_leader(user, profile.council_id):
        return [profile.council_id]
    return []


def visible_drafts(user: Any) -> QuerySet[Draft]:
    """Drafts ``user`` may see (staff and leaders of the council)."""
    ids = _staff_council_ids(user)
    qs = Draft.objects.all()
    return qs if ids is None else qs.filter(council_id__in=ids)


def access_draft(user: Any, pk: Any) -> Draft:
    try:
        return visible_drafts(user).select_related("council").get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def visible_consultations(user: Any) -> QuerySet[Consultation]:
    """Consultations ``user`` may see: all of the council for staff and leaders; opened ones for invited
    account holders and the council's deputies."""
    ids = _staff_council_ids(user)
    qs = Consultation.objects.all()
    if ids is None:
        return qs
    cond = Q(council_id__in=ids)
    if getattr(user, "is_authenticated", False):
        today = timezone.localdate()
        cond |= Q(invitees__user_id=user.pk, opens_on__lte=today)
        profile = profile_of(user)
        if people.member_id_of(user) and profile is not None and profile.council_id:
            cond |= Q(council_id=profile.council_id, opens_on__lte=today)
    return qs.filter(pk__in=Consultation.objects.filter(cond).values("pk"))


def access_consultation(user: Any, pk: Any) -> Consultation:
    try:
        return visible_consultations(user).select_related("draft", "council").get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def public_consultations() -> QuerySet[Consultation]:
    """Consultations shown on the public portal: public and open today (local date, both ends included)."""
    today = timezone.localdate()
    return Consultation.objects.filter(is_public=True, opens_on__lte=today, closes_on__gte=today)


def public_consultation(pk: Any) -> Consultation:
    """A public consultation that has opened (open or already closed: a closed one is shown with its closing
    date and no comment form); :class:`NotFoundError` otherwise."""
    try:
        return Consultation.objects.filter(is_public=True, opens_on__lte=timezone.localdate()).select_related(
            "draft", "council").get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("该征求意见不存在。") from None
