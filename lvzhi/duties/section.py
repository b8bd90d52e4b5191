"""The duties' 数读 as a section of :mod:`lvzhi.core.sections` (key ``"duties"``): meetings held, invitations
and the attendance rate, speeches, topic places, members meeting the minimum duties and the grade distribution
under the council's active rule set — the figures of :func:`lvzhi.duties.queries.duty_figures`, shown on
/stats/, by ``lvzhi stats`` and in the statistics workbook and the year's report."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.sections import Section, Table, percent
from lvzhi.duties.models import Meeting
from lvzhi.duties.queries import DutyFigures, duty_figures
from lvzhi.duties.rules import RuleSetSpec
from lvzhi.duties.scoring import active_rule_set, score_council, year_bounds
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council


def period_of(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """The counted period: ``date_from``..``date_to``; an open start is 1 January of the end's year, an open
    end 31 December of the start's year (with both open: this calendar year)."""
    if date_from is None and date_to is None:
        return year_bounds(timezone.localdate().year)
    if date_from is None:
        assert date_to is not None
        return date(date_to.year, 1, 1), date_to
    if date_to is None:
        return date_from, date(date_from.year, 12, 31)
    return date_from, date_to


def figures_for(council: Council, start: date, end: date) -> tuple[DutyFigures, bool]:
    """The duty figures of ``council`` for ``start``..``end`` and whether a rule set is active (without one the
    acts are read all the same, with no grades and no minimum duties)."""
    try:
        result = score_council(council, start, end)
        return duty_figures(result), True
    except LookupError:
        result = score_council(council, start, end, spec=RuleSetSpec(name="", items=[]))
        return duty_figures(result), False


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> Section | None:
    """The section of ``council_id``: ``None`` for an unknown council or one that does not use the module (no
    meeting ever recorded and no active rule set), so the statistics of such a council stay as they were. Figures are integers except the rates
    (text such as ``"37.5%"``); the tables are meetings by kind and members by grade."""
    council = Council.objects.filter(pk=council_id).first()
    if council is None or not (Meeting.objects.filter(council=council).exists() or active_rule_set(council)):
        return None
    start, end = period_of(date_from, date_to)
    fig, rated = figures_for(council, start, end)
    npc = council.kind == CouncilKind.NPC
    invitations = fig.present + fig.excused + fig.unexcused
    figures: list[tuple[str, int | float | str | None]] = [
        (_("会议活动（场）"), sum(fig.meetings.values())),
        (_("参会（人次）"), invitations),
        (_("出席（人次）"), fig.present),
        (_("请假（人次）"), fig.excused),
        (_("缺席（人次）"), fig.unexcused),
        (_("出席率"), percent(fig.attendance_rate)),
        (_("会议发言（人次）"), sum(fig.speeches.values())),
        (_("参与协商议题（人次）"), fig.topic_places),
        (_("协商成果获批示（件）"), fig.outcome_instructions),
        (_("批示落实（项）"), f"{fig.instruction_tasks_done} / {fig.instruction_tasks}"),
        (_("代表（人）") if npc else _("委员（人）"), fig.members),
    ]
    if fig.minimum_met is not None:
        figures.append((_("完成基本履职要求（人）"), fig.minimum_met))
        figures.append((_("基本履职完成率"), percent(fig.minimum_met / fig.members if fig.members else None)))
    tables = [Table(_("会议活动（按类型）"), [_("类型"), _("场次")], [[k, n] for k, n in fig.meetings.items()])]
    if rated:
        tables.append(Table(_("考评等次"), [_("等次"), _("人数"), _("占比")],
                            [[name, n, percent(share if fig.members else None)] for name, n, share in fig.grades]))
    scope = f"{start:%Y-%m-%d} — {end:%Y-%m-%d}" + ("" if rated else _("（尚未启用考评规则，无等次）"))
    return Section(key="duties", title=_("代表履职") if npc else _("委员履职"), figures=figures, scope=scope, tables=tables)
