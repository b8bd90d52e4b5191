"""A people's congress: its year report opens with deputies' suggestions (of the year's only session), its
duties section speaks of deputies, and its topics are the standing committee's kinds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.duties import actions as duty
from lvzhi.duties.yearreport import year_sections
from lvzhi.suggestions import actions as sa
from lvzhi.supervision import actions as sv
from tests.cases.npc import NPC, build_npc

pytestmark = pytest.mark.django_db


@pytest.fixture
def npc(db: object) -> NPC:
    return build_npc()


def test_npc_year_report_and_kinds(npc: NPC) -> None:
    for i, title in enumerate(["关于加快老旧小区改造的建议", "关于优化公交线路的建议"]):
        s = sa.create_suggestion(npc.user(f"deputy{i}"), session=npc.session, title=title,
                                 content="现状与问题。建议：一是加快改造；二是优化线路。")
        sa.submit(npc.user(f"deputy{i}"), s.pk)
    start = timezone.now() - timedelta(days=2)
    duty.create_meeting(npc.user("staff"), npc.council, kind="standing", title="常委会会议", start=start,
                        end=start + timedelta(hours=3), invitees=npc.deputies[:2])
    year = npc.session.plenary_start.year
    sections = {s.key: s for s in year_sections(npc.council, year)}
    assert next(iter(sections)) == "suggestions" and "proposals" not in sections
    assert dict(sections["suggestions"].figures)["收到代表建议"] == 2
    assert sections["suggestions"].scope == "第16届第3次会议"
    assert sections["duties"].title == "代表履职" and dict(sections["duties"].figures)["代表（人）"] == 5
    with pytest.raises(DomainError, match="专题调研、执法检查、专题询问、听取审议专项工作报告"):
        sv.create_topic(npc.user("staff"), npc.council, kind="supervision", title="x", year=year,
                        starts_on=date(year, 1, 1))
    t = sv.create_topic(npc.user("staff"), npc.council, kind="enforcement", title="《大气污染防治法》执法检查",
                        year=year, starts_on=date(year, 4, 1))
    assert t.get_kind_display() == "执法检查"
