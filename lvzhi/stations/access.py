"""Who may see and manage which stations, turns, receptions and matters (pages, API and actions use these).

- The public: active stations, their published turns (not cancelled), and nothing of the matters (a citizen
  follows their own portal matter by its tracking code only).
- The council's deputies' affairs staff (and administrators): everything of their council's stations.
- A leader of the council: reads everything of the council's stations.
- A station's staff account: its station(s), their receptions and matters.
- A deputy: the stations they are attached to, the receptions they were present at and the matters of
  those (portal matters of their stations too), and their own turns.
Missing and forbidden answer the same "not found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.cases import people
from lvzhi.core.errors import NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.models import Council
from lvzhi.stations.models import Matter, Reception, RotaTurn, Station


def council_pk(council: Council | int) -> int:
    """The id of ``council`` (a council or its id)."""
    return council.pk if isinstance(council, Council) else int(council)


def public_stations(council: Council | int | None = None) -> QuerySet[Station]:
    """The active stations anyone may see (of ``council`` when given)."""
    qs = Station.objects.filter(active=True)
    if council is not None:
        qs = qs.filter(council_id=council_pk(council))
    return qs


def public_turns(council: Council | int | None = None) -> QuerySet[RotaTurn]:
    """The published, not cancelled turns of active stations (the portal's rota)."""
    return RotaTurn.objects.filter(cancelled=False, station__in=public_stations(council))


def council_of(user: Any) -> int | None:
    profile = profile_of(user)
    return profile.council_id if profile is not None else None


def is_registry_staff(user: Any, council_id: int | None) -> bool:
    """Whether ``user`` maintains the station registry of ``council_id`` (its staff or administrator)."""
    return council_id is not None and is_council_staff(user, council_id)


def managed_stations(user: Any) -> QuerySet[Station]:
    """The stations ``user`` works for: all of their council for its staff, else those whose staff
    accounts include ``user``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Station.objects.none()
    council_id = council_of(user)
    cond = Q(staff=user)
    if council_id and is_council_staff(user, council_id):
        cond |= Q(council_id=council_id)
    return Station.objects.filter(pk__in=Station.objects.filter(cond).values("pk"))


def visible_matters(user: Any) -> QuerySet[Matter]:
    """The matters ``user`` may see (a queryset; combine it with filters, never widen it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Matter.objects.none()
    council_id = council_of(user)
    cond = Q(station__in=managed_stations(user).values("pk"))
    if council_id and is_council_leader(user, council_id):
        cond |= Q(council_id=council_id)
    member_id = people.member_id_of(user)
    if member_id:
        cond |= Q(reception__deputies=member_id)
        cond |= Q(reception__isnull=True, station__deputies=member_id)
    return Matter.objects.filter(pk__in=Matter.objects.filter(cond).values("pk"))


def visible_receptions(user: Any) -> QuerySet[Reception]:
    """The receptions ``user`` may see: of the stations they manage, of their council for a leader, and
    those a deputy was present at."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reception.objects.none()
    council_id = council_of(user)
    cond = Q(station__in=managed_stations(user).values("pk"))
    if council_id and is_council_leader(user, council_id):
        cond |= Q(council_id=council_id)
    member_id = people.member_id_of(user)
    if member_id:
        cond |= Q(deputies=member_id)
    return Reception.objects.filter(pk__in=Reception.objects.filter(cond).values("pk"))


def access_matter(user: Any, pk: Any) -> Matter:
    """Matter ``pk`` if ``user`` may see it; :class:`NotFoundError` otherwise (missing or forbidden)."""
    try:
        return visible_matters(user).select_related("state", "station", "reception", "suggestion").get(pk=pk)
    except (Matter.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_station(pk: Any, *, user: Any = None, manage: bool = False) -> Station:
    """Station ``pk``: a public (active) one, or with ``manage`` one ``user`` works for."""
    qs = managed_stations(user) if manage else public_stations()
    try:
        return qs.select_related("council").get(pk=pk)
    except (Station.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
