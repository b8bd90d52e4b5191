"""A reply draft sent through the API with the version it was written against conflicts when stale."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Proposal, Reply

pytestmark = pytest.mark.django_db


def test_reply_draft_with_a_stale_version_is_409_and_keeps_the_other_draft(world: Any, api: Any) -> None:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于并发答复的建议", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk)
    assignment = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])[0]
    loaded = Proposal.objects.get(pk=p.pk).version
    first = api("clerk0").multipart(f"/api/proposals/assignments/{assignment.pk}/reply",
                                    {"grade": "A", "text": "先保存的答复", "version": loaded, "for_signoff": "false"})
    assert first.status_code == 201, first.content
    second = api("head0").multipart(f"/api/proposals/assignments/{assignment.pk}/reply",
                                    {"grade": "B", "text": "后保存的答复", "version": loaded, "for_signoff": "false"})
    assert second.status_code == 409
    assert "已被他人修改" in second.json()["detail"]
    assert Reply.objects.get(assignment=assignment).text == "先保存的答复"
