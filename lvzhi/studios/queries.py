"""Reads of studios: the duty-record acts of the members who took part in an activity, and the 数读 section
``"studios"``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.sections import Section, Table
from lvzhi.members.models import Council
from lvzhi.studios.models import ActivityKind, Studio, StudioActivity, StudioKind, StudioMember


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


def register_acts() -> None:
    from lvzhi.duties.acts import ActKind, register

    register("studios", "委员工作室", [
        ActKind("studio_activity", "工作室活动", {"activity_kind": "活动类型", "with_outcome": "有成果"},
                {"activity_kind": {str(k): str(v) for k, v in ActivityKind.choices},
                 "with_outcome": {"true": "是", "false": "否"}}),
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


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> Section | None:
    """The section (activities dated in the range; open ends: the year of the other end, or this year); ``None``
    when the council has no studio."""
    if not Studio.objects.filter(council_id=council_id).exists():
        return None
    year = (date_to or date_from or timezone.localdate()).year
    start = date_from or date(year, 1, 1)
    end = date_to or date(start.year, 12, 31)
    fig = studio_figures(council_id, start, end)
    return Section(
        key="studios", title=_("委员工作室"), scope=f"{start:%Y-%m-%d} — {end:%Y-%m-%d}",
        figures=[(_("工作室（个）"), sum(fig.studios.values())), (_("入驻委员/代表（人）"), fig.members),
                 (_("开展活动（场）"), sum(fig.activities.values())), (_("参加委员/代表（人次）"), fig.places),
                 (_("联系群众（人次）"), fig.people), (_("形成成果的活动（场）"), fig.with_outcome)],
        tables=[Table(_("工作室类型"), [_("类型"), _("个数")], [[k, n] for k, n in fig.studios.items()]),
                Table(_("活动类型"), [_("类型"), _("场次")], [[k, n] for k, n in fig.activities.items()])])
