"""Pages by role: login, navigation, language, list (filters, pagination, query count), case page, access."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.core.models import Notification
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment
from tests.conftest import PASSWORD
from tests.states import state_code, state_name

pytestmark = pytest.mark.django_db


def test_login_logout_and_redirects(world):
    client = Client()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get("/login/")
    assert "用户名" in page.content.decode() and "密码" in page.content.decode()
    bad = client.post("/login/", {"username": world.user("staff").username, "password": "wrong-password"})
    assert bad.status_code == 200 and "alert" in bad.content.decode()
    ok = client.post("/login/", {"username": world.user("staff").username, "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_navigation_by_role_and_unread_count(world, login, make_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_proposal("submitted")  # notifies staff: a new proposal awaits review
    staff = login("staff").get("/").content.decode()
    assert "提案管理" in staff and "提出提案" in staff
    assert 'class="count"' in staff  # unread notifications
    clerk = login("clerk0").get("/").content.decode()
    assert "承办提案" in clerk and "提出提案" not in clerk
    member = login("member0").get("/").content.decode()
    assert "提出提案" in member and "系统管理" not in member


def test_language_switch_to_english_and_back(world, login):
    client = login("member0")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/proposals/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    page = client.get("/proposals/").content.decode()
    assert '<html lang="en">' in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_notifications_mark_all_read(world, login, make_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_proposal("submitted")
    staff = world.user("staff")
    assert Notification.objects.filter(recipient=staff, read_at__isnull=True).count() == 1
    client = login("staff")
    page = client.get("/notifications/").content.decode()
    assert "新提案待审查" in page and "全部标为已读" in page
    assert client.post("/notifications/").status_code == 302
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


def test_notification_open_follows_link_and_marks_read(world, login, make_proposal,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = make_proposal("submitted")
    note = Notification.objects.get(recipient=world.user("staff"))
    response = login("staff").post(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/proposals/{p.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert login("member0").post(f"/notifications/{note.pk}/").status_code == 404


def test_list_columns_filters_and_search(world, login, make_proposal):
    a = make_proposal("assigned", title="关于完善城市公共交通体系的建议")
    make_proposal("submitted", member="member1", title="关于发展职业教育的建议")
    client = login("staff")
    page = client.get("/proposals/").content.decode()
    assert a.number in page and "张三" in page and "经济建设" in page and "市发展和改革局" in page
    assert "办理中" in page and "badge c-indigo" in page
    found = client.get("/proposals/", {"q": "公共交通"}).content.decode()
    assert "公共交通" in found and "职业教育" not in found
    by_state = client.get("/proposals/", {"state": state_code("submitted")}).content.decode()
    assert "职业教育" in by_state and "公共交通" not in by_state
    by_unit = client.get("/proposals/", {"unit": world.units[0].pk}).content.decode()
    assert "公共交通" in by_unit and "职业教育" not in by_unit
    by_proposer = client.get("/proposals/", {"proposer": "李四"}).content.decode()
    assert "职业教育" in by_proposer and "公共交通" not in by_proposer
    assert "公共交通" not in client.get("/proposals/", {"key": "1"}).content.decode()
    assert "公共交通" not in client.get("/proposals/", {"overdue": "1"}).content.decode()
    assert "公共交通" in client.get("/proposals/", {"plenary": "1", "kind": "member"}).content.decode()
    assert "公共交通" in client.get("/proposals/", {"session": world.session.pk,
                                                    "category": world.categories[0].pk}).content.decode()
    assert "没有符合条件" in client.get("/proposals/", {"session": "abc"}).content.decode()


def test_list_paginates_25_per_page(world, login):
    for i in range(27):
        act.create_proposal(world.user("staff"), session=world.session, title=f"关于第{i}项工作的建议",
                            first_proposer=world.members[0], suggestions="建议")
    client = login("staff")
    first = client.get("/proposals/")
    assert len(first.context["page"].object_list) == 25
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get("/proposals/", {"page": 2})
    assert len(second.context["page"].object_list) == 2


def _populate(world, n: int) -> None:
    """``n`` proposals in varied states, joint ones with co-signers, assigned ones with several units."""
    for i in range(n):
        other = world.members[(i + 1) % 3]
        p = act.create_proposal(world.user(f"member{i % 3}"), session=world.session,
                                title=f"关于第{i}项民生工作的建议", suggestions="具体建议", cosigners=[other])
        if i % 4 == 0:
            continue
        act.respond_to_invitation(world.user(f"member{(i + 1) % 3}"), p.pk, accept=True)
        act.submit_proposal(world.user(f"member{i % 3}"), p.pk)
        if i % 4 == 1:
            continue
        act.file_proposal(world.user("staff"), p.pk, category=world.categories[i % 2])
        if i % 4 == 2:
            continue
        act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")])


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/proposals/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(world, login):
    _populate(world, 5)
    client = login("staff")
    client.get("/proposals/")  # warm caches (content types, session)
    few = _list_queries(client)
    _populate(world, 55)
    many = _list_queries(client)
    assert many == few, f"{few} queries for 5 proposals, {many} for 60"
    clerk = login("clerk0")
    clerk.get("/proposals/")
    assert len(clerk.get("/proposals/").context["page"].object_list) == 14  # the assigned ones (i % 4 == 3)
    member = login("member0")
    member.get("/proposals/")
    assert _list_queries(member) == _list_queries(member)


def test_case_page_shows_everything(world, login):
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于加强养老服务的建议",
                            situation="老龄化加快", analysis="床位不足", suggestions="增加社区养老床位",
                            cosigners=[world.members[1]])
    act.respond_to_invitation(world.user("member1"), p.pk, accept=True)
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk, category=world.categories[1])
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")])
    lead = Assignment.objects.get(proposal=p, unit=world.units[0])
    co = Assignment.objects.get(proposal=p, unit=world.units[1])
    act.send_opinion(world.user("clerk1"), co.pk, text="建议统筹用地")
    reply = act.draft_reply(world.user("clerk0"), lead.pk, grade_code="B", text="正在推进社区养老")
    act.sign_off_reply(world.user("head0"), reply.pk)
    act.evaluate_reply(world.user("member0"), reply.pk, attitude="satisfied", relevance="satisfied",
                       result="basically", overall="basically", comment="继续跟进")
    act.set_key_proposal(world.user("staff"), p.pk, is_key=True, supervising_leader="王副市长")
    act.add_follow_up(world.user("staff"), p.pk, note="已新增床位200张", delivered=True)
    page = login("member0").get(f"/proposals/{p.pk}/").content.decode()
    for text in ("关于加强养老服务的建议", "老龄化加快", "床位不足", "增加社区养老床位", "张三", "经济界", "社会事业",
                 "14-3-001", "大会提案", "李四", "已确认", "市发展和改革局", "主办", "市交通运输局", "会办",
                 "建议统筹用地", "B类", "正在推进社区养老", "基本满意", "继续跟进", "重点提案", "王副市长",
                 "已新增床位200张", f"{state_name('草稿')} → {state_name('待审查')}", f"{state_name('待审查')} → {state_name('已立案待交办')}",
                 f"{state_name('已立案待交办')} → {state_name('办理中')}", f"{state_name('已答复待测评')} → {state_name('已测评')}", "签发答复"):
        assert text in page, text


def test_access_rules_answer_404(world, login, make_proposal):
    draft = make_proposal("draft")
    assigned = make_proposal("assigned", member="member1", title="关于公交线网优化的建议")
    assert login("member0").get(f"/proposals/{draft.pk}/").status_code == 200
    assert login("member1").get(f"/proposals/{draft.pk}/").status_code == 404  # another member's draft
    assert login("staff").get(f"/proposals/{draft.pk}/").status_code == 404  # drafts are private
    assert login("clerk0").get(f"/proposals/{assigned.pk}/").status_code == 200
    assert login("clerk1").get(f"/proposals/{assigned.pk}/").status_code == 404  # another unit's case
    assert login("head2").get(f"/proposals/{assigned.pk}/").status_code == 404
    assert login("staff").get("/proposals/999999/").status_code == 404
    assert login("member1").get(f"/proposals/{draft.pk}/edit/").status_code == 404
    # posting a step on an invisible case is the same 404, and changes nothing
    response = login("clerk1").post(f"/proposals/{assigned.pk}/do/close/", {"close-version": assigned.version})
    assert response.status_code == 404
    assert f"/proposals/{assigned.pk}/" not in login("clerk1").get("/proposals/").content.decode()
