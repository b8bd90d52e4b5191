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
from lvzhi.proposals.models import Proposal, Reply
from tests.conftest import PASSWORD

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
    assert AuditEntry.objects.filter(target_id=p.pk, event="transition", to_state="submitted").count() == 1


def test_fifty_parallel_reply_drafts_from_the_same_page_one_wins_the_others_conflict(world: Any) -> None:
    """50 clerks of the unit save a draft at once, each from the page they loaded (same version): one draft
    is stored, 49 are told the case changed — none is silently overwritten (issue 6)."""
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于并发答复的建议", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk)
    assignment = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])[0]
    clerks = [world.user("clerk0")] + [
        create_account(None, username=f"clerk0-{i}", password=PASSWORD, role="unit_clerk", council=world.council,
                       unit=world.units[0]) for i in range(49)]
    version = Proposal.objects.get(pk=p.pk).version
    audit_before = AuditEntry.objects.filter(event="reply_drafted").count()
    results = _race(*[
        (lambda i=i, clerk=clerk: act.draft_reply(clerk, assignment.pk, grade_code="A", text=f"答复稿 {i}",
                                                  for_signoff=False, expected_version=version))
        for i, clerk in enumerate(clerks)])
    winners = [(i, r) for i, r in enumerate(results) if isinstance(r, Reply)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 49, [r for r in results if not isinstance(r, Reply | ConflictError)]
    assert all(isinstance(r, ConflictError) for r in losers)
    stored = Reply.objects.get(assignment=assignment)
    assert stored.text == f"答复稿 {winners[0][0]}"
    assert AuditEntry.objects.filter(event="reply_drafted").count() - audit_before == 1
    assert Proposal.objects.get(pk=p.pk).version == version + 1


def test_simultaneous_submits_get_distinct_serials(world: Any) -> None:
    """Eight members' drafts submitted at the same moment: the submission serials (提交编号, term 14,
    session 3: ``1403`` + a four-digit sequence) are 0001…0008, each once."""
    drafts = [act.create_proposal(world.user(f"member{i % 3}"), session=world.session, title=f"关于同时提交的建议{i}",
                                  suggestions="建议") for i in range(8)]
    results = _race(*[(lambda p=p, i=i: act.submit_proposal(world.user(f"member{i % 3}"), p.pk))
                      for i, p in enumerate(drafts)])
    assert all(isinstance(r, Proposal) for r in results), results
    serials = sorted(Proposal.objects.filter(pk__in=[p.pk for p in drafts]).values_list("serial", flat=True))
    assert serials == [f"1403{n:04d}" for n in range(1, 9)]
