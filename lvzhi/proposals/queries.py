"""Reads for pages, exports and reports about proposals (no writes here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from lvzhi.core.search import query_filter
from lvzhi.proposals.choices import AssignmentStatus
from lvzhi.proposals.models import Assignment, Proposal

FILTER_PARAMS = ("q", "council", "term", "session", "state", "category", "unit", "proposer", "key", "overdue",
                 "kind", "plenary")


def filter_proposals(qs: QuerySet[Proposal], params: Mapping[str, Any]) -> QuerySet[Proposal]:
    """Apply the list filters in ``params`` (query-string values) to ``qs``.

    Keys: ``q`` (Chinese full-text, jieba), ``council``, ``term``, ``session``, ``category``, ``unit`` (ids),
    ``state`` (state code), ``proposer`` (name contains, member or organisation), ``kind`` (proposer kind),
    ``key`` (``1``: key proposals only), ``overdue`` (``1``: an assignment past its reply deadline and not
    replied), ``plenary`` (``1`` plenary / ``0`` ordinary). Unknown or blank values are ignored; ids that are
    not integers match nothing.
    """

    def ident(name: str) -> int | None:
        value = str(params.get(name) or "").strip()
        if not value:
            return None
        return int(value) if value.isdigit() else -1

    if params.get("q"):
        qs = qs.filter(query_filter(str(params["q"])))
    for name, field in (("council", "council_id"), ("session", "session_id"), ("category", "category_id"),
                        ("term", "session__term_id")):
        value = ident(name)
        if value is not None:
            qs = qs.filter(**{field: value})
    if params.get("state"):
        qs = qs.filter(state__code=str(params["state"]))
    if params.get("kind"):
        qs = qs.filter(proposer_kind=str(params["kind"]))
    unit = ident("unit")
    if unit is not None:
        qs = qs.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit_id=unit)
                              .exclude(status=AssignmentStatus.WITHDRAWN)))
    if params.get("proposer"):
        name = str(params["proposer"]).strip()
        qs = qs.filter(first_proposer__name__contains=name) | qs.filter(organisation__name__contains=name)
    if str(params.get("key") or "") == "1":
        qs = qs.filter(is_key=True)
    if str(params.get("plenary") or "") in ("0", "1"):
        qs = qs.filter(is_plenary=params["plenary"] == "1")
    if str(params.get("overdue") or "") == "1":
        qs = qs.filter(Exists(Assignment.objects.filter(
            proposal=OuterRef("pk"), status=AssignmentStatus.HANDLING, deadline__lt=timezone.localdate())))
    return qs


def inbox_items(user: Any) -> list[Any]:
    """What waits for ``user`` (to be completed by the inbox work)."""
    return []
