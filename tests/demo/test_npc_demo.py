"""The demo people's congress beside the CPPCC: its organisation from the seeds, fictional deputies, the
accounts (printed, logging in with their passwords and landing on pages), the two-capacity account's role
switcher, and ``--reset`` removing and rebuilding both bodies."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lvzhi.demo import npc_data
from lvzhi.demo.builder import build_demo
from lvzhi.demo.npc import ACCOUNTS
from lvzhi.members.access import profiles_of
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, Member, Organisation
from lvzhi.smart import store

pytestmark = pytest.mark.django_db

FICTIONAL = re.compile(r"演示|示例|样例|模拟|演练|示范|样本")


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> Any:
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    yield
    store.clear_cache()


def _login(client: Client, username: str, password: str) -> bool:
    """Sign in through the login page with the printed password (as a person would)."""
    r = client.post(reverse("login"), {"username": username, "password": password})
    return r.status_code == 302


def test_the_peoples_congress_from_the_seeds():
    build_demo(train=False)
    npc = Council.objects.get(name="江门市人民代表大会常务委员会")
    assert npc.kind == CouncilKind.NPC and npc.short_name == "江门市人大常委会" and npc.parent is None
    term = npc.terms.get()
    assert term.number == 16 and sorted(term.sessions.values_list("number", flat=True)) == [3, 4]
    assert term.sessions.get(number=4).plenary_start.isoformat() == "2024-02-01"
    delegations = set(Organisation.objects.filter(council=npc, kind=OrganisationKind.DELEGATION)
                      .values_list("name", flat=True))
    assert delegations == {f"{d}代表团" for d in ["蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"]}
    committees = set(Organisation.objects.filter(council=npc, kind=OrganisationKind.SPECIAL_COMMITTEE)
                     .values_list("name", flat=True))
    assert {"法制委员会", "财政经济委员会", "代表选举联络任免工作委员会"} <= committees
    deputies = Member.objects.filter(council=npc)
    assert deputies.count() == len(npc_data.DEPUTIES) == 14
    assert all(FICTIONAL.search(m.name) and m.delegation for m in deputies)
    assert {m.delegation.name for m in deputies} == delegations  # a few deputies per delegation
    assert npc.units.filter(name="江门市交通运输局").exists()
    child = Council.objects.get(parent=npc)
    assert child.name == "江门市蓬江区人民代表大会常务委员会" and child.kind == CouncilKind.NPC
    assert Council.objects.filter(name="政协江门市委员会", kind=CouncilKind.CPPCC).exists()


def test_npc_accounts_are_printed_log_in_and_land_on_a_page():
    out = StringIO()
    call_command("demo", stdout=out)
    output = out.getvalue()
    npc = Council.objects.get(name="江门市人民代表大会常务委员会")
    expected = {"demo-deputy": (Role.MEMBER, "周演示"), "demo-deputy2": (Role.MEMBER, "关样例"),
                "demo-npc-staff": (Role.STAFF, ""), "demo-npc-leader": (Role.LEADER, ""),
                "demo-deputy-head": (Role.MEMBER, "邝示例")}
    assert {a.username for a in ACCOUNTS} == set(expected)
    for a in ACCOUNTS:
        assert re.search(rf"{a.username}\s+{re.escape(a.password)}", output), a.username
        user = get_user_model().objects.get(username=a.username)
        primary = profiles_of(user)[0]
        role, member = expected[a.username]
        assert (primary.role, primary.council_id) == (role, npc.pk)
        assert (primary.member.name if primary.member else "") == member
        client = Client()
        assert _login(client, a.username, a.password), a.username
        page = client.get(reverse("inbox"))
        assert page.status_code == 200, a.username
        assert "代表" in page.content.decode() if role == Role.MEMBER else True
    staff = Client()
    assert _login(staff, "demo-npc-staff", next(a.password for a in ACCOUNTS if a.key == "staff"))
    html = staff.get(reverse("org-members", args=[npc.pk])).content.decode()
    assert staff.get(reverse("org-home")).status_code == 200 and "<th>代表团</th>" in html and "周演示" in html


def test_the_two_capacity_account_switches_to_unit_leader():
    build_demo(train=False)
    dual = next(a for a in ACCOUNTS if a.key == "dual")
    user = get_user_model().objects.get(username=dual.username)
    deputy, leader = profiles_of(user)
    assert deputy.role == Role.MEMBER and deputy.member.name == "邝示例"
    assert leader.role == Role.UNIT_LEADER and leader.unit.name == "江门市交通运输局"
    client = Client()
    assert _login(client, dual.username, dual.password)
    html = client.get(reverse("inbox")).content.decode()
    assert 'name="profile"' in html and "代表 · 江门市人大常委会" in html
    r = client.post(reverse("switch-profile"), {"profile": leader.pk, "next": reverse("inbox")})
    assert r.status_code == 302
    page = client.get(reverse("inbox"))
    assert page.status_code == 200 and "承办单位负责人 · 市交通运输局" in page.content.decode()
    assert client.get(reverse("proposal-list")).status_code == 200


def test_reset_removes_both_bodies_cleanly_and_rebuilds():
    build_demo(train=False)
    before = {c.name: c.pk for c in Council.objects.all()}
    users = get_user_model().objects.count()
    assert len(before) == 3
    build_demo(reset=True, train=False)
    after = {c.name: c.pk for c in Council.objects.all()}
    assert set(after) == set(before) and not set(after.values()) & set(before.values())
    assert get_user_model().objects.count() == users
    assert not Member.objects.filter(council_id__in=before.values()).exists()
    npc = Council.objects.get(name="江门市人民代表大会常务委员会")
    assert Council.objects.get(parent=npc).name == "江门市蓬江区人民代表大会常务委员会"


def test_the_cppcc_stays_the_first_council_and_the_portals_default():
    build_demo(train=False)
    from lvzhi.opinions.queries import portal_council

    assert portal_council().name == "政协江门市委员会"


def _as_unit_leader(user: Any) -> Any:
    """The two-capacity account acting as the unit leader (what the role switcher does for a session)."""
    from lvzhi.members.access import ACTIVE_ATTR

    profile = next(p for p in profiles_of(user) if p.role == Role.UNIT_LEADER)
    setattr(user, ACTIVE_ATTR, profile.pk)
    return user


def test_demo_suggestions_in_every_state_and_each_account_finds_its_items():
    from lvzhi.cases.models import Assignment, Evaluation, FollowUp, Instruction, KeyGroup, Reply
    from lvzhi.core.inbox import inbox_items
    from lvzhi.suggestions.access import visible_suggestions
    from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
    from lvzhi.workflow.models import State

    build_demo(train=False)
    npc = Council.objects.get(name="江门市人民代表大会常务委员会")
    ours = Suggestion.objects.filter(council=npc)
    assert ours.exists() and not ours.filter(is_demo=False).exists()
    states = set(State.objects.filter(workflow__council=npc, workflow__case_type="suggestion")
                 .values_list("pk", flat=True))
    assert set(ours.values_list("state_id", flat=True)) == states  # every state of the workflow
    assert {"session", "interim"} <= set(ours.values_list("period", flat=True))
    assert not ours.filter(period="session", delegation__isnull=True).exists()  # in session: by delegation
    assert SuggestionDeputy.objects.filter(suggestion__council=npc, role="seconding", status="confirmed").exists()
    assert set(ours.exclude(return_ground="").values_list("return_ground", flat=True)) >= {"motion", "litigation"}
    assignments = Assignment.objects.filter(council=npc)
    assert {"sole", "lead", "co", "separate"} <= set(assignments.values_list("role", flat=True))
    assert assignments.filter(status="sent_back").exists()
    assert set(Reply.objects.filter(assignment__council=npc).values_list("grade__code", flat=True)) == {
        "A", "B", "C", "D"}
    levels = {v for scores in Evaluation.objects.filter(reply__assignment__council=npc)
              .values_list("scores", flat=True) for v in scores.values()}
    assert {"satisfied", "unsatisfied"} <= levels
    group = KeyGroup.objects.get(council=npc)
    assert group.theme and group.special_committee and group.leading_leader.username == "demo-npc-leader"
    assert group.notes.exists() and group.cases.count() == 3 and ours.filter(is_key=True).count() == 3
    assert Instruction.objects.filter(council=npc).exists() and FollowUp.objects.filter(council=npc).exists()
    assert ours.filter(excellent_year=2024).count() == 1

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")}
    own = visible_suggestions(users["demo-deputy"]).filter(deputies__member__name="周演示",
                                                            deputies__role="leading")
    assert own.filter(state__submitter_may_edit=True).exists() and own.filter(state__units_may_reply=True).exists()
    assert "反馈意见" in {i.what for i in inbox_items(users["demo-deputy"])}
    staff = {i.what for i in inbox_items(users["demo-npc-staff"])}
    assert {"待交办", "重新交办", "待办结"} <= staff
    head = inbox_items(_as_unit_leader(users["demo-deputy-head"]))
    assert [(i.type_label, i.what) for i in head if i.what == "签发答复"] == [("代表建议", "签发答复")]
    # demo suggestions go with --reset and come back the same
    count, pks = ours.count(), set(ours.values_list("pk", flat=True))
    build_demo(reset=True, train=False)
    again = Suggestion.objects.filter(council__name="江门市人民代表大会常务委员会")
    assert again.count() == count and not set(again.values_list("pk", flat=True)) & pks
    assert not Suggestion.objects.filter(pk__in=pks).exists()
