"""Reads for the year's figures (数读) of meetings and duty scores: meetings held by kind, attendance rate,
speeches, and the grade shares of the scores (the seeds' "委员履职量化考评优秀率达89%")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lvzhi.duties.acts import Act
from lvzhi.duties.choices import ContributionKind, MeetingKind
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

    @property
    def attendance_rate(self) -> float | None:
        total = self.present + self.excused + self.unexcused
        return self.present / total if total else None


def duty_figures(result: CouncilScores) -> DutyFigures:
    """The figures of ``result``'s period, from its acts (no further query)."""
    acts: list[Act] = [a for s in result.members for a in s.acts]
    fig = DutyFigures(result.start, result.end, members=len(result.members))
    kinds = dict(MeetingKind.choices)
    seen: dict[str, str] = {}
    outcomes: Counter[str] = Counter()
    speeches: Counter[str] = Counter()
    labels = dict(ContributionKind.choices)
    for a in acts:
        if a.kind == "meeting":
            seen[a.key] = str(kinds.get(a.attrs["meeting_kind"], a.attrs["meeting_kind"]))
            outcomes[a.attrs["outcome"]] += 1
        elif a.kind == "speech":
            speeches[str(labels.get(a.attrs["speech_kind"], a.attrs["speech_kind"]))] += 1
    fig.meetings = dict(Counter(seen.values()).most_common())
    fig.present, fig.excused, fig.unexcused = outcomes["present"], outcomes["excused"], outcomes["unexcused"]
    fig.speeches = dict(speeches.most_common())
    counts = Counter(s.grade for s in result.members)
    fig.grades = [(b.name, counts[b.name], counts[b.name] / fig.members if fig.members else 0.0)
                  for b in result.rule_set.grades]
    if result.rule_set.duties:
        fig.minimum_met = sum(1 for s in result.members if s.minimum_met)
    return fig
