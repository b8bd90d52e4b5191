"""Reading liaison stations: the public list grouped district → station, the rota, and the 数读 figures
(WORKFLOWS.md §6 and §8), computed from the records for any date range. Plain functions; nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.calendar import add_period
from lvzhi.core.sections import Section as FigureSection
from lvzhi.core.sections import Table, percent
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council, Member
from lvzhi.stations.access import council_pk, public_stations, public_turns
from lvzhi.stations.choices import Outcome, StationLevel
from lvzhi.stations.models import Matter, Reception, RotaTurn, Station, StationRating, ThemeActivity


@dataclass
class District:
    name: str
    stations: list[Station] = field(default_factory=list)

    @property
    def central(self) -> int:
        return sum(1 for s in self.stations if s.level == StationLevel.CENTRAL)


def stations_by_district(council: Council | int) -> list[District]:
    """The council's active stations grouped by district (区) in name order, central stations first within
    each town or street."""
    groups: dict[str, District] = {}
    for station in public_stations(council).order_by("district", "town", "level", "name"):
        groups.setdefault(station.district, District(station.district)).stations.append(station)
    return list(groups.values())


def upcoming_turns(*, council: Council | int | None = None, station: Station | None = None,
                   today: date | None = None, limit: int = 50) -> list[RotaTurn]:
    """Published turns from ``today`` on (of a station, or of a council's stations), with their deputies."""
    qs = public_turns(council).filter(date__gte=today or timezone.localdate())
    if station is not None:
        qs = qs.filter(station=station)
    return list(qs.select_related("station").prefetch_related("duty__member").order_by("date", "half_day")[:limit])


def deputy_turns(member_id: int, *, since: date | None = None) -> QuerySet[Any]:
    """A deputy's duty rows (turn, confirmed or not) from ``since`` on, soonest first."""
    from lvzhi.stations.models import TurnDeputy

    qs = TurnDeputy.objects.filter(member_id=member_id, turn__cancelled=False).select_related("turn__station")
    if since is not None:
        qs = qs.filter(turn__date__gte=since)
    return qs.order_by("turn__date", "turn__half_day")


def receptions_per_deputy(council: Council | int, year: int) -> list[tuple[Member, int]]:
    """Every active deputy of the council with the number of receptions they were present at in ``year``
    (进站接待次数; every deputy should receive at least ``receptions_per_year`` times [C2]), fewest first."""
    council_id = council_pk(council)
    counts = Counter(Reception.deputies.through.objects
                     .filter(reception__council_id=council_id, reception__date__year=year)
                     .values_list("member_id", flat=True))
    members = Member.objects.filter(council_id=council_id, active=True).order_by("name", "id")
    return sorted(((m, counts.get(m.pk, 0)) for m in members), key=lambda x: (x[1], x[0].name))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz))


def _raised_in(council_id: int, start: date, end: date) -> QuerySet[Matter]:
    """The matters raised in ``start``–``end``: at a reception held then, or left on the portal then."""
    lo, hi = _bounds(start, end)
    return Matter.objects.filter(council_id=council_id).filter(
        Q(reception__date__range=(start, end)) | Q(reception__isnull=True, created_at__range=(lo, hi)))


@dataclass
class Figures:
    """The liaison-station figures of a period (数读, WORKFLOWS.md §8)."""

    start: date
    end: date
    stations: int = 0
    central_stations: int = 0
    receptions: int = 0
    visitors: int = 0
    deputies_taking_part: int = 0
    matters: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    untriaged: int = 0
    solved: int = 0
    solved_within_month: int = 0
    converted: int = 0
    fed_back: int = 0
    stations_by_stars: dict[int, int] = field(default_factory=dict)

    def outcome_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_outcome.get(value, 0)) for value, label in Outcome.choices]


