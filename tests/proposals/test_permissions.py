"""A refusal for lack of permission says so (issue 6): the workflow data's roles decide who may take a
transition, and they are checked before the version, so that a forged request is not answered "changed by
someone else" (409) but "no permission" (403), or "not found" (404) where the case is invisible."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.core.api_auth import issue_token
from lvzhi.core.errors import ForbiddenError
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Proposal
from lvzhi.workflow.models import Transition
from tests.states import state_code

pytestmark = pytest.mark.django_db


def _submitted(world: Any, member: str = "member0") -> Proposal:
    p = act.create_proposal(world.user(member), session=world.session, title="关于加快城市更新的建议",
                            situation="情况", analysis="分析", suggestions="建议一；建议二")
    return act.submit_proposal(world.user(member), p.pk)


def _api(user: Any) -> Client:
    _, key = issue_token(user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _unchanged(p: Proposal) -> None:
    fresh = Proposal.objects.get(pk=p.pk)
    assert (fresh.state.code, fresh.number, fresh.version) == (state_code("submitted"), "", p.version)


@pytest.mark.parametrize("version", ["current", "stale"])
def test_member_forging_a_filing_request_is_refused_for_permission_in_the_action(world: Any, version: str) -> None:
    p = _submitted(world)
    sent = p.version if version == "current" else p.version - 1
    with pytest.raises(ForbiddenError, match="无权"):
        act.file_proposal(world.user("member0"), p.pk, expected_version=sent)
    _unchanged(p)


@pytest.mark.parametrize("version", ["current", "stale"])
def test_member_forging_a_filing_post_on_the_web_page_gets_403_no_permission(world: Any, version: str) -> None:
    p = _submitted(world)
    client = Client()
    client.force_login(world.user("member0"))
    sent = p.version if version == "current" else p.version - 1
    response = client.post(f"/proposals/{p.pk}/do/file/", {"file-version": sent})
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权" in html and "已被他人修改" not in html
    _unchanged(p)


@pytest.mark.parametrize("version", ["current", "stale"])
def test_member_forging_a_filing_call_on_the_api_gets_403_no_permission(world: Any, version: str) -> None:
    p = _submitted(world)
    sent = p.version if version == "current" else p.version - 1
    response = _api(world.user("member0")).post(f"/api/proposals/{p.pk}/file", {"version": sent},
                                                content_type="application/json")
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]
    _unchanged(p)


def test_filing_a_draft_by_its_member_is_a_permission_refusal_not_a_state_error(world: Any) -> None:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于加快城市更新的建议",
                            suggestions="建议")
    with pytest.raises(ForbiddenError, match="无权"):
        act.file_proposal(world.user("member0"), p.pk, expected_version=p.version)


def test_another_members_unpublished_case_is_not_found_on_web_and_api(world: Any) -> None:
    p = _submitted(world, member="member1")  # submitted, not filed: invisible to other members
    client = Client()
    client.force_login(world.user("member0"))
    assert client.post(f"/proposals/{p.pk}/do/file/", {"file-version": p.version}).status_code == 404
    response = _api(world.user("member0")).post(f"/api/proposals/{p.pk}/file", {"version": p.version},
                                                content_type="application/json")
    assert response.status_code == 404
    _unchanged(p)


def test_the_workflow_datas_roles_decide_who_files_not_a_duplicate_check_in_the_action(world: Any) -> None:
    """A council that lets its leaders file (admin: 流转 roles) gets exactly that; one that takes the right
    from staff takes it."""
    p = _submitted(world)
    transition = Transition.objects.get(workflow=p.workflow, source__code=state_code("submitted"), target__code=state_code("filed"))
    transition.roles = ["leader"]
    transition.save()
    with pytest.raises(ForbiddenError, match="无权"):
        act.file_proposal(world.user("staff"), p.pk)
    filed = act.file_proposal(world.user("leader"), p.pk)
    assert filed.number == "14-3-001" and filed.state.code == state_code("filed")
