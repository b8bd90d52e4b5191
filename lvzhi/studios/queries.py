"""Reads of studios: the duty-record acts of the members who took part in an activity, and the 数读 section
``"studios"``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.cases.choices import AssignmentStatus, ReplyKind, ReplyStatus
from lvzhi.cases.models import Assignment, Reply
from lvzhi.core.sections import Section, Table
from lvzhi.members.models import Council
from lvzhi.studios.models import (
    ActivityKind,
    Adoption,
    ConsultationItem,
    Studio,
    StudioActivity,
    StudioKind,
    StudioMember,
)


def activity_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Any]:
    """One act ``studio_activity`` per participant of an activity dated in the period, with ``activity_kind``
    and ``with_outcome`` (something came of it). One query."""
    from lvzhi.duties.acts import Act

    through = StudioActivity.participants.through
    qs = through.objects.filter(studioactivity__studio__council=council, studioactivity__day__gte=start,
                                studioactivity__day__lte=end)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    for member_id, activity_id, studio_id, day, title, kind, outcome_kind in qs.values_list(
            "member_id", "studioactivity_id", "studioactivity__studio_id", "studioactivity__day",
            "studioactivity__title", "studioactivity__kind", "studioactivity__outcome_kind"):
        yield Act(member_id, "studio_activity", day, title, f"/studios/{studio_id}/", f"studio_activity:{activity_id}",
                  {"activity_kind": kind, "with_outcome": bool(outcome_kind)})
    yield from item_acts(council, start, end, member_ids)


def item_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Any]:
    """One act ``consultation_item`` per member who raised a consultation-list item whose activity is dated in
    the period, with ``adoption`` (the item's adoption outcome, blank until recorded). One query."""
    from lvzhi.duties.acts import Act
    from lvzhi.studios.defaults import item_url

    through = ConsultationItem.raised_by.through
    qs = through.objects.filter(consultationitem__council=council, consultationitem__activity__day__gte=start,
                                consultationitem__activity__day__lte=end)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    for member_id, item_id, day, title, adoption in qs.values_list(
            "member_id", "consultationitem_id", "consultationitem__activity__day", "consultationitem__title",
            "consultationitem__adoption"):
        yield Act(member_id, "consultation_item", day, title, item_url(item_id), f"consultation_item:{item_id}",
                  {"adoption": adoption})


def register_acts() -> None:
    from lvzhi.duties.acts import ActKind, register

    register("studios", "委员工作室", [
        ActKind("studio_activity", "工作室活动", {"activity_kind": "活动类型", "with_outcome": "有成果"},
                {"activity_kind": {str(k): str(v) for k, v in ActivityKind.choices},
                 "with_outcome": {"true": "是", "false": "否"}}),
        ActKind("consultation_item", "协商清单事项", {"adoption": "采纳情况"},
                {"adoption": {str(k): str(v) for k, v in Adoption.choices}}),
    ], activity_acts)


@dataclass
class StudioFigures:
    """``studios`` by kind label (all the council's studios), ``members`` in a studio (distinct); activities
    dated in the period: ``activities`` by kind label, ``places`` (participations), ``people`` reached,
    ``with_outcome`` activities with an outcome."""

    studios: dict[str, int] = field(default_factory=dict)
    members: int = 0
    activities: dict[str, int] = field(default_factory=dict)
    places: int = 0
    people: int = 0
    with_outcome: int = 0


def studio_figures(council_id: int, start: date, end: date) -> StudioFigures:
    kinds, activity_kinds = dict(StudioKind.choices), dict(ActivityKind.choices)
    fig = StudioFigures()
    fig.studios = {str(kinds[k]): n for k, n in
                   Counter(Studio.objects.filter(council_id=council_id).values_list("kind", flat=True)).most_common()}
    fig.members = StudioMember.objects.filter(studio__council_id=council_id).values("member_id").distinct().count()
    activities = StudioActivity.objects.filter(studio__council_id=council_id, day__gte=start, day__lte=end)
    counts: Counter[str] = Counter()
    for kind, people, outcome_kind in activities.values_list("kind", "people_reached", "outcome_kind"):
        counts[str(activity_kinds[kind])] += 1
        fig.people += people
        fig.with_outcome += bool(outcome_kind)
    fig.activities = dict(counts.most_common())
    fig.places = StudioActivity.participants.through.objects.filter(studioactivity__in=activities).count()
    return fig


@dataclass(frozen=True)
class ItemFigures:
    """Consultation-list items whose activity is dated in the period: ``items`` listed, ``assigned`` with a
    unit handling or having handled them (an assignment neither sent back nor withdrawn), ``replied`` with a
    signed answer of a unit, ``adopted`` adopted or partly adopted, ``implemented`` recorded as implemented."""

    items: int
    assigned: int
    replied: int
    adopted: int
    implemented: int


def item_figures(council_id: int, start: date, end: date) -> ItemFigures:
    """The year's (or period's) figures of the consultation list, counted from the records (five queries)."""
    items = ConsultationItem.objects.filter(council_id=council_id, activity__day__gte=start, activity__day__lte=end)
    ids = items.values("pk")
    assigned = (Assignment.objects.filter(case_type="consultation_item", object_id__in=ids)
                .exclude(status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN])
                .values("object_id").distinct().count())
    replied = (Reply.objects.filter(assignment__case_type="consultation_item", assignment__object_id__in=ids,
                                    status=ReplyStatus.SIGNED, kind=ReplyKind.ANSWER)
               .values("assignment__object_id").distinct().count())
    return ItemFigures(items=items.count(), assigned=assigned, replied=replied,
                       adopted=items.filter(adoption__in=[Adoption.ADOPTED, Adoption.PARTLY]).count(),
                       implemented=items.filter(implemented_on__isnull=False).count())


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> Section | None:
    """The section (activities dated in the range; open ends: the year of the other end, or this year); ``None``
    when the council has no studio."""
    if not Studio.objects.filter(council_id=council_id).exists():
        return None
    year = (date_to or date_from or timezone.localdate()).year
    start = date_from or date(year, 1, 1)
    end = date_to or date(start.year, 12, 31)
    fig = studio_figures(council_id, start, end)
    items = item_figures(council_id, start, end)
    return Section(
        key="studios", title=_("委员工作室"), scope=f"{start:%Y-%m-%d} — {end:%Y-%m-%d}",
        figures=[(_("工作室（个）"), sum(fig.studios.values())), (_("入驻委员/代表（人）"), fig.members),
                 (_("开展活动（场）"), sum(fig.activities.values())), (_("参加委员/代表（人次）"), fig.places),
                 (_("联系群众（人次）"), fig.people), (_("形成成果的活动（场）"), fig.with_outcome),
                 (_("协商清单事项（条）"), items.items), (_("已交办（条）"), items.assigned),
                 (_("已答复（条）"), items.replied), (_("已采纳（条，含部分采纳）"), items.adopted),
                 (_("已落实（条）"), items.implemented)],
        tables=[Table(_("工作室类型"), [_("类型"), _("个数")], [[k, n] for k, n in fig.studios.items()]),
                Table(_("活动类型"), [_("类型"), _("场次")], [[k, n] for k, n in fig.activities.items()])])


