"""The year's consultation plan (协商计划): staff draft it, record its approval, add topics with their form,
lead committee and participants, link the meeting and record the outcome; a participant's topic is a duty
topic (履职课题) in their record and meets Jiangmen's "至少参加一项履职课题"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.duties import actions as act
from lvzhi.duties import acts as registry
from lvzhi.duties.models import ConsultationTopic
from lvzhi.duties.scoring import score_council, year_bounds
from lvzhi.members import actions as org
from lvzhi.members.choices import OrganisationKind
from tests.conftest import World
from tests.duties.conftest import YEAR, aware

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_plan_topics_and_duty_topics(record_world: World) -> None:
    w = record_world
    staff = w.user("staff")
    committee = org.get_or_create_organisation(None, w.council, OrganisationKind.SPECIAL_COMMITTEE, "经济委员会")
    with pytest.raises(ForbiddenError):
        act.create_plan(w.user("member0"), w.council, year=YEAR, title="x")
    plan = act.create_plan(staff, w.council, year=YEAR, title="2025年度协商计划")
    with pytest.raises(DomainError) as exc:
        act.create_plan(staff, w.council, year=YEAR, title="又一份")
    assert exc.value.field == "year"
    act.approve_plan(staff, plan.pk, approved_by="中共江门市委", approved_on=date(YEAR, 2, 20))
    with pytest.raises(DomainError):
        act.approve_plan(staff, plan.pk, approved_by="中共江门市委", approved_on=date(YEAR, 2, 21))
    sector = org.get_or_create_organisation(None, w.council, OrganisationKind.SECTOR, "经济界")
    with pytest.raises(DomainError) as exc:
        act.add_topic(staff, plan.pk, title="议题", form="special", month=5, lead_committee=sector)
    assert exc.value.field == "lead_committee"
    topic = act.add_topic(staff, plan.pk, title="推进制造业当家", form="special", month=9, lead_committee=committee,
                          participants=[(w.members[2], "lead"), (w.members[1], "member")])
    got = {a.member_id: (a.day, dict(a.attrs)) for a in registry.acts_of(w.council, *year_bounds(YEAR))
           if a.kind == "topic"}
    assert got == {w.members[2].pk: (date(YEAR, 9, 1), {"form": "special", "role": "lead", "held": False,
                                                         "outcome_sent": False}),
                   w.members[1].pk: (date(YEAR, 9, 1), {"form": "special", "role": "member", "held": False,
                                                         "outcome_sent": False})}
    meeting = act.create_meeting(staff, w.council, kind="consultation", title="制造业当家专题协商会",
                                 start=aware(YEAR, 9, 18, 9, 0), end=aware(YEAR, 9, 18, 12, 0),
                                 invitees=w.members)
    act.hold_topic(staff, topic.pk, meeting)
    act.record_outcome(staff, topic.pk, outcome="建议设立产业基金。", sent_on=date(YEAR, 10, 8))
    day, attrs = next((a.day, a.attrs) for a in registry.acts_of(w.council, *year_bounds(YEAR))
                      if a.kind == "topic" and a.member_id == w.members[2].pk)
    assert day == date(YEAR, 9, 18) and attrs["held"] and attrs["outcome_sent"]
    # Jiangmen: 王五 had no research, inspection or consultation attended; the topic meets the duty
    act.install_example(staff, w.council, "jiangmen", activate=True)
    wang = next(s for s in score_council(w.council, *year_bounds(YEAR)).members if s.name == "王五")
    assert [d.met for d in wang.duties] == [False, True, True, True, False]


def test_plan_pages(world: World) -> None:
    staff = client_for(world.user("staff"))
    r = staff.post("/duties/plans/", {"year": YEAR, "title": "2025年度协商计划"})
    assert r.status_code == 302
    url = r["Location"]
    r = staff.post(url, {"title": "优化营商环境", "form": "counterpart", "month": 6, "lead": world.members[0].pk,
                         "members": [world.members[0].pk, world.members[1].pk]})
    assert r.status_code == 302
    topic = ConsultationTopic.objects.get()
    assert sorted(topic.participants.values_list("member__name", "role")) == [("张三", "lead"), ("李四", "member")]
    bad = staff.post(url, {"title": "", "form": "counterpart", "month": 13})
    assert bad.status_code == 400
    staff.post(f"{url}approve/", {"approved_by": "中共江门市委", "approved_on": f"{YEAR}-02-20"})
    staff.post(f"{url}topics/{topic.pk}/", {"outcome": "形成协商报告", "sent_on": f"{YEAR}-07-01"})
    page = client_for(world.user("leader")).get(url).content.decode()
    assert "中共江门市委" in page and "形成协商报告" in page and "优化营商环境" in page
    assert client_for(world.user("member0")).get(url).status_code == 404


def test_plans_api(world: World) -> None:
    from lvzhi.core.api_auth import issue_token
    from tests.api.conftest import Api

    staff = world.user("staff")
    plan = act.create_plan(staff, world.council, year=YEAR, title="2025年度协商计划")
    act.add_topic(staff, plan.pk, title="优化营商环境", form="counterpart", month=6,
                  participants=[(world.members[0], "lead")])
    got = Api(issue_token(world.user("leader"), name="t")[1]).get("/api/duties/plans", year=YEAR).json()
    assert [(p["title"], [(t["title"], t["participants"][0]["name"], t["participants"][0]["role"])
                          for t in p["topics"]]) for p in got] == [("2025年度协商计划", [("优化营商环境", "张三", "lead")])]
    assert Api(issue_token(world.user("member0"), name="t")[1]).get("/api/duties/plans").status_code == 404