def station_figures(council: Council | int, start: date, end: date, *, within: date | None = None) -> Figures:
    """The figures of the council's stations for receptions and matters in ``start``–``end`` (inclusive).

    - ``receptions``, ``visitors``: receptions held in the period and their visitors;
    - ``deputies_taking_part``: distinct deputies present at those receptions;
    - ``matters``: matters raised in the period (at those receptions, or on the portal); ``by_outcome`` their
      triage outcome, ``untriaged`` those not yet triaged, ``converted`` those turned into suggestions,
      ``fed_back`` those whose feedback was recorded;
    - ``solved``: matters with a solution recorded; ``solved_within_month``: solved no later than one month
      after the day raised, or, with ``within`` (a theme month), no later than that day;
    - ``stations``, ``central_stations``: active stations now; ``stations_by_stars``: stations per star
      rating of ``end``'s year.
    """
    council_id = council_pk(council)
    fig = Figures(start, end)
    stations = public_stations(council_id)
    fig.stations = stations.count()
    fig.central_stations = stations.filter(level=StationLevel.CENTRAL).count()
    receptions = Reception.objects.filter(council_id=council_id, date__range=(start, end))
    fig.receptions = receptions.count()
    fig.visitors = sum(receptions.values_list("visitors", flat=True))
    fig.deputies_taking_part = (Reception.deputies.through.objects.filter(reception__in=receptions)
                                .values("member_id").distinct().count())
    matters = list(_raised_in(council_id, start, end).select_related("reception"))
    fig.matters = len(matters)
    fig.by_outcome = dict(Counter(m.outcome for m in matters if m.outcome))
    fig.untriaged = sum(1 for m in matters if not m.outcome)
    fig.converted = fig.by_outcome.get(Outcome.SUGGESTION, 0)
    fig.fed_back = sum(1 for m in matters if m.fed_back_at)
    for m in matters:
        if m.solved_at is None:
            continue
        fig.solved += 1
        raised = m.reception.date if m.reception is not None else timezone.localdate(m.created_at)
        limit = within or add_period(raised, 1, "months")
        if timezone.localdate(m.solved_at) <= limit:
            fig.solved_within_month += 1
    rows = (StationRating.objects.filter(station__council_id=council_id, year=end.year, stars__gt=0)
            .values("stars").annotate(n=Count("id")))
    fig.stations_by_stars = {r["stars"]: r["n"] for r in sorted(rows, key=lambda r: -r["stars"])}
    return fig


def theme_figures(theme: ThemeActivity) -> Figures:
    """A theme month's own figures: :func:`station_figures` over its period, solved within the period."""
    return station_figures(theme.council_id, theme.start, theme.end, within=theme.end)


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> FigureSection | None:
    """The stations' 数读 for the statistics page and ``lvzhi stats`` (:mod:`lvzhi.core.sections`): receptions and
    matters from ``date_from`` (default: 1 January of ``date_to``'s year) to ``date_to`` (default: today);
    ``None`` for a council that is not a people's congress."""
    council = Council.objects.filter(pk=council_id).first()
    if council is None or council.kind != CouncilKind.NPC:
        return None
    end = date_to or timezone.localdate()
    start = date_from or date(end.year, 1, 1)
    fig = station_figures(council_id, start, end)
    solved_share = percent(fig.solved_within_month / fig.matters if fig.matters else None)
    return FigureSection(
        key="stations", title=str(_("代表联络站")), scope=f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
        figures=[(str(_("联络站")), fig.stations), (str(_("其中中心站")), fig.central_stations),
                 (str(_("进站接待")), fig.receptions), (str(_("接待群众（人次）")), fig.visitors),
                 (str(_("参加接待的代表")), fig.deputies_taking_part), (str(_("收集意见建议")), fig.matters),
                 (str(_("当月解决")), fig.solved_within_month), (str(_("当月解决率")), solved_share),
                 (str(_("转为代表建议")), fig.converted), (str(_("已反馈")), fig.fed_back)],
        tables=[Table(str(_("事项处理方式")), [str(_("处理方式")), str(_("件数"))],
                      [[label, n] for label, n in fig.outcome_rows()]),
                Table(str(_("星级联络站")), [str(_("星级")), str(_("个数"))],
                      [[f"{stars}★", n] for stars, n in fig.stations_by_stars.items()])])
