"""Fixtures of the web tests: uploaded files in a temporary media root, logged-in clients, proposals
brought to a given state through the real actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(world: Any) -> Callable[[str], Client]:
    """``login("staff")`` → a test client logged in as that world user."""

    def _login(name: str) -> Client:
        client = Client()
        client.force_login(world.user(name))
        return client

    return _login


@pytest.fixture
def make_proposal(world: Any) -> Callable[..., Proposal]:
    """``make_proposal(until="assigned", member="member0", title=...)`` builds a proposal through the
    actions up to ``until`` (draft, submitted, filed, assigned (sole: unit 0), replied)."""

    def _make(until: str = "draft", member: str = "member0", title: str = "关于加快城市更新的建议",
              **kw: Any) -> Proposal:
        p = act.create_proposal(world.user(member), session=world.session, title=title, situation="情况",
                                analysis="分析", suggestions="建议一；建议二", **kw)
        order = ["draft", "submitted", "filed", "assigned", "replied"]
        if order.index(until) >= 1:
            act.submit_proposal(world.user(member), p.pk)
        if order.index(until) >= 2:
            act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
        if order.index(until) >= 3:
            act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
        if order.index(until) >= 4:
            a = Assignment.objects.get(proposal=p)
            r = act.draft_reply(world.user("clerk0"), a.pk, grade_code="B", text="答复正文")
            act.sign_off_reply(world.user("head0"), r.pk)
        p.refresh_from_db()
        return p

    return _make
