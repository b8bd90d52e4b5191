"""Two clerks act on the same case at the same moment, each from the page they loaded (same version):
exactly one wins, the other is told the case changed, and nothing of the loser's act is written."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from lvzhi.core.errors import ConflictError, DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.members.actions import create_account
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Proposal
from tests.conftest import PASSWORD
from tests.states import state_code

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls: Any) -> list[Any]:
    """Run ``calls`` in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Any) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_clerks_filing_and_returning_at_once(world: Any) -> None:
    staff2 = create_account(None, username="staff-two", password=PASSWORD, role="staff", council=world.council)
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于同时办理的建议", suggestions="建议")
    p = act.submit_proposal(world.user("member0"), p.pk)
    version = p.version
    audit_before = AuditEntry.objects.count()
    results = _race(
        lambda: act.file_proposal(world.user("staff"), p.pk, expected_version=version),
        lambda: act.return_for_revision(staff2, p.pk, comment="请补充数据", expected_version=version),
    )
    winners = [r for r in results if isinstance(r, Proposal)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ConflictError) and "已被他人修改" in losers[0].message
    p.refresh_from_db()
    assert p.state.code == winners[0].state.code and p.version == version + 1
    # the winner's transition is the only entry written: nothing of the loser
    assert AuditEntry.objects.count() - audit_before == 1


def test_two_double_submits_at_once_submit_once(world: Any) -> None:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于双击提交的建议", suggestions="建议")
    member = world.user("member0")
    results = _race(lambda: act.submit_proposal(member, p.pk), lambda: act.submit_proposal(member, p.pk))
    assert sum(isinstance(r, Proposal) for r in results) == 1
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert AuditEntry.objects.filter(target_id=p.pk, event="transition", to_state=state_code("submitted")).count() == 1
