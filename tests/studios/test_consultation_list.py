"""The consultation list of the 委员议事厅 (协商清单, issue 9 item 2): items listed from a hall's activity, assigned
to units through the core, answered through the core, their adoption recorded by staff.

Scenario: 市政协委员议事厅 (hall) with 张三 as convener (head) and 李四; 蓬江委员之家 (home) with 王五. Activity A
(2025-05-20, 协商议事 "学前教育攻坚", 张三 and 李四) lists three items, activity C (2024-11-01, 李四) one:

==  ================  ==============  =============================================  ==========================
#   item              raised by       handling                                       adoption
==  ================  ==============  =============================================  ==========================
1   扩大公办幼儿园学位  张三           sole 市发展和改革局, replied                     采纳, then 已落实
2   新建社区公园        张三、李四     lead 市交通运输局 + co 市教育局, replied         部分采纳
3   优化学前教育师资    李四           sole 市教育局, not yet replied                  —
4   2024年事项          李四           not assigned (2024)                            —
==  ================  ==============  =============================================  ==========================

Numbers by the default pattern ``{year}-XS{seq:02d}`` per year: 2025-XS01, -XS02, -XS03; 2024-XS01.
Hand count for 2025: items 3, assigned 3, replied 2 (items 1 and 2), adopted 2 (1 adopted, 2 partly),
implemented 1. Duty acts 2025 (one per member who raised an item): 张三 items 1, 2; 李四 items 2, 3.
States are checked through the acts that lead to them (``state_after``), so the test also holds with
``LVZHI_RENAME_STATES=1``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.cases import actions as cases
from lvzhi.cases.choices import AssignmentStatus, ReplyStatus
from lvzhi.cases.models import Assignment, Reply
from lvzhi.cases.queries import inbox_items
from lvzhi.core import sections as module_sections
from lvzhi.core.api_auth import issue_token
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.duties.acts import acts_of
from lvzhi.studios import actions as st
from lvzhi.studios.access import access_item, visible_items
from lvzhi.studios.models import ConsultationItem, Studio, StudioActivity
from lvzhi.studios.queries import item_figures
from lvzhi.workflow.engine import state_after
from tests.api.conftest import Api
from tests.conftest import World, build_world

pytestmark = pytest.mark.django_db

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def hall_and_activities(world: World) -> tuple[Studio, StudioActivity, StudioActivity, StudioActivity]:
    staff = world.user("staff")
    zhang, li, wang = world.members
    hall = st.create_studio(staff, world.council, name="市政协委员议事厅", kind="hall", members=[(zhang, True), (li, False)])
    home = st.create_studio(staff, world.council, name="蓬江委员之家", kind="home", members=[(wang, True)])
    a = st.record_activity(staff, hall.pk, day=date(2025, 5, 20), title="学前教育攻坚", kind="consultation",
                           participants=[zhang, li], outcome_kind="other", outcome="形成协商意见三条")
    c = st.record_activity(staff, hall.pk, day=date(2024, 11, 1), title="2024年议事", kind="consultation",
                           participants=[li])
    b = st.record_activity(staff, home.pk, day=date(2025, 6, 1), title="之家活动", kind="sector", participants=[wang])
    return hall, a, b, c


def listed(world: World) -> tuple[list[ConsultationItem], StudioActivity, StudioActivity]:
    _hall, a, b, c = hall_and_activities(world)
    zhang, li, _wang = world.members
    items = st.list_items(world.user("member0"), a.pk, [  # 张三, the hall's convener
        st.ItemDraft("扩大公办幼儿园学位", "新增公办学位。", [zhang]),
        st.ItemDraft("新建社区公园", "推动建成各类公园。", [zhang, li]),
        st.ItemDraft("优化学前教育师资", "", [li])])
    items += st.list_items(world.user("staff"), c.pk, [st.ItemDraft("2024年事项", "", [li])])
    return items, a, b


def reply(world: World, a: Assignment, i: int) -> None:
    item = ConsultationItem.objects.get(pk=a.object_id)
    r = cases.draft_reply(world.user(f"clerk{i}"), a.pk, grade="A", text="经研究，已纳入计划。",
                          expected_version=item.version)
    cases.sign_off_reply(world.user(f"head{i}"), r.pk)


def whole_flow(world: World, items: list[ConsultationItem] | None = None) -> list[ConsultationItem]:
    if items is None:
        items, _a, _b = listed(world)
    staff, units = world.user("staff"), world.units
    [a1] = cases.assign(staff, ConsultationItem, items[0].pk, [(units[0], "sole")])
    a2, a2co = cases.assign(staff, ConsultationItem, items[1].pk, [(units[1], "lead"), (units[2], "co")])
    cases.assign(staff, ConsultationItem, items[2].pk, [(units[2], "sole")])
    reply(world, a1, 0)
    cases.send_opinion(world.user("clerk2"), a2co.pk, text="同意主办单位意见。")
    reply(world, a2, 1)
    st.record_adoption(staff, items[0].pk, act="adopt", note="已纳入年度计划")
    st.record_adoption(staff, items[0].pk, act="implement")
    st.record_adoption(staff, items[1].pk, act="adopt_partly", note="部分公园纳入规划")
    return [ConsultationItem.objects.get(pk=i.pk) for i in items]


def test_the_whole_flow_states_numbers_and_adoption(world: World) -> None:
    items, _a, _b = listed(world)
    wf = items[0].workflow_id
    assert [i.number for i in items] == ["2025-XS01", "2025-XS02", "2025-XS03", "2024-XS01"]
    assert all(i.state.is_initial and i.state.assignable for i in items)
    assert sorted(m.name for m in items[1].raised_by.all()) == ["张三", "李四"]
    done = whole_flow(world, items)
    assert done[0].state == state_after(wf, "implement") and done[0].adoption == "adopted"
    assert done[0].implemented_on is not None and done[0].adoption_note == "已纳入年度计划"
    assert done[1].state == state_after(wf, "adopt_partly") and done[1].adoption == "partly"
    assert done[2].state == state_after(wf, "assign") and done[2].adoption == ""
    assert done[3].state.is_initial
    assert done[0].state.is_terminal and not done[1].state.is_terminal
    # the core's inbox: staff see the unassigned 2024 item, the unit of item 3 has its answer to give
    staff_inbox = [(i.what, i.number) for i in inbox_items(world.user("staff")) if i.case_type == "consultation_item"]
    assert staff_inbox == [("待交办", "2024-XS01")]
    clerk_inbox = [(i.what, i.number) for i in inbox_items(world.user("clerk2")) if i.case_type == "consultation_item"]
    assert clerk_inbox == [("答复", "2025-XS03")]


def test_figures_counted_by_hand_and_by_a_plain_loop(world: World) -> None:
    whole_flow(world)
    fig = item_figures(world.council.pk, *YEAR)
    assert (fig.items, fig.assigned, fig.replied, fig.adopted, fig.implemented) == (3, 3, 2, 2, 1)
    loop = {"items": 0, "assigned": 0, "replied": 0, "adopted": 0, "implemented": 0}
    for item in ConsultationItem.objects.all():
        if not (YEAR[0] <= item.activity.day <= YEAR[1]):
            continue
        loop["items"] += 1
        live = [a for a in Assignment.objects.filter(case_type="consultation_item", object_id=item.pk)
                if a.status not in (AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN)]
        loop["assigned"] += bool(live)
        loop["replied"] += any(Reply.objects.filter(assignment=a, status=ReplyStatus.SIGNED).exists() for a in live)
        loop["adopted"] += item.adoption in ("adopted", "partly")
        loop["implemented"] += item.implemented_on is not None
    assert loop == {"items": fig.items, "assigned": fig.assigned, "replied": fig.replied, "adopted": fig.adopted,
                    "implemented": fig.implemented}
    [section] = module_sections.sections(world.council.pk, *YEAR, only="studios")
    figures = dict(section.figures)
    assert (figures["协商清单事项（条）"], figures["已交办（条）"], figures["已答复（条）"],
            figures["已采纳（条，含部分采纳）"], figures["已落实（条）"]) == (3, 3, 2, 2, 1)


def test_items_are_acts_of_the_members_who_raised_them(world: World) -> None:
    items = whole_flow(world)
    zhang, li, _wang = world.members
    acts = [a for a in acts_of(world.council, *YEAR) if a.kind == "consultation_item"]
    assert sorted((a.member_id, a.title, a.attrs["adoption"]) for a in acts) == sorted([
        (zhang.pk, "扩大公办幼儿园学位", "adopted"), (zhang.pk, "新建社区公园", "partly"),
        (li.pk, "新建社区公园", "partly"), (li.pk, "优化学前教育师资", "")])
    assert {a.url for a in acts if a.title == "扩大公办幼儿园学位"} == {f"/studios/items/{items[0].pk}/"}


def test_refusals_name_the_field(world: World) -> None:
    items, a, b = listed(world)
    zhang, li, wang = world.members
    staff = world.user("staff")
    with pytest.raises(ForbiddenError):  # 李四 belongs to the hall but is not its convener
        st.list_items(world.user("member1"), a.pk, [st.ItemDraft("x", "", [li])])
    with pytest.raises(DomainError) as e:
        st.list_items(staff, b.pk, [st.ItemDraft("x", "", [wang])])
    assert e.value.field == "activity" and "委员议事厅" in e.value.message
    with pytest.raises(DomainError) as e:
        st.list_items(staff, a.pk, [st.ItemDraft("另一事项", "", [zhang]), st.ItemDraft("新建社区公园", "", [li])])
    assert e.value.field == "items.2.title" and "已列入" in e.value.message
    with pytest.raises(DomainError) as e:
        st.list_items(staff, a.pk, [st.ItemDraft("x", "", [wang])])
    assert e.value.field == "items.1.raised_by" and "王五 未参加本次活动" in e.value.message
    with pytest.raises(DomainError) as e:
        st.list_items(staff, a.pk, [st.ItemDraft("  ", "", [zhang])])
    assert e.value.field == "items.1.title" and "事项名称" in e.value.message
    with pytest.raises(DomainError) as e:
        st.list_items(staff, a.pk, [])
    assert e.value.field == "items"
    assert ConsultationItem.objects.count() == 4  # nothing written by the refusals
    # adoption before the reply, twice, without a reason, unknown, by a unit, or from a stale page
    [a3] = cases.assign(staff, ConsultationItem, items[2].pk, [(world.units[2], "sole")])
    with pytest.raises(DomainError) as e:
        st.record_adoption(staff, items[2].pk, act="adopt")
    assert e.value.field == "state" and "不能" in e.value.message
    with pytest.raises(DomainError) as e:
        st.record_adoption(staff, items[2].pk, act="approve")
    assert e.value.field == "act"
    with pytest.raises(ForbiddenError):
        st.record_adoption(world.user("clerk2"), items[2].pk, act="adopt")
    reply(world, a3, 2)
    with pytest.raises(DomainError) as e:
        st.record_adoption(staff, items[2].pk, act="not_adopt", note=" ")
    assert e.value.field == "note" and "采纳说明" in e.value.message
    version = ConsultationItem.objects.get(pk=items[2].pk).version
    st.record_adoption(staff, items[2].pk, act="not_adopt", note="不具备条件", expected_version=version)
    with pytest.raises(ConflictError):  # the same form sent twice
        st.record_adoption(staff, items[2].pk, act="not_adopt", note="不具备条件", expected_version=version)
    with pytest.raises(DomainError) as e:  # sent again with the fresh version: the state no longer allows it
        st.record_adoption(staff, items[2].pk, act="adopt")
    assert e.value.field == "state"
    with pytest.raises(DomainError) as e:  # implementing what was not adopted
        st.record_adoption(staff, items[2].pk, act="implement")
    assert e.value.field == "state"
    item = ConsultationItem.objects.get(pk=items[2].pk)
    assert item.adoption == "not_adopted" and item.state.is_terminal and item.implemented_on is None


def test_access_staff_member_unit_and_another_council(world: World) -> None:
    items = whole_flow(world)
    other = build_world("另一市政协")
    ids = [i.pk for i in items]

    def seen(user: Any) -> list[int]:
        return sorted(visible_items(user).values_list("pk", flat=True))

    assert seen(world.user("staff")) == sorted(ids) and seen(world.user("leader")) == sorted(ids)
    assert seen(world.user("member1")) == sorted(ids)  # 李四 belongs to the hall
    assert seen(world.user("member2")) == []  # 王五: not in the hall, raised nothing
    assert seen(world.user("clerk0")) == [ids[0]]
    assert seen(world.user("head1")) == [ids[1]]
    assert seen(world.user("clerk2")) == sorted([ids[1], ids[2]])  # co-handling item 2, sole item 3
    assert seen(other.user("staff")) == []
    for user in (world.user("member2"), other.user("staff"), world.user("clerk0")):
        with pytest.raises(NotFoundError):
            access_item(user, ids[1] if user is world.user("clerk0") else ids[0])
    with pytest.raises(NotFoundError):
        access_item(world.user("staff"), 999999)
    with pytest.raises(NotFoundError):  # another council's staff cannot assign it either: not found
        cases.assign(other.user("staff"), ConsultationItem, ids[3], [(other.units[0], "sole")])


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages(world: World) -> None:
    hall, a, _b, _c = hall_and_activities(world)
    zhang, li, _wang = world.members
    staff = _client(world.user("staff"))
    page = staff.get(f"/studios/{hall.pk}/").content.decode()
    assert "形成协商清单" in page and f"/studios/activities/{a.pk}/items/" in page
    assert _client(world.user("member1")).get(f"/studios/activities/{a.pk}/items/").status_code == 404
    r = staff.post(f"/studios/activities/{a.pk}/items/", {"title_1": "扩大公办幼儿园学位", "raised_1": [str(zhang.pk)],
                                                          "title_2": "新建社区公园", "raised_2": [str(zhang.pk), str(li.pk)]})
    assert r.status_code == 302
    bad = staff.post(f"/studios/activities/{a.pk}/items/", {"title_1": "新建社区公园", "raised_1": [str(li.pk)]})
    assert bad.status_code == 400 and "已列入本次活动的协商清单" in bad.content.decode()
    first, second = ConsultationItem.objects.order_by("number")
    assert staff.post(f"/studios/items/{first.pk}/", {"step": "assign", "unit": str(world.units[0].pk),
                                                      "version": str(first.version)}).status_code == 302
    clerk = _client(world.user("clerk0"))
    first.refresh_from_db()
    clerk.post(f"/studios/items/{first.pk}/", {"step": "reply", "text": "已纳入计划。", "version": str(first.version)})
    pending = Reply.objects.get(assignment__object_id=first.pk)
    _client(world.user("head0")).post(f"/studios/items/{first.pk}/", {"step": "signoff", "reply": str(pending.pk)})
    first.refresh_from_db()
    assert first.state == state_after(first.workflow_id, "reply")
    assert "采纳" in staff.get(f"/studios/items/{first.pk}/").content.decode()
    staff.post(f"/studios/items/{first.pk}/", {"step": "adoption", "act": "adopt", "version": str(first.version)})
    listing = staff.get("/studios/items/", {"adoption": "adopted"}).content.decode()
    assert "扩大公办幼儿园学位" in listing and "新建社区公园" not in listing
    pending_list = staff.get("/studios/items/", {"adoption": "pending"}).content.decode()
    assert "新建社区公园" in pending_list and "扩大公办幼儿园学位" not in pending_list
    by_unit = staff.get("/studios/items/", {"unit": str(world.units[0].pk)}).content.decode()
    assert "市发展和改革局" in by_unit and "新建社区公园" not in by_unit
    assert _client(world.user("clerk1")).get(f"/studios/items/{second.pk}/").status_code == 404
    assert _client(world.user("member2")).get(f"/studios/items/{first.pk}/").status_code == 404


def test_api(world: World) -> None:
    _hall, a, _b, _c = hall_and_activities(world)
    zhang, li, wang = world.members

    def api(name: str) -> Api:
        return Api(issue_token(world.user(name), name="test")[1])

    staff = api("staff")
    r = staff.post(f"/api/studios/activities/{a.pk}/items", {"items": [
        {"title": "扩大公办幼儿园学位", "raised_by": [zhang.pk]}, {"title": "新建社区公园", "raised_by": [zhang.pk, li.pk]}]})
    assert r.status_code == 201 and [i["number"] for i in r.json()] == ["2025-XS01", "2025-XS02"]
    first = r.json()[0]
    bad = staff.post(f"/api/studios/activities/{a.pk}/items", {"items": [{"title": "x", "raised_by": [wang.pk]}]})
    assert bad.status_code == 400 and bad.json()["field"] == "items.1.raised_by"
    assert api("member2").post(f"/api/studios/activities/{a.pk}/items",
                               {"items": [{"title": "x", "raised_by": [zhang.pk]}]}).status_code == 404
    plan = {"units": [{"unit": world.units[0].pk, "role": "sole"}], "version": first["version"]}
    ok = staff.post(f"/api/studios/items/{first['id']}/assign", plan)
    assert ok.status_code == 200 and ok.json()["units"][0]["unit"] == "市发展和改革局"
    again = staff.post(f"/api/studios/items/{first['id']}/assign", plan)  # double submit
    assert again.status_code == 409 and "修改" in again.json()["detail"]
    [assignment] = ok.json()["units"]
    clerk, head = api("clerk0"), api("head0")
    drafted = clerk.post(f"/api/cases/assignments/{assignment['assignment_id']}/reply",
                         {"grade": "A", "text": "已纳入计划。", "version": ok.json()["version"]})
    assert drafted.status_code == 200, drafted.json()
    assert head.post(f"/api/cases/replies/{drafted.json()['id']}/sign-off", {}).status_code == 200
    early = staff.post(f"/api/studios/items/{r.json()[1]['id']}/adoption", {"act": "adopt"})
    assert early.status_code == 400 and early.json()["field"] == "state"
    adopted = staff.post(f"/api/studios/items/{first['id']}/adoption", {"act": "adopt", "note": "已纳入"})
    assert adopted.status_code == 200 and adopted.json()["adoption"] == "adopted"
    [only] = staff.get("/api/studios/items", adoption="adopted").json()
    assert only["title"] == "扩大公办幼儿园学位" and [u["unit"] for u in only["units"]] == ["市发展和改革局"]
    assert only["state_name"] and only["raised_by"] == [zhang.pk]
    assert [i["title"] for i in api("clerk0").get("/api/studios/items").json()] == ["扩大公办幼儿园学位"]
    assert api("member2").get(f"/api/studios/items/{first['id']}").status_code == 404
    assert staff.get("/api/studios/items", adoption="maybe").status_code == 400


def test_demo_hall_once(world: World) -> None:
    from lvzhi.demo.supervision import build_hall

    assert build_hall(world.council) == 1 and build_hall(world.council) == 0
    items = list(ConsultationItem.objects.order_by("number"))
    assert [i.adoption for i in items] == ["adopted", "", ""]
    assert [i.state.assignable for i in items] == [False, False, True]
    npc = build_world_npc()
    assert build_hall(npc) == 0  # the consultation list is a CPPCC council's


def build_world_npc() -> Any:
    from lvzhi.members import actions as org
    from lvzhi.members.choices import CouncilKind

    return org.create_council(None, name="某市人大常委会", kind=CouncilKind.NPC)