def filter_items(qs: QuerySet[ConsultationItem], *, year: int | None = None, state: int | None = None,
                 unit: int | None = None, adoption: str | None = None,
                 activity: int | None = None) -> QuerySet[ConsultationItem]:
    """Narrow a visible queryset of consultation items: ``year``, ``state`` (a state id), ``unit`` (a handling
    unit id with an assignment neither sent back nor withdrawn), ``adoption`` (an :class:`Adoption` value;
    ``""`` for not yet recorded), ``activity`` (an activity id). ``None`` leaves a filter off. Raises
    :class:`DomainError` (field ``adoption``) for an unknown adoption value."""
    from lvzhi.core.errors import DomainError

    if year is not None:
        qs = qs.filter(year=year)
    if state is not None:
        qs = qs.filter(state_id=state)
    if activity is not None:
        qs = qs.filter(activity_id=activity)
    if adoption is not None:
        if adoption not in Adoption.values:
            raise DomainError("采纳情况无效，应为采纳、部分采纳、未采纳或未确认。", field="adoption")
        qs = qs.filter(adoption=adoption)
    if unit is not None:
        qs = qs.filter(pk__in=Assignment.objects.filter(case_type="consultation_item", unit_id=unit).exclude(
            status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN]).values("object_id"))
    return qs


def item_units(items: list[ConsultationItem]) -> dict[int, list[Assignment]]:
    """The assignments (neither sent back nor withdrawn) of ``items``, by item id, with their units (one query)."""
    found: dict[int, list[Assignment]] = {i.pk: [] for i in items}
    for a in (Assignment.objects.filter(case_type="consultation_item", object_id__in=list(found))
              .exclude(status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN])
              .select_related("unit").order_by("id")):
        found[a.object_id].append(a)
    return found
