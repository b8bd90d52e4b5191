"""The demo people's congress carries a year's livelihood cycle (issue 7 "Done when"): built through the real
actions by ``lvzhi demo`` (lvzhi.demo.npc_livelihood)."""

from __future__ import annotations

from typing import Any

from lvzhi.demo import npc
from lvzhi.demo import npc_data as data
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import (
    Candidate,
    DeliveryProject,
    Evaluation,
    Milestone,
    ProjectSuggestion,
    Screening,
    Source,
    Vote,
)


def test_demo_year_from_collection_to_satisfaction(db: Any) -> None:
    users = npc.build_npc()
    council = npc.npc_council()
    assert council is not None
    suggestions = ProjectSuggestion.objects.filter(council=council, window__year=2024)
    # 15 suggested: from deputies, the public and staff registering letters; 2 refused with a reason, 1 merged.
    assert suggestions.count() == 15
    assert set(suggestions.values_list("source", flat=True)) == {Source.DEPUTY, Source.PUBLIC, Source.STAFF}
    refused = suggestions.filter(screening=Screening.REJECTED)
    assert refused.count() == 2 and all(r.screening_reason for r in refused)
    assert suggestions.filter(screening=Screening.MERGED, merged_into__isnull=False).count() == 1
    vote = Vote.objects.get(council=council, window__year=2024)
    # 12 candidates for 10 places; every deputy received a ballot (3 online, the rest on paper); the paper
    # ballot marked √ is the one invalid ballot.
    assert (vote.candidates.count(), vote.places, vote.electorate) == (12, 10, len(data.DEPUTIES))
    assert vote.published_at is not None and vote.published_at.year == 2024
    assert {k: vote.result[k] for k in ("void", "ballots", "valid", "invalid")} == {
        "void": False, "ballots": len(data.DEPUTIES), "valid": len(data.DEPUTIES) - 1, "invalid": 1}
    elected = Candidate.objects.filter(vote=vote, outcome="elected")
    assert elected.count() == 10
    assert all(2 * c.yes > vote.electorate for c in elected)  # each has 赞成 from more than half of all deputies
    evaluation = Evaluation.objects.get(council=council, year=2024)
    assert set(evaluation.projects.all()) == set(elected)
    assert {r["result"] for r in evaluation.result.values()} <= {"满意", "基本满意"}
    # Delivered on the core: every elected project numbered, closed, reported 100 % done, milestones reached.
    projects = DeliveryProject.objects.filter(council=council, year=2024)
    assert sorted(p.candidate_id for p in projects) == sorted(c.pk for c in elected)
    assert all(p.state.is_terminal and p.percent_done() == 100 and p.number.startswith("2024-MS") for p in projects)
    assert not Milestone.objects.filter(project__in=projects, done_on__isnull=True).exists()
    # Micro projects: two batches, each approved one delivered and rated; the people served add up.
    from lvzhi.livelihood.queries import year_figures

    figures = year_figures(council.pk, 2024)
    assert (figures.micro, figures.micro_batches, figures.elected) == (8, 2, 10)
    # Completion reports signed in December 2024, before the planned 2024-12-31: all on time.
    assert (figures.delivered, figures.completed, figures.on_time) == (10, 10, 10)
    assert figures.micro_people_served == 3200 + 5600 + 1800 + 9000 + 4300 + 12000 + 2600 + 8000
    # This year's vote is open for the demo deputy.
    current = Vote.objects.exclude(pk=vote.pk).get(council=council)
    assert current.is_open() and not act.has_voted(users["deputy"], current)
