"""Co-signing (联名) rules the lifecycle tests do not pin (issue 6, "Also fix")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from lvzhi.core.api_auth import issue_token
from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import CoSigner, Proposal

pytestmark = pytest.mark.django_db


def _late_invitation(world: Any, today: Any) -> tuple[Proposal, CoSigner]:
    """member0's draft with member1 invited; the invitation's last day was yesterday."""
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于联名的建议", suggestions="建议",
                            cosigners=[world.members[1]])
    CoSigner.objects.filter(proposal=p).update(expires_at=today - timedelta(days=1))
    return Proposal.objects.get(pk=p.pk), CoSigner.objects.get(proposal=p)


def _lapsed_entries(p: Proposal) -> int:
    return AuditEntry.objects.filter(target_id=p.pk, event="cosign_lapsed").count()


def test_late_answer_is_refused_and_the_invitation_stays_expired(world: Any, today: Any) -> None:
    p, cosigner = _late_invitation(world, today)
    with pytest.raises(DomainError, match="过期"):
        act.respond_to_invitation(world.user("member1"), p.pk, accept=True)
    cosigner.refresh_from_db()
    assert cosigner.status == "expired" and cosigner.responded_at is None
    assert _lapsed_entries(p) == 1
    with pytest.raises(DomainError):  # a second try finds it expired, not pending
        act.respond_to_invitation(world.user("member1"), p.pk, accept=True)
    cosigner.refresh_from_db()
    assert cosigner.status == "expired" and _lapsed_entries(p) == 1


def test_late_answer_on_the_web_page_is_refused_and_the_expiry_sticks(world: Any, today: Any) -> None:
    p, cosigner = _late_invitation(world, today)
    client = Client()
    client.force_login(world.user("member1"))
    response = client.post(f"/proposals/{p.pk}/do/cosign/", {"cosign-version": p.version, "cosign-decision": "accept"})
    assert response.status_code == 400 and "过期" in response.content.decode()
    cosigner.refresh_from_db()
    assert cosigner.status == "expired" and _lapsed_entries(p) == 1


def test_late_answer_through_the_api_is_refused_and_the_expiry_sticks(world: Any, today: Any) -> None:
    p, cosigner = _late_invitation(world, today)
    _, key = issue_token(world.user("member1"), name="test")
    response = Client(headers={"Authorization": f"Bearer {key}"}).post(
        f"/api/proposals/{p.pk}/invitation", {"accept": True}, content_type="application/json")
    assert response.status_code == 400 and "过期" in response.json()["detail"]
    cosigner.refresh_from_db()
    assert cosigner.status == "expired" and _lapsed_entries(p) == 1


def test_inviting_a_cosigner_makes_the_proposal_joint_with_an_audit_entry_and_a_new_version(world: Any) -> None:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于联名的建议", suggestions="建议")
    assert p.proposer_kind == "member"
    before = Proposal.objects.get(pk=p.pk).version
    act.invite_cosigners(world.user("member0"), p.pk, [world.members[1]])
    after = Proposal.objects.get(pk=p.pk)
    assert after.proposer_kind == "joint"
    assert after.version == before + 1  # the proposer's open edit page (kind 个人) is now stale
    entries = [e for e in AuditEntry.objects.filter(target_id=p.pk).exclude(event="created").order_by("id")
               if "proposer_kind" in (e.new_values or {})]
    assert [(e.old_values["proposer_kind"], e.new_values["proposer_kind"]) for e in entries] == [("member", "joint")]
    # a second invitation does not change the kind again: no further entry, no further bump
    act.invite_cosigners(world.user("member0"), p.pk, [world.members[2]])
    assert Proposal.objects.get(pk=p.pk).version == before + 1


def test_a_draft_created_with_cosigners_is_joint_from_its_creation(world: Any) -> None:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于联名的建议", suggestions="建议",
                            cosigners=[world.members[1]])
    stored = Proposal.objects.get(pk=p.pk)
    assert stored.proposer_kind == "joint" and stored.version == 1
    created = AuditEntry.objects.get(target_id=p.pk, event="created")
    assert created.new_values.get("proposer_kind") == "joint"
