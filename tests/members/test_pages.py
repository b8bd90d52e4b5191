"""The /org/ pages by role, and creating and editing through their forms (real database, real actions)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lvzhi.core.models import AuditEntry
from lvzhi.members.access import profile_of
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Profile, Session, Term
from tests.conftest import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def council_pages(world):
    c = world.council.pk
    term = world.session.term
    return [
        reverse("org-home"),
        reverse("org-policy", args=[c]),
        reverse("org-terms", args=[c]),
        reverse("org-term-edit", args=[c, term.pk]),
        reverse("org-session-create", args=[c, term.pk]),
        reverse("org-session-edit", args=[c, world.session.pk]),
        reverse("org-organisations", args=[c]),
        reverse("org-members", args=[c]),
        reverse("org-member-create", args=[c]),
        reverse("org-member-edit", args=[c, world.members[0].pk]),
        reverse("org-members-import", args=[c]),
        reverse("org-members-template"),
        reverse("org-units", args=[c]),
        reverse("org-unit-create", args=[c]),
        reverse("org-unit-edit", args=[c, world.units[0].pk]),
        reverse("org-units-import", args=[c]),
        reverse("org-units-template"),
        reverse("org-accounts", args=[c]),
        reverse("org-account-create", args=[c]),
        reverse("org-account-password", args=[c, world.user("clerk0").pk]),
    ]


def test_staff_sees_every_page(world, login):
    client = login(world.user("staff"))
    for url in council_pages(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["member0", "clerk0", "head0", "leader"])
def test_members_units_and_leaders_get_404(world, login, who):
    client = login(world.user(who))
    for url in [*council_pages(world), reverse("org-councils")]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("org-unit-active", args=[world.council.pk, world.units[0].pk]), {"active": "0"})
    assert response.status_code == 404
    assert HandlingUnit.objects.get(pk=world.units[0].pk).active


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("org-members", args=[world.council.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_staff_of_another_council_gets_404(world, login):
    other = build_world("另一市政协")
    client = login(other.user("staff"))
    assert client.get(reverse("org-members", args=[world.council.pk])).status_code == 404
    assert client.get(reverse("org-member-edit", args=[other.council.pk, world.members[0].pk])).status_code == 404
    assert client.get(reverse("org-members", args=[other.council.pk])).status_code == 200


def test_councils_are_for_administrators(world, login, root, council_admin):
    assert login(world.user("staff")).get(reverse("org-councils")).status_code == 404
    client = login(council_admin)
    page = client.get(reverse("org-councils"))
    assert page.status_code == 200 and "新建机构" not in page.content.decode()
    assert client.post(reverse("org-councils"), {"name": "新政协", "kind": "cppcc", "grade_scale": "abc"}
                       ).status_code == 404
    client = login(root)
    response = client.post(reverse("org-councils"), {"name": "某市人大常委会", "short_name": "某市人大",
                                                      "kind": "npc", "grade_scale": "abc"})
    council = Council.objects.get(name="某市人大常委会")
    assert response.status_code == 302
    # the council-wide scale chosen here; a case type may bring its own (suggestions: A–D)
    assert list(council.reply_grades.filter(case_type="").values_list("code", flat=True)) == ["A", "B", "C"]
    dup = client.post(reverse("org-councils"), {"name": "某市人大常委会", "kind": "npc", "grade_scale": "abc"})
    assert "已存在" in dup.content.decode()


def test_policy_form_saves_and_refuses_bad_pattern(world, login):
    client = login(world.user("staff"))
    url = reverse("org-policy", args=[world.council.pk])
    data = {"name": world.council.name, "short_name": "测试", "case_number_pattern": "{year}-{seq:04d}",
            "sendback_limit": 10, "sendback_limit_unit": "calendar_days", "opinion_limit": 20,
            "opinion_limit_unit": "working_days", "cosign_days": 5, "at_risk_working_days": 3}
    assert client.post(url, data).status_code == 302
    council = Council.objects.get(pk=world.council.pk)
    assert (council.sendback_limit, council.sendback_limit_unit, council.case_number_pattern) == (
        10, "calendar_days", "{year}-{seq:04d}")
    entry = AuditEntry.objects.filter(event="council_updated").last()
    assert entry.old_values["sendback_limit"] == 5 and entry.new_values["sendback_limit"] == 10
    bad = client.post(url, {**data, "case_number_pattern": "{term}-{foo}", "sendback_limit": 7})
    assert bad.status_code == 200 and "案号格式" in bad.content.decode()
    council.refresh_from_db()
    assert council.sendback_limit == 10 and council.case_number_pattern == "{year}-{seq:04d}"


def test_terms_and_sessions(world, login):
    client = login(world.user("staff"))
    c = world.council.pk
    assert client.post(reverse("org-terms", args=[c]), {"number": 15, "start_date": "2027-01-01"}).status_code == 302
    term = Term.objects.get(council=world.council, number=15)
    dup = client.post(reverse("org-terms", args=[c]), {"number": 15, "start_date": "2027-01-01"})
    assert "第15届已存在" in dup.content.decode()
    url = reverse("org-session-create", args=[c, term.pk])
    bad = client.post(url, {"number": 1, "window_start": "2027-01-10", "plenary_start": "2027-01-05",
                            "plenary_end": "2027-01-08"})
    assert "征集开始 ≤ 会议开始" in bad.content.decode() and not Session.objects.filter(term=term).exists()
    assert client.post(url, {"number": 1, "window_start": "2026-12-20", "plenary_start": "2027-01-05",
                             "plenary_end": "2027-01-08"}).status_code == 302
    session = Session.objects.get(term=term, number=1)
    edit = reverse("org-session-edit", args=[c, session.pk])
    assert client.post(edit, {"number": 1, "window_start": "2026-12-15", "plenary_start": "2027-01-06",
                              "plenary_end": "2027-01-09"}).status_code == 302
    session.refresh_from_db()
    assert str(session.plenary_start) == "2027-01-06"
    entry = AuditEntry.objects.filter(event="session_updated", target_id=session.pk).get()
    assert entry.old_values["plenary_start"] == "2027-01-05" and entry.actor == world.user("staff")
    term_edit = reverse("org-term-edit", args=[c, term.pk])
    bad_term = client.post(term_edit, {"number": 15, "start_date": "2027-01-01", "end_date": "2026-01-01"})
    assert "结束日期不能早于开始日期" in bad_term.content.decode()


def test_organisations_create_and_rename(world, login):
    client = login(world.user("staff"))
    url = reverse("org-organisations", args=[world.council.pk])
    for kind, name in [(OrganisationKind.SPECIAL_COMMITTEE, "提案委员会"), (OrganisationKind.LIAISON_GROUP, "第一联络组"),
                       (OrganisationKind.PEOPLES_ORGANISATION, "市总工会"), (OrganisationKind.MEMBER_GROUP, "第一委员小组")]:
        assert client.post(url, {"kind": kind, "name": name}).status_code == 302
    assert "已存在" in client.post(url, {"kind": "sector", "name": "经济界"}).content.decode()
    org = Organisation.objects.get(council=world.council, name="第一联络组")
    edit = reverse("org-organisation-edit", args=[world.council.pk, org.pk])
    assert client.post(edit, {"name": "第二联络组"}).status_code == 302
    org.refresh_from_db()
    assert org.name == "第二联络组"
    page = client.get(url).content.decode()
    assert "提案委员会" in page and "第二联络组" in page and "人民团体" in page


def test_member_create_edit_and_search(world, login):
    client = login(world.user("staff"))
    c = world.council.pk
    sector = Organisation.objects.get(council=world.council, kind="sector", name="经济界")
    committee = Organisation.objects.create(council=world.council, kind="special_committee", name="提案委员会")
    data = {"name": "赵六", "term": world.session.term_id, "gender": "女", "sector": sector.pk,
            "special_committee": committee.pk, "workplace": "市某医院院长", "phone": "138 0013 8000", "active": "on"}
    before = Member.objects.count()
    bad = client.post(reverse("org-member-create", args=[c]), {**data, "phone": "12345"})
    assert "联系电话「12345」不是有效的电话号码" in bad.content.decode()
    assert Member.objects.count() == before
    assert client.post(reverse("org-member-create", args=[c]), data).status_code == 302
    member = Member.objects.get(name="赵六")
    assert member.phone == "13800138000" and member.sector == sector and member.special_committee == committee
    assert AuditEntry.objects.filter(event="member_created", target_id=member.pk).exists()
    edit = reverse("org-member-edit", args=[c, member.pk])
    assert client.post(edit, {**data, "workplace": "市某医院党委书记", "active": ""}).status_code == 302
    member.refresh_from_db()
    assert member.workplace == "市某医院党委书记" and not member.active
    entry = AuditEntry.objects.get(event="member_updated", target_id=member.pk)
    assert entry.old_values == {"workplace": "市某医院院长", "active": True}
    listing = client.get(reverse("org-members", args=[c]), {"q": "经济"}).content.decode()
    assert "赵六" in listing and "张三" in listing
    listing = client.get(reverse("org-members", args=[c]), {"q": "赵"}).content.decode()
    assert "赵六" in listing and "张三" not in listing
    by_sector = client.get(reverse("org-members", args=[c]), {"sector": sector.pk}).context["page"]
    assert {m.name for m in by_sector} == {"张三", "李四", "王五", "赵六"}


def test_units_create_edit_deactivate_and_staff_account(world, login):
    client = login(world.user("staff"))
    c = world.council.pk
    assert client.post(reverse("org-unit-create", args=[c]), {"name": "市卫生健康局", "short_name": "市卫健局",
                                                              "active": "on"}).status_code == 302
    unit = HandlingUnit.objects.get(name="市卫生健康局")
    dup = client.post(reverse("org-unit-create", args=[c]), {"name": "市卫生健康局", "active": "on"})
    assert "已存在" in dup.content.decode()
    edit = reverse("org-unit-edit", args=[c, unit.pk])
    assert client.post(edit, {"name": "市卫生健康委员会", "short_name": "市卫健委", "active": "on"}).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "市卫生健康委员会"
    response = client.post(reverse("org-account-create", args=[c]) + f"?unit={unit.pk}", {
        "username": "weijian-clerk", "display_name": "钱七", "role": Role.UNIT_CLERK, "unit": unit.pk,
        "password": PASSWORD})
    assert response.status_code == 302
    assert Profile.objects.get(user__username="weijian-clerk").unit == unit
    assert "weijian-clerk" in client.get(edit).content.decode()
    assert client.post(reverse("org-unit-active", args=[c, unit.pk]), {"active": "0"}).status_code == 302
    unit.refresh_from_db()
    assert not unit.active
    assert AuditEntry.objects.filter(event="unit_deactivated", target_id=unit.pk).exists()
    assert unit not in client.get(reverse("org-units", args=[c])).context["units"]
    assert unit in client.get(reverse("org-units", args=[c]), {"show": "all"}).context["units"]


def test_accounts_create_reset_deactivate(world, login, council_admin):
    client = login(world.user("staff"))
    c = world.council.pk
    url = reverse("org-account-create", args=[c])
    weak = client.post(url, {"username": "newstaff", "role": Role.STAFF, "password": "12345678"})
    assert "密码" in weak.content.decode() and not get_user_model().objects.filter(username="newstaff").exists()
    no_unit = client.post(url, {"username": "nounit", "role": Role.UNIT_LEADER, "password": PASSWORD})
    assert "承办单位账号须选择承办单位" in no_unit.content.decode()
    as_admin = client.post(url, {"username": "sneaky", "role": Role.ADMIN, "password": PASSWORD})
    assert as_admin.status_code == 200 and not get_user_model().objects.filter(username="sneaky").exists()
    assert client.post(url, {"username": "newstaff", "role": Role.STAFF, "display_name": "孙八",
                             "password": PASSWORD}).status_code == 302
    user = get_user_model().objects.get(username="newstaff")
    assert profile_of(user).role == Role.STAFF and profile_of(user).council == world.council

    reset = reverse("org-account-password", args=[c, user.pk])
    mismatch = client.post(reset, {"password": "Another-pass-2026", "password2": "Another-pass-2027"})
    assert "两次输入的密码不一致" in mismatch.content.decode()
    assert client.post(reset, {"password": "Another-pass-2026", "password2": "Another-pass-2026"}).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-2026")
    entry = AuditEntry.objects.get(event="password_reset", target_id=user.pk)
    assert "Another" not in str(entry.new_values) and entry.actor == world.user("staff")

    active = reverse("org-account-active", args=[c, user.pk])
    assert client.post(active, {"active": "0"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    client.post(reverse("org-account-active", args=[c, world.user("staff").pk]), {"active": "0"})
    assert get_user_model().objects.get(pk=world.user("staff").pk).is_active  # not oneself
    # An administrator's account is out of a staff member's reach.
    assert client.get(reverse("org-account-password", args=[c, council_admin.pk])).status_code == 404
    assert client.post(reverse("org-account-active", args=[c, council_admin.pk]), {"active": "0"}).status_code == 404
    listing = client.get(reverse("org-accounts", args=[c]), {"role": Role.STAFF}).content.decode()
    assert "newstaff" in listing and world.user("clerk0").username not in listing


def test_grade_scale_page(world, login):
    client = login(world.user("staff"))
    url = reverse("org-grade-scale", args=[world.council.pk])
    assert client.post(url, {"scale": "abc"}).status_code == 302
    page = client.get(reverse("org-policy", args=[world.council.pk])).content.decode()
    assert "A/B/C 三类" in page
    assert client.post(url, {"scale": "xyz"}).status_code == 400


def test_home_lists_counts(world, login, root):
    build_world("另一市政协")
    page = login(world.user("staff")).get(reverse("org-home"))
    assert [c.name for c in page.context["councils"]] == [world.council.name]
    assert page.context["councils"][0].n_members == 3
    page = login(root).get(reverse("org-home"))
    assert len(page.context["councils"]) == 2
