"""Every suggestion page opens for every role without error: visible ones answer 200, the others 404 (the
same as a missing one), by the access rule of lvzhi.suggestions.access."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.suggestions import actions as act
from tests.cases.helpers import answer, assigned
from tests.cases.npc import NPC
from tests.suggestions_web.helpers import step_names

pytestmark = pytest.mark.django_db

ROLES = ["deputy0", "deputy1", "deputy3", "staff", "leader", "clerk0", "head0", "clerk1", "clerk2"]


def test_list_and_new_pages_open_for_every_role(npc: NPC, login: Any) -> None:
    for name in ROLES:
        client = login(name)
        assert client.get("/suggestions/").status_code == 200
        assert client.get("/suggestions/?session=x&unit=&period=session&state=accepted&key=1&q=公交").status_code == 200
        # only deputies and the deputies' affairs staff draft suggestions
        expected = 200 if name.startswith("deputy") or name == "staff" else 404
        assert client.get("/suggestions/new/").status_code == expected, name
    # the menu entry shows for accounts of the people's congress
    assert 'href="/suggestions/"' in login("clerk0").get("/").content.decode()


def test_a_draft_is_seen_by_its_deputies_only(npc: NPC, login: Any) -> None:
    s = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于某事的建议", content="内容",
                              seconders=[npc.deputies[1]])
    expected = {"deputy0": 200, "deputy1": 200}
    for name in ROLES:
        client = login(name)
        assert client.get(f"/suggestions/{s.pk}/").status_code == expected.get(name, 404), name
        assert client.get(f"/suggestions/{s.pk}/edit/").status_code == (200 if name == "deputy0" else 404), name
    assert login("deputy0").get("/suggestions/999999/").status_code == 404


def test_a_replied_suggestion_opens_for_everyone_concerned(npc: NPC, login: Any) -> None:
    s, made = assigned(npc, [(0, "lead"), (1, "co")], seconders=(1,))
    lead, co = made
    cases.send_opinion(npc.user("clerk1"), co.pk, text="同意")
    reply = answer(npc, Assignment.objects.get(pk=lead.pk), grade="B")
    # public from acceptance on: every deputy of the council; units: those it is assigned to
    for name in ROLES:
        client = login(name)
        expected = 404 if name == "clerk2" else 200
        assert client.get(f"/suggestions/{s.pk}/").status_code == expected, name
        assert client.get(f"/suggestions/{s.pk}/replies/{reply.pk}/").status_code == expected, name
        assert client.get(f"/suggestions/{s.pk}/edit/").status_code == 404, name
    # the step lists follow the roles
    assert "evaluate" in step_names(login("deputy0"), s.pk)
    assert "evaluate" in step_names(login("deputy1"), s.pk)
    assert "evaluate" not in step_names(login("deputy3"), s.pk)
    staff = step_names(login("staff"), s.pk)
    assert {"evaluate", "key", "key_group", "excellent", "excellent_handling", "follow_up"} <= staff
    assert "close" not in staff  # the opinion window is open
    assert "instruct" in step_names(login("leader"), s.pk) and "instruct" not in staff
    assert "final" in step_names(login("clerk0"), s.pk)  # a B reply gets a second answer
    assert step_names(login("clerk1"), s.pk) == set()


def test_pages_of_every_stage_render(npc: NPC, login: Any) -> None:
    s = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于阶段的建议", content="内容")
    act.submit(npc.user("deputy0"), s.pk)
    assert login("staff").get(f"/suggestions/{s.pk}/").status_code == 200
    act.return_suggestion(npc.user("staff"), s.pk, ground="vague", comment="请补充具体建议")
    page = login("deputy0").get(f"/suggestions/{s.pk}/").content.decode()
    assert "没有实际内容" in page and "请补充具体建议" in page
    assert "edit" in step_names(login("deputy0"), s.pk)
