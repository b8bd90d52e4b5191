"""The demo meetings (lvzhi/demo/duties.py) are built through the writers, once."""

from __future__ import annotations

import pytest

from lvzhi.demo.duties import MEETINGS, YEAR, build_duties
from lvzhi.duties.models import CheckIn, Meeting, RuleSet
from lvzhi.duties.scoring import score_council, year_bounds
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_demo_meetings_once(world: World) -> None:
    assert build_duties(world.council) == len(MEETINGS) + 2
    assert build_duties(world.council) == 0  # idempotent
    plenary = Meeting.objects.get(council=world.council, kind="plenary")
    assert plenary.slots() == [f"{YEAR}-01-09上午", f"{YEAR}-01-09下午", f"{YEAR}-01-10上午", f"{YEAR}-01-10下午",
                               f"{YEAR}-01-11上午"]
    # the members with accounts attend everything they are invited to
    assert CheckIn.objects.filter(meeting=plenary, member=world.members[0]).count() == 5
    assert RuleSet.objects.get(council=world.council, active=True).name.startswith("桐城")
    plan = world.council.consultation_plans.get()
    from lvzhi.duties.models import InstructionTask

    assert sorted(InstructionTask.objects.values_list("unit__name", "status")) == [("市交通运输局", "pending"),
                                                                                  ("市发展和改革局", "done")]
    assert plan.topics.count() == 4 and plan.topics.filter(meeting__isnull=False, outcome_sent_on__isnull=False).count() == 1
    result = score_council(world.council, *year_bounds(YEAR))
    assert [s.name for s in result.members] and all(s.score >= 50 for s in result.members)
