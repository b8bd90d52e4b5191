"""Reads for the organisation pages: the member and unit lists with their filters, shared by the pages and
their Excel exports (so an export holds exactly what the page lists)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from lvzhi.members.models import Council, HandlingUnit, Member

MEMBER_FILTERS = ("q", "term", "sector", "delegation")


def _ident(params: Mapping[str, Any], name: str) -> int | None:
    value = str(params.get(name) or "")
    return int(value) if value.isdigit() else None


def filter_members(council: Council, params: Mapping[str, Any]) -> QuerySet[Member]:
    """The members (委员) or deputies (代表) of ``council`` the list page shows for ``params`` (query-string
    values): ``q`` (name, sector, party group, delegation or workplace contains), ``term``, ``sector``,
    ``delegation`` (ids; anything but digits is ignored). Ordered by name; organisations selected."""
    qs = Member.objects.filter(council=council).select_related(
        "term", "sector", "party_group", "special_committee", "liaison_group", "delegation")
    q = str(params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(sector__name__icontains=q) | Q(party_group__name__icontains=q)
                       | Q(delegation__name__icontains=q) | Q(workplace__icontains=q))
    for name, column in (("delegation", "delegation_id"), ("term", "term_id"), ("sector", "sector_id")):
        value = _ident(params, name)
        if value is not None:
            qs = qs.filter(**{column: value})
    return qs.order_by("name", "id")


def list_units(council: Council, params: Mapping[str, Any]) -> QuerySet[HandlingUnit]:
    """The handling units of ``council`` the list page shows: active ones first, by name, with ``n_staff``
    (active accounts); only the active ones unless ``show=all``."""
    qs = HandlingUnit.objects.filter(council=council).annotate(
        n_staff=Count("staff", filter=Q(staff__user__is_active=True))).order_by("-active", "name")
    if params.get("show", "active") != "all":
        qs = qs.filter(active=True)
    return qs
