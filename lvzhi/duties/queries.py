"""Reads for the year's figures (数读) of meetings and duty scores: meetings held by kind, attendance rate,
speeches, and the grade shares of the scores (the seeds' "委员履职量化考评优秀率达89%")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lvzhi.cases.choices import InstructionStatus
from lvzhi.duties.acts import Act
from lvzhi.duties.choices import ContributionKind, MeetingKind
from lvzhi.duties.models import InstructionTask, OutcomeInstruction
from lvzhi.duties.scoring import CouncilScores


@dataclass
class DutyFigures:
    """Figures of a period: ``meetings`` by kind label; attendance counts over invitees of meetings held
    (``present`` / ``excused`` / ``unexcused``, and the rate present ÷ all); ``speeches`` by kind label;
    ``grades`` as (grade, members, share) in the rule set's order; ``minimum_met`` members meeting every
    minimum duty (``None`` without minimum duties)."""

    start: date
    end: date
    meetings: dict[str, int] = field(default_factory=dict)
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    speeches: dict[str, int] = field(default_factory=dict)
    members: int = 0
    grades: list[tuple[str, int, float]] = field(default_factory=list)
    minimum_met: int | None = None
    proposals: int = 0
    proposals_filed: int = 0
    suggestions: int = 0
    reports: int = 0
    reports_adopted: int = 0
    instructed: int = 0
    topic_places: int = 0
    members_proposing: int = 0
    outcome_instructions: int = 0
    instruction_tasks: int = 0
    instruction_tasks_done: int = 0

    def excellent_rate(self, grade: str) -> float | None:
        """The share of members in ``grade`` (e.g. the seeds' 优秀率)."""
        return next((share for name, _n, share in self.grades if name == grade), None)

    def rows(self) -> list[tuple[str, str]]:
        """The headline figures as (label, value) in Chinese, in the order of the seeds' 数读 boxes."""
        rate = self.attendance_rate
        out = [("会议活动", f"{sum(self.meetings.values())} 场"),
               ("参会", f"{self.present + self.excused + self.unexcused} 人次，出席率 "
                        f"{'—' if rate is None else f'{rate * 100:.1f}%'}"),
               ("发言", f"{sum(self.speeches.values())} 人次"),
               ("委员提案（第一提案人）", f"{self.proposals} 件，立案 {self.proposals_filed} 件"),
               ("提出提案的委员", f"{self.members_proposing} 人"),
               ("代表建议（领衔）", f"{self.suggestions} 件"),
               ("社情民意信息", f"{self.reports} 篇，采用 {self.reports_adopted} 篇，获批示 {self.instructed} 篇"),
               ("参与协商议题", f"{self.topic_places} 人次"),
               ("协商成果获批示", f"{self.outcome_instructions} 件，落实 {self.instruction_tasks_done} / "
                              f"{self.instruction_tasks} 项")]
        out += [(f"考评{name}", f"{n} 人（{share * 100:.1f}%）") for name, n, share in self.grades]
        if self.minimum_met is not None:
            out.append(("完成基本履职要求", f"{self.minimum_met} / {self.members} 人"))
        return out

    @property
    def attendance_rate(self) -> float | None:
        total = self.present + self.excused + self.unexcused
        return self.present / total if total else None


def duty_figures(result: CouncilScores) -> DutyFigures:
    """The figures of ``result``'s period, from its acts, and the instructions on consultation outcomes
    dated in it (3 queries)."""
    acts: list[Act] = [a for s in result.members for a in s.acts]
    fig = DutyFigures(result.start, result.end, members=len(result.members))
    kinds = dict(MeetingKind.choices)
    seen: dict[str, str] = {}
    outcomes: Counter[str] = Counter()
    speeches: Counter[str] = Counter()
    labels = dict(ContributionKind.choices)
    proposers: set[int] = set()
    for a in acts:
        if a.kind == "meeting":
            seen[a.key] = str(kinds.get(a.attrs["meeting_kind"], a.attrs["meeting_kind"]))
            outcomes[a.attrs["outcome"]] += 1
        elif a.kind == "speech":
            speeches[str(labels.get(a.attrs["speech_kind"], a.attrs["speech_kind"]))] += 1
        elif a.kind == "proposal" and a.attrs.get("role") == "first":
            fig.proposals += 1
            fig.proposals_filed += bool(a.attrs.get("filed"))
            proposers.add(a.member_id)
        elif a.kind == "suggestion" and a.attrs.get("role") == "first":
            fig.suggestions += 1
        elif a.kind == "report":
            fig.reports += 1
            fig.reports_adopted += bool(a.attrs.get("adopted"))
            fig.instructed += bool(a.attrs.get("instructed"))
        elif a.kind == "topic":
            fig.topic_places += 1
    fig.members_proposing = len(proposers)
    fig.meetings = dict(Counter(seen.values()).most_common())
    fig.present, fig.excused, fig.unexcused = outcomes["present"], outcomes["excused"], outcomes["unexcused"]
    fig.speeches = dict(speeches.most_common())
    counts = Counter(s.grade for s in result.members)
    fig.grades = [(b.name, counts[b.name], counts[b.name] / fig.members if fig.members else 0.0)
                  for b in result.rule_set.grades]
    if result.rule_set.duties:
        fig.minimum_met = sum(1 for s in result.members if s.minimum_met)
    instructions = OutcomeInstruction.objects.filter(topic__plan__council=result.council, date__gte=result.start,
                                                     date__lte=result.end)
    fig.outcome_instructions = instructions.count()
    tasks = InstructionTask.objects.filter(instruction__in=instructions)
    fig.instruction_tasks = tasks.count()
    fig.instruction_tasks_done = tasks.filter(status=InstructionStatus.DONE).count()
    return fig
