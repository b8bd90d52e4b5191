"""Members' studios (issue 9, item 6). Scenario (2025): 经济界委员工作室 (studio, sector 经济界) with 张三 as head
and 李四; 委员之家 (home) with 王五. Activities: 03-05 联系界别群众 by 张三 and 李四, 40 people, an outcome
(a proposal); 06-12 协商议事 by 张三 alone, 15 people, no outcome; 09-01 at the home by 王五, 25 people, a
problem solved (宣讲服务); one in 2024 (10 people) outside the year.

Hand count for 2025: studios 2 (委员工作室 1, 委员之家 1); members in a studio 3; activities 3 (联系界别群众 1, 协商议事 1, 宣讲服务 1);
participations 2 + 1 + 1 = 4; people reached 40 + 15 + 25 = 80; with an outcome 2.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.core import sections as module_sections
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.duties.acts import acts_of
from lvzhi.members.models import Organisation
from lvzhi.studios import actions as st
from lvzhi.studios.models import Studio, StudioActivity
from lvzhi.studios.queries import studio_figures
from tests.conftest import World

pytestmark = pytest.mark.django_db


def build(world: World) -> tuple[Studio, Studio]:
    staff = world.user("staff")
    zhang, li, wang = world.members
    sector = Organisation.objects.get(council=world.council, name="经济界")
    studio = st.create_studio(staff, world.council, name="经济界委员工作室", kind="studio", sector=sector,
                              members=[(zhang, True), (li, False)])
    home = st.create_studio(staff, world.council, name="蓬江委员之家", kind="home", members=[(wang, True)])
    st.record_activity(world.user("member0"), studio.pk, day=date(2025, 3, 5), title="走访小微企业", kind="sector",
                       participants=[zhang, li], people_reached=40, outcome_kind="proposal", outcome="形成提案1件")
    st.record_activity(staff, studio.pk, day=date(2025, 6, 12), title="营商环境议事", kind="consultation",
                       participants=[zhang], people_reached=15)
    st.record_activity(world.user("member2"), home.pk, day=date(2025, 9, 1), title="政策宣讲进社区", kind="outreach",
                       participants=[wang], people_reached=25, outcome_kind="solved", outcome="解决路灯问题")
    st.record_activity(staff, home.pk, day=date(2024, 12, 1), title="2024年活动", kind="sector", participants=[wang],
                       people_reached=10)
    return studio, home


def test_figures_and_acts_counted_by_hand(world: World) -> None:
    build(world)
    fig = studio_figures(world.council.pk, date(2025, 1, 1), date(2025, 12, 31))
    assert fig.studios == {"委员工作室": 1, "委员之家": 1} and fig.members == 3
    assert fig.activities == {"联系界别群众": 1, "协商议事": 1, "宣讲服务": 1}
    assert (fig.places, fig.people, fig.with_outcome) == (4, 80, 2)
    [section] = module_sections.sections(world.council.pk, date(2025, 1, 1), date(2025, 12, 31), only="studios")
    assert dict(section.figures)["联系群众（人次）"] == 80
    acts = [a for a in acts_of(world.council, date(2025, 1, 1), date(2025, 12, 31)) if a.kind == "studio_activity"]
    zhang, li, wang = world.members
    assert sorted((a.member_id, a.title, a.attrs["with_outcome"]) for a in acts) == sorted([
        (zhang.pk, "走访小微企业", True), (li.pk, "走访小微企业", True), (zhang.pk, "营商环境议事", False),
        (wang.pk, "政策宣讲进社区", True)])


def test_refusals(world: World) -> None:
    studio, _home = build(world)
    zhang, li, wang = world.members
    with pytest.raises(DomainError, match="已有名为"):
        st.create_studio(world.user("staff"), world.council, name="经济界委员工作室", kind="studio")
    with pytest.raises(ForbiddenError):
        st.record_activity(world.user("member1"), studio.pk, day=date(2025, 5, 1), title="x", kind="sector",
                           participants=[li])  # 李四 is a member, not a head
    with pytest.raises(DomainError, match="王五 不是本工作室成员"):
        st.record_activity(world.user("member0"), studio.pk, day=date(2025, 5, 1), title="x", kind="sector",
                           participants=[zhang, wang])
    with pytest.raises(DomainError, match="请填写「活动成果」"):
        st.record_activity(world.user("member0"), studio.pk, day=date(2025, 5, 1), title="x", kind="sector",
                           participants=[zhang], outcome_kind="report")
    assert StudioActivity.objects.count() == 4


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages(world: World) -> None:
    staff = _client(world.user("staff"))
    zhang = world.members[0]
    r = staff.post("/studios/new/", {"name": "科技界工作室", "kind": "studio", "member": [str(zhang.pk)],
                                     "head": [str(zhang.pk)]})
    assert r.status_code == 302
    studio = Studio.objects.get(name="科技界工作室")
    head = _client(world.user("member0"))
    assert "科技界工作室" in head.get("/studios/").content.decode()
    assert head.post(f"/studios/{studio.pk}/activity/", {"day": "2025-04-01", "title": "科技人员座谈", "kind": "sector",
                                                         "participant": [str(zhang.pk)], "people_reached": "12"}
                     ).status_code == 302
    bad = head.post(f"/studios/{studio.pk}/activity/", {"day": "2025-04-01", "title": "x", "kind": "sector",
                                                        "participant": [str(zhang.pk)], "people_reached": "abc"})
    assert bad.status_code == 400 and "应为整数" in bad.content.decode()
    assert _client(world.user("member1")).get(f"/studios/{studio.pk}/").status_code == 404
    assert StudioActivity.objects.get(studio=studio).people_reached == 12


def test_api(world: World) -> None:
    from lvzhi.core.api_auth import issue_token
    from tests.api.conftest import Api

    def api(name: str) -> Api:
        return Api(issue_token(world.user(name), name="test")[1])

    studio, home = build(world)
    zhang, li, wang = world.members
    assert sorted(s["name"] for s in api("leader").get("/api/studios").json()) == ["经济界委员工作室", "蓬江委员之家"]
    [mine] = api("member1").get("/api/studios").json()
    assert mine["name"] == "经济界委员工作室" and [a["people_reached"] for a in mine["activities"]] == [15, 40]
    r = api("member0").post(f"/api/studios/{studio.pk}/activities", {
        "day": "2025-11-02", "title": "界别协商会", "kind": "consultation", "participants": [zhang.pk, li.pk],
        "people_reached": 20})
    assert r.status_code == 201 and r.json()["participants"] == sorted([zhang.pk, li.pk])
    assert api("member1").post(f"/api/studios/{studio.pk}/activities", {
        "day": "2025-11-02", "title": "x", "kind": "sector", "participants": [li.pk]}).status_code == 403
    assert api("member0").post(f"/api/studios/{home.pk}/activities", {
        "day": "2025-11-02", "title": "x", "kind": "sector", "participants": [zhang.pk]}).status_code == 404
    bad = api("member0").post(f"/api/studios/{studio.pk}/activities", {
        "day": "2025-11-02", "title": "x", "kind": "sector", "participants": [wang.pk]})
    assert bad.status_code == 400 and "王五 不是本工作室成员" in bad.json()["detail"]
