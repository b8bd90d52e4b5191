"""JSON API routes of this app (mounted under /api/reports/ by ``lvzhi.api``; authentication is global).

``GET /api/reports/proposals``: the proposal statistics (数读) of a council as JSON — the same figures as the
statistics page, for the same people (staff, leaders and administrators of the council; anyone else 404).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lvzhi.reports.access import access_stats_council
from lvzhi.reports.queries import ProposalStatistics, parse_scope_params, proposal_statistics

router = Router()


class StatsFilters(Schema):
    """Scope of the statistics: ``council`` id (default: the user's own), ``term`` and ``session`` ids,
    submission dates ``date_from``..``date_to`` (inclusive)."""

    council: int | None = None
    term: int | None = None
    session: int | None = None
    date_from: date | None = None
    date_to: date | None = None


class ErrorOut(Schema):
    detail: str
    field: str | None = None


@router.get("/proposals", response={200: ProposalStatistics, 400: ErrorOut, 404: ErrorOut},
            summary="提案统计（数读）")
def proposal_stats(request: HttpRequest, filters: Query[StatsFilters]) -> Any:
    """Counts are integers; every ``*_rate``, ``*_share`` and ``share`` is a ratio 0..1 (``null`` without a
    denominator). Definitions: ``lvzhi.reports.queries.proposal_statistics``. Errors name the field
    (``term``, ``session``, ``date_from``)."""
    council = access_stats_council(request.user, filters.council)
    params = {k: v.isoformat() if isinstance(v, date) else v
              for k, v in filters.dict().items() if k != "council" and v is not None}
    return proposal_statistics(council, **parse_scope_params(council, params))
