"""The statistics (数读) against an independent count: plain Python loops over the model rows."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Member
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, Proposal, Reply
from lvzhi.reports.queries import parse_scope_params, percent, proposal_statistics, ratio, resolve_scope
from lvzhi.workflow.models import ReplyGrade
from tests.states import plain, state_code

pytestmark = pytest.mark.django_db


def expected(council: Any, *, term: Any = None, session: Any = None, date_from: date | None = None,
             date_to: date | None = None, as_of: date | None = None) -> dict[str, Any]:
    """Every figure recomputed row by row, without the aggregate queries under test."""
    as_of = as_of or timezone.localdate()
    if session is not None:
        term = session.term
    props = []
    for p in Proposal.objects.select_related("state", "session", "first_proposer", "created_by"):
        if p.council_id != council.pk or p.submitted_at is None:
            continue
        if session is not None and p.session_id != session.pk:
            continue
        if term is not None and p.session.term_id != term.pk:
            continue
        day = timezone.localdate(p.submitted_at)
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        props.append(p)
    received = [p for p in props if plain(p.state.code) not in ("draft", "withdrawn")]
    ids = {p.pk for p in received}
    filed = [p for p in received if p.filed_at is not None]
    out: dict[str, Any] = {
        "received": len(received),
        "withdrawn": sum(1 for p in props if p.state.code == state_code("withdrawn")),
        "plenary": sum(1 for p in received if p.is_plenary),
        "ordinary": sum(1 for p in received if not p.is_plenary),
        "under_review": sum(1 for p in received if plain(p.state.code) in ("submitted", "returned")),
        "filed": len(filed),
        "merged": sum(1 for p in received if p.state.code == state_code("merged")),
        "not_filed": sum(1 for p in received if p.state.code == state_code("not_filed")),
        "key": sum(1 for p in filed if p.is_key),
        "supervised": sum(1 for p in filed if p.is_key and p.supervising_leader),
        "excellent": sum(1 for p in received if p.excellent_year),
        "grounds": Counter(p.not_filed_ground for p in received if p.state.code == state_code("not_filed")),
        "kinds": Counter(p.proposer_kind for p in received),
        "categories": Counter(p.category_id for p in received),
        "categories_filed": Counter(p.category_id for p in filed),
    }
    out["filing_rate"] = out["filed"] / out["received"] if out["received"] else None
    out["key_share"] = out["key"] / out["filed"] if out["filed"] else None
    submitters = {p.first_proposer_id for p in received if p.first_proposer_id}
    for c in CoSigner.objects.all():
        if c.proposal_id in ids and c.status == "confirmed":
            submitters.add(c.member_id)
    pool = [m for m in Member.objects.all() if m.council_id == council.pk and m.active
            and (term is None or m.term_id == term.pk)]
    out["members_submitted"] = len(submitters)
    out["members_in_term"] = len(pool)
    out["member_share"] = (len([m for m in pool if m.pk in submitters]) / len(pool)) if pool else None

    active = [a for a in Assignment.objects.all() if a.proposal_id in ids and a.status not in ("withdrawn",
                                                                                               "sent_back")]
    active_ids = {a.pk for a in active}
    out["assigned"] = len({a.proposal_id for a in active})
    out["units_involved"] = len({a.unit_id for a in active})
    out["lead_units"] = len({a.unit_id for a in active if a.role in ("lead", "sole")})
    out["overdue"] = sum(1 for a in active if a.status == "handling" and a.deadline < as_of)
    sent = [r for r in Reply.objects.select_related("assignment", "grade") if r.assignment_id in active_ids
            and r.status == "sent"]
    out["replied"] = len({r.assignment.proposal_id for r in sent})
    out["reply_rate"] = out["replied"] / out["assigned"] if out["assigned"] else None
    latest: dict[int, Reply] = {}
    for r in sent:
        if r.assignment_id not in latest or r.round > latest[r.assignment_id].round:
            latest[r.assignment_id] = r
    out["grades"] = Counter(r.grade.code for r in latest.values())
    # the proposer's account: the first proposer's login, or whoever entered an organisation's proposal
    proposal_of = {r.pk: r.assignment.proposal_id for r in sent}
    proposer_user: dict[int, int | None] = {}
    for p in received:
        profile = getattr(p.first_proposer, "profile", None) if p.first_proposer_id else None
        if profile is not None:
            proposer_user[p.pk] = profile.user_id
        else:  # an organisation's proposal, or a member's without an account: whoever entered it
            proposer_user[p.pk] = p.created_by_id
    evaluations = [e for e in Evaluation.objects.select_related("reply") if e.reply_id in proposal_of
                   and e.evaluator_id == proposer_user[proposal_of[e.reply_id]]]
    last_eval: dict[int, Evaluation] = {}
    for e in evaluations:
        a = e.reply.assignment_id
        if a not in last_eval or e.reply.round > last_eval[a].reply.round:
            last_eval[a] = e
    out["satisfaction"] = Counter(e.overall for e in last_eval.values())
    first = [e for e in evaluations if e.reply.round == 1]
    out["first_evaluated"] = len(first)
    out["first_satisfied"] = sum(1 for e in first if e.overall in ("satisfied", "basically"))
    out["first_rate"] = out["first_satisfied"] / len(first) if first else None
    return out


def check(stats: Any, exp: dict[str, Any]) -> None:
    for name in ("received", "withdrawn", "plenary", "ordinary", "under_review", "filed", "merged", "not_filed",
                 "key", "supervised", "excellent", "members_submitted", "members_in_term", "assigned",
                 "units_involved", "lead_units", "replied", "first_evaluated", "first_satisfied"):
        assert getattr(stats, name) == exp[name], name
    assert stats.overdue_assignments == exp["overdue"]
    for name, key in (("filing_rate", "filing_rate"), ("key_share", "key_share"), ("member_share", "member_share"),
                      ("reply_rate", "reply_rate"), ("first_time_satisfaction_rate", "first_rate")):
        assert getattr(stats, name) == pytest.approx(exp[key]) if exp[key] is not None else \
            getattr(stats, name) is None, name
    assert {r.key: r.count for r in stats.not_filed_by_ground if r.count} == dict(exp["grounds"])
    assert {r.key: r.count for r in stats.by_proposer_kind if r.count} == dict(exp["kinds"])
    assert sum(r.count for r in stats.by_proposer_kind) == exp["received"]
    by_cat = {(int(r.key) if r.key else None): (r.received, r.filed) for r in stats.by_category if r.received}
    assert by_cat == {c: (n, exp["categories_filed"].get(c, 0)) for c, n in exp["categories"].items()}
    assert {r.key: r.count for r in stats.grades if r.count} == dict(exp["grades"])
    assert stats.graded_replies == sum(exp["grades"].values())
    assert {r.key: r.count for r in stats.satisfaction if r.count} == dict(exp["satisfaction"])
    assert stats.evaluated == sum(exp["satisfaction"].values())
    if stats.graded_replies:
        assert sum(r.share for r in stats.grades) == pytest.approx(1.0)


def test_whole_council_matches_independent_count(dataset):
    council = dataset.world.council
    stats = proposal_statistics(council)
    check(stats, expected(council))
    # the dataset really exercises every figure (guards against a vacuous comparison)
    assert stats.received == 14 and stats.withdrawn == 1 and stats.filed == 8 and stats.merged == 1
    assert stats.not_filed == 3 and stats.under_review == 2 and stats.ordinary == 1
    assert stats.filing_rate == pytest.approx(8 / 14)
    assert {r.key: r.count for r in stats.grades} == {"A": 4, "B": 1, "C": 1, "D": 1}
    assert {r.key: r.count for r in stats.satisfaction} == {"satisfied": 4, "basically": 2, "unsatisfied": 1}
    # first round: joint B 不满意, separate C 基本满意 + D 满意, sole A 满意, party B 不满意, old A 基本满意,
    # paper A 满意 (rated by the staff member who entered it for a member without an account)
    assert (stats.first_satisfied, stats.first_evaluated) == (5, 7)
    assert stats.members_in_term == 5 and stats.members_in_term_submitted == 4  # 钱七 is not in office
    assert stats.member_share == pytest.approx(4 / 5)
    assert stats.units_involved == 3 and stats.assigned == 7 and stats.replied == 6
    assert stats.key == 1 and stats.supervised == 1 and stats.excellent == 1


def test_session_term_and_dates_match_independent_count(dataset):
    council, session, old = dataset.world.council, dataset.world.session, dataset.old_session
    today = timezone.localdate()
    for kwargs in ({"session": session}, {"session": old}, {"term": session.term},
                   {"date_from": today - timedelta(days=9), "date_to": today - timedelta(days=1)},
                   {"date_from": today - timedelta(days=395)}, {"date_to": today - timedelta(days=100)},
                   {"session": session, "date_from": today}):
        check(proposal_statistics(council, **kwargs), expected(council, **kwargs))
    in_old = proposal_statistics(council, session=old)
    assert (in_old.received, in_old.plenary, in_old.ordinary, in_old.filed, in_old.not_filed) == (2, 1, 1, 1, 1)
    last_week = proposal_statistics(council, date_from=today - timedelta(days=9), date_to=today - timedelta(days=1))
    assert last_week.received == 2  # the proposal awaiting review (8 days ago) and the joint one (5 days ago)
    assert last_week.scope.label().endswith(f"{today - timedelta(days=9)} 至 {today - timedelta(days=1)}")


def test_overdue_as_of_a_later_day(dataset):
    council = dataset.world.council
    later = timezone.localdate() + timedelta(days=200)
    stats = proposal_statistics(council, as_of=later)
    check(stats, expected(council, as_of=later))
    assert stats.overdue_assignments == 2  # the party proposal in re-handling and the reassigned sector one
    assert proposal_statistics(council).overdue_assignments == 0


def test_fixed_number_of_queries(dataset):
    council = dataset.world.council
    with CaptureQueriesContext(connection) as small:
        proposal_statistics(council)
    staff = dataset.user("staff")
    for i in range(6):  # more proposals, assignments, replies: the query count must not grow
        p = act.create_proposal(dataset.user("member1"), session=dataset.world.session, title=f"关于第{i}件事的建议",
                                suggestions="建议")
        act.submit_proposal(dataset.user("member1"), p.pk)
        act.file_proposal(staff, p.pk)
        act.assign_proposal(staff, p.pk, [(dataset.world.units[i % 3], "sole")])
    with CaptureQueriesContext(connection) as large:
        proposal_statistics(council)
    assert len(large.captured_queries) == len(small.captured_queries) <= 16


def test_three_grade_scale_is_used(dataset):
    ReplyGrade.objects.filter(council=dataset.world.council, code="D").update(active=False)
    stats = proposal_statistics(dataset.world.council)
    assert [r.key for r in stats.grades] == ["A", "B", "C", "D"]  # D still shown: replies were graded D
    ReplyGrade.objects.filter(council=dataset.other_world.council, code="D").update(active=False)
    other = proposal_statistics(dataset.other_world.council)
    assert [r.key for r in other.grades] == ["A", "B", "C"] and other.received == 1 and other.filed == 1


def test_scope_errors_name_the_field(dataset):
    council, other = dataset.world.council, dataset.other_world.council
    with pytest.raises(DomainError) as err:
        proposal_statistics(council, term=dataset.other_world.session.term)
    assert err.value.field == "term"
    with pytest.raises(DomainError) as err:
        proposal_statistics(other, session=dataset.world.session)
    assert err.value.field == "session"
    with pytest.raises(DomainError) as err:
        proposal_statistics(council, date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    assert err.value.field == "date_from"
    with pytest.raises(DomainError) as err:
        resolve_scope(council, term_number=99)
    assert err.value.field == "term" and "第99届" in err.value.message
    with pytest.raises(DomainError) as err:
        resolve_scope(council, term_number=14, session_number=9)
    assert err.value.field == "session"
    assert resolve_scope(council, term_number=14, session_number=2)[1] == dataset.old_session
    with pytest.raises(DomainError) as err:
        parse_scope_params(council, {"date_to": "2026-13-01"})
    assert err.value.field == "date_to" and "YYYY-MM-DD" in err.value.message
    with pytest.raises(DomainError) as err:
        parse_scope_params(council, {"session": str(dataset.other_world.session.pk)})
    assert err.value.field == "session"
    assert parse_scope_params(council, {"term": "", "date_from": "2026-01-05"}) == {"date_from": date(2026, 1, 5)}


def test_ratio_and_percent():
    assert ratio(252, 303) == pytest.approx(0.8317, abs=1e-4)
    assert percent(ratio(252, 303)) == "83.2%"
    assert ratio(1, 0) is None and percent(None) == "—"
