"""Building a livelihood vote through the real actions (shared by the model, web and browser tests)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Screening, Vote
from tests.cases.npc import NPC

TITLES = ["老旧小区加装电梯", "中小学课后服务", "社区长者饭堂", "背街小巷改造"]


def make_vote(npc: NPC, *, places: int = 1, candidates: int = 3, electorate: int = 5, opened: bool = True,
              title: str = "2026年民生实事项目票决") -> Vote:
    staff = npc.user("staff")
    today = timezone.localdate()
    window = act.open_collection(staff, npc.council, year=today.year, opens=today, closes=today)
    items = []
    for i in range(candidates):
        project = act.submit_project(npc.user(f"deputy{i % 5}"), window, title=TITLES[i % len(TITLES)] + str(i),
                                     investment="1200.5", proposed_unit=npc.units[i % 3])
        act.screen_project(staff, project, outcome=Screening.ACCEPTED)
        items.append(act.CandidateInput(suggestion=project))
    vote = act.create_vote(staff, npc.council, title=title, places=places, electorate=electorate,
                           candidates=items, window=window)
    act.approve_list(staff, vote)
    if opened:
        act.open_vote(npc.user("leader"), vote)
    return vote


def tally_file(rows: list[list[Any]]) -> BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out
