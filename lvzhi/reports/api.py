"""JSON API routes of this app (mounted under /api/reports/ by ``lvzhi.api``; authentication is global).

``GET /api/reports/proposals``: the proposal statistics (数读) of a council as JSON — the same figures as the
statistics page, for the same people (staff, leaders and administrators of the council; anyone else 404).

``GET /api/reports/summary``: the whole 数读 — ``{"proposals": …, "opinions": …, "messages": …}`` — with the
same filters and access rule (the term and session filter proposals only).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lvzhi.reports.access import access_stats_council
from lvzhi.reports.queries import (
    ProposalStatistics,
    council_statistics,
    parse_scope_params,
    proposal_statistics,
)

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


class LevelCount(Schema):
    label: str
    instructions: int
    reports: int


class RecipientCount(Schema):
    label: str
    reports: int


class KindCount(Schema):
    label: str
    submitted: int
    adopted: int


class AuthorRow(Schema):
    kind: str
    kind_label: str
    name: str
    submitted: int
    adopted: int
    adoption_rate: float | None
    instructions: int


class OpinionStatsOut(Schema):
    """Public-opinion reports (社情民意) submitted in the dates: see
    ``lvzhi.opinions.queries.opinion_statistics``. ``instructed_by_level`` keys: district, city, province,
    national."""

    submitted: int
    adopted: int
    kept: int
    published: int
    adoption_rate: float | None
    instructions: int
    instructed_reports: int
    instructed_by_level: dict[str, LevelCount]
    delivered_by_recipient: dict[str, RecipientCount]
    by_author: list[AuthorRow]
    by_kind: dict[str, KindCount]


class LabelCount(Schema):
    label: str
    count: int


class MessageStatsOut(Schema):
    """Citizens' messages (群众意见) submitted in the dates: see ``lvzhi.opinions.queries.message_statistics``.
    Durations in calendar days; ``top_categories`` / ``top_units`` are ``[name, count]`` pairs, most first."""

    received: int
    by_channel: dict[str, LabelCount]
    answered: int
    answer_rate: float | None
    answer_days_median: float | None
    answer_days_p90: float | None
    answer_days_count: int
    satisfaction: dict[str, LabelCount]
    rated: int
    satisfaction_rate: float | None
    top_categories: list[tuple[str, int]]
    top_units: list[tuple[str, int]]


class SummaryOut(Schema):
    proposals: ProposalStatistics
    opinions: OpinionStatsOut
    messages: MessageStatsOut


@router.get("/summary", response={200: SummaryOut, 400: ErrorOut, 404: ErrorOut},
            summary="数读汇总：提案、社情民意、群众意见")
def summary_stats(request: HttpRequest, filters: Query[StatsFilters]) -> Any:
    """``{"proposals", "opinions", "messages"}``: the proposal statistics of the scope (as
    ``/api/reports/proposals``), and the public-opinion report and citizens' message figures of the same
    council and dates (``term`` and ``session`` filter proposals only). Counts are integers, rates ratios
    0..1 (``null`` without a denominator), durations calendar days. Definitions:
    ``lvzhi.reports.queries.council_statistics``. Same access rule and errors as ``/proposals``."""
    council = access_stats_council(request.user, filters.council)
    params = {k: v.isoformat() if isinstance(v, date) else v
              for k, v in filters.dict().items() if k != "council" and v is not None}
    whole = council_statistics(council, **parse_scope_params(council, params))
    return {"proposals": whole.proposals, "opinions": whole.opinions, "messages": whole.messages}
