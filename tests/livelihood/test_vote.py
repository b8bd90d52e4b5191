"""The secret vote on livelihood projects through the real actions, on SQLite and PostgreSQL: collection,
screening, the list, online ballots (secret yet verifiable), paper ballots and their tally, counting,
re-vote, satisfaction. Expected counts are worked out by hand in the comments (rules: issue 7 §4, §8)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection, models
from django.utils import timezone

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import AuditEntry
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Ballot, Candidate, ProjectSuggestion, Screening, Source, Vote, VoteRoll
from tests.cases.npc import NPC
from tests.livelihood.helpers import make_vote, tally_file

Y, N, A = "赞成", "反对", "弃权"


def test_collection_and_screening(npc: NPC) -> None:
    staff = npc.user("staff")
    today = timezone.localdate()
    window = act.open_collection(staff, npc.council, year=2026, opens=today, closes=today)
    with pytest.raises(DomainError, match="已经设立"):
        act.open_collection(staff, npc.council, year=2026, opens=today, closes=today)
    with pytest.raises(ForbiddenError):
        act.open_collection(npc.user("deputy0"), npc.council, year=2027, opens=today, closes=today)
    by_deputy = act.submit_project(npc.user("deputy0"), window, title="老旧小区加装电梯", place="蓬江区",
                                   investment="3500", beneficiaries="老年居民", proposed_unit=npc.units[0])
    by_public = act.submit_project(None, window, title="社区长者饭堂", proposer_name="市民甲",
                                   proposer_contact="13800000000")
    by_staff = act.submit_project(staff, window, title="背街小巷改造", member=npc.deputies[1])
    assert [p.source for p in (by_deputy, by_public, by_staff)] == [Source.DEPUTY, Source.PUBLIC, Source.STAFF]
    assert by_deputy.member == npc.deputies[0] and str(by_deputy.investment) == "3500.00"
    with pytest.raises(DomainError) as e:
        act.submit_project(None, window, title="无名")
    assert e.value.field == "proposer_name"
    with pytest.raises(DomainError) as e:
        act.submit_project(npc.user("deputy1"), window, title="x", investment="很多")
    assert e.value.field == "investment"
    with pytest.raises(DomainError, match="征集期"):
        act.submit_project(npc.user("deputy1"), window, title="晚到", today=today.replace(year=today.year + 1))
    with pytest.raises(DomainError) as e:  # refusing needs a reason
        act.screen_project(staff, by_public, outcome=Screening.REJECTED)
    assert e.value.field == "reason"
    act.screen_project(staff, by_public, outcome=Screening.MERGED, reason="与加装电梯项目同类", merged_into=by_deputy)
    act.screen_project(staff, by_deputy, outcome=Screening.ACCEPTED)
    assert ProjectSuggestion.objects.get(pk=by_public.pk).merged_into == by_deputy
    with pytest.raises(ForbiddenError):
        act.screen_project(npc.user("deputy0"), by_staff, outcome=Screening.ACCEPTED)
    # 差额: a list no longer than the places is refused.
    with pytest.raises(DomainError, match="差额"):
        act.create_vote(staff, npc.council, title="t", places=1, electorate=5,
                        candidates=[act.CandidateInput(suggestion=by_deputy)])
    # Only accepted suggestions go on the list.
    with pytest.raises(DomainError, match="未经审查"):
        act.create_vote(staff, npc.council, title="t", places=1, electorate=5, candidates=[
            act.CandidateInput(suggestion=by_deputy), act.CandidateInput(suggestion=by_staff)])


def test_online_vote_secret_verifiable_and_refusals(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    d = [npc.user(f"deputy{i}") for i in range(5)]
    receipts = [
        act.cast_ballot(d[0], vote, {"01": Y}),
        act.cast_ballot(d[1], vote, {"01": Y, "02": N, "03": " "}),
        act.cast_ballot(d[2], vote, {"01": N, "02": Y}),
        act.cast_ballot(d[3], vote, {"01": Y, "02": N, "03": A}),
    ]
    # Refusals, nothing written: a second ballot, more 赞成 than places, an unknown candidate, a bad mark,
    # someone who is not a deputy.
    with pytest.raises(ConflictError, match="已经投过票"):
        act.cast_ballot(d[0], vote, {"02": Y})
    with pytest.raises(DomainError, match="赞成票不能多于应选项目数"):
        act.cast_ballot(d[4], vote, {"01": Y, "02": Y})
    with pytest.raises(DomainError, match="不存在"):
        act.cast_ballot(d[4], vote, {"09": Y})
    with pytest.raises(DomainError, match="赞成、反对或弃权"):
        act.cast_ballot(d[4], vote, {"01": "√"})
    with pytest.raises(ForbiddenError):
        act.cast_ballot(npc.user("staff"), vote, {"01": Y})
    assert (VoteRoll.objects.filter(vote=vote).count(), Ballot.objects.filter(vote=vote).count()) == (4, 4)
    # Turnout/roll: d4 has not voted.
    assert act.has_voted(d[0], vote) and not act.has_voted(d[4], vote)
    with pytest.raises(ForbiddenError):
        act.close_vote(d[0], vote)
    act.close_vote(npc.user("leader"), vote)
    with pytest.raises(DomainError, match="表决已经结束"):
        act.cast_ballot(d[4], vote, {"01": Y})
    vote.refresh_from_db()
    # 4 ballots, all valid. 01: Y d0 d1 d3 = 3, N d2 = 1; 02: Y d2 = 1, N d1 d3 = 2, A d0 = 1; 03: A all 4.
    # More than half of 5 deputies is 3 or more: 01 elected.
    assert vote.result == {"void": False, "ballots": 4, "valid": 4, "invalid": 0, "unfilled": 0, "candidates": [
        {"code": "01", "yes": 3, "no": 1, "abstain": 0, "result": "elected"},
        {"code": "02", "yes": 1, "no": 2, "abstain": 1, "result": "not_elected"},
        {"code": "03", "yes": 0, "no": 0, "abstain": 4, "result": "not_elected"}]}
    assert Candidate.objects.get(vote=vote, code="01").outcome == "elected"
    # Verifiable: each receipt is found, an unknown one is not.
    assert all(act.verify_receipt(vote, r.lower()) for r in receipts)
    assert not act.verify_receipt(vote, "AAAAAAAAAAAA")
    act.publish_result(npc.user("staff"), vote)
    with pytest.raises(ConflictError):
        act.publish_result(npc.user("staff"), vote)


def test_ballot_rows_cannot_be_linked_to_deputies(npc: NPC) -> None:
    # The schema itself: the ballot has no relation but the vote (and a paper tally), no time, a UUID key.
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    related = {name for name, f in fields.items() if f.is_relation}
    assert related == {"vote", "tally"}
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in fields.values())
    assert isinstance(fields["id"], models.UUIDField)
    vote = make_vote(npc, places=1, candidates=3)
    receipt = act.cast_ballot(npc.user("deputy2"), vote, {"02": Y})
    ballot = Ballot.objects.get(receipt=receipt)
    assert isinstance(ballot.pk, uuid.UUID)
    # The audit log says that the deputy voted (on the roll row), not what or with which receipt.
    entries = AuditEntry.objects.filter(event="livelihood_voted")
    assert entries.count() == 1 and entries[0].actor == npc.user("deputy2")
    assert receipt not in str(entries[0].new_values) + entries[0].comment
    assert str(ballot.pk) not in str(entries[0].new_values)


def test_vote_opens_and_closes_by_time(npc: NPC) -> None:
    vote = make_vote(npc, opened=False)
    with pytest.raises(DomainError, match="尚未开始"):
        act.cast_ballot(npc.user("deputy0"), vote, {"01": Y})
    now = timezone.now()
    Vote.objects.filter(pk=vote.pk).update(opens_at=now - timezone.timedelta(minutes=5),
                                           closes_at=now + timezone.timedelta(minutes=5))
    vote.refresh_from_db()
    assert act.cast_ballot(npc.user("deputy0"), vote, {"01": Y})
    Vote.objects.filter(pk=vote.pk).update(closes_at=now - timezone.timedelta(seconds=1))
    vote.refresh_from_db()
    with pytest.raises(DomainError, match="表决已经结束"):
        act.cast_ballot(npc.user("deputy1"), vote, {"01": Y})


def test_paper_ballots_tally_import(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    staff = npc.user("staff")
    d = [npc.user(f"deputy{i}") for i in range(5)]
    act.issue_paper_ballots(staff, vote, [npc.deputies[3], npc.deputies[4]])
    with pytest.raises(DomainError, match="已经投票或已领取"):
        act.issue_paper_ballots(staff, vote, [npc.deputies[3]])
    with pytest.raises(ConflictError):  # a deputy given a paper ballot cannot also vote online
        act.cast_ballot(d[3], vote, {"01": Y})
    act.cast_ballot(d[0], vote, {"01": Y})
    act.cast_ballot(d[1], vote, {"02": Y})
    act.cast_ballot(d[2], vote, {"01": Y, "03": N})
    with pytest.raises(DomainError, match="表决结束后"):
        act.import_tally(staff, vote, tally_file([["选票编号", "01", "02", "03"], ["P1", Y, None, None]]))
    act.close_vote(npc.user("leader"), vote)
    # Online only, before the paper tally: 01 has 2 Y of 5 deputies → not more than half → not elected.
    vote.refresh_from_db()
    assert vote.result["candidates"][0]["result"] == "not_elected"
    with pytest.raises(DomainError, match=r"表头与候选名单不符.*09"):
        act.import_tally(staff, vote, tally_file([["选票编号", "01", "02", "09"], ["P1", Y, None, None]]))
    with pytest.raises(DomainError, match="选票编号"):
        act.import_tally(staff, vote, tally_file([["编号", "01", "02", "03"], ["P1", Y, None, None]]))
    rows = [["选票编号", "03", "01", "02"], ["P1", None, Y, N], ["P2", None, "√", None]]  # columns in any order
    act.import_tally(staff, vote, tally_file(rows), filename="第一票箱.xlsx")
    with pytest.raises(ConflictError, match="已经导入过"):
        act.import_tally(staff, vote, tally_file(rows))
    with pytest.raises(ConflictError, match="P1"):  # the same ballots in another file
        act.import_tally(staff, vote, tally_file([["选票编号", "01", "02", "03"], ["P1", Y, None, None]]))
    vote.refresh_from_db()
    # Roll (issued) 5, ballots 3 online + 2 paper = 5. Invalid: P2 (√). Valid 4.
    # 01: Y d0 d2 P1 = 3 → more than half of 5 → elected; N 0, A d1 = 1.
    # 02: Y d1 = 1, N P1 = 1, A d0 d2 = 2. 03: N d2 = 1, A d0 d1 P1 = 3.
    assert vote.result == {"void": False, "ballots": 5, "valid": 4, "invalid": 1, "unfilled": 0, "candidates": [
        {"code": "01", "yes": 3, "no": 0, "abstain": 1, "result": "elected"},
        {"code": "02", "yes": 1, "no": 1, "abstain": 2, "result": "not_elected"},
        {"code": "03", "yes": 0, "no": 1, "abstain": 3, "result": "not_elected"}]}
    assert Ballot.objects.filter(vote=vote).count() == 5
    act.publish_result(staff, vote)
    with pytest.raises(DomainError, match="已公布"):
        act.import_tally(staff, vote, tally_file([["选票编号", "01", "02", "03"], ["P9", Y, None, None]]))


def test_more_paper_ballots_than_issued_make_the_vote_void(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    staff = npc.user("staff")
    act.issue_paper_ballots(staff, vote, [npc.deputies[0]])
    act.close_vote(npc.user("leader"), vote)
    act.import_tally(staff, vote, tally_file([["选票编号", "01", "02", "03"], [1, Y, None, None], [2, Y, None, None]]))
    vote.refresh_from_db()
    # 1 issued, 2 returned → void (选举法 第四十四条).
    assert vote.result == {"void": True, "ballots": 2}


def test_tie_then_revote(npc: NPC) -> None:
    d = [npc.user(f"deputy{i}") for i in range(5)]
    vote = make_vote(npc, places=2, candidates=4, electorate=5)
    marks = [{"01": Y, "02": Y}, {"01": Y, "02": Y}, {"01": Y, "03": Y}, {"01": Y, "03": Y}, {"02": Y, "03": Y}]
    for i, m in enumerate(marks):
        act.cast_ballot(d[i], vote, m)
    act.close_vote(npc.user("leader"), vote)
    vote.refresh_from_db()
    # 01 = 4, 02 = 3, 03 = 3, 04 = 0; more than half of 5 is 3+: 01, 02, 03 pass; 2 places: 01 elected,
    # 02 and 03 tie for the last place, 1 unfilled.
    assert [c["result"] for c in vote.result["candidates"]] == ["elected", "tie", "tie", "not_elected"]
    assert vote.result["unfilled"] == 1
    with pytest.raises(DomainError, match="已公布"):
        act.start_revote(npc.user("staff"), vote)
    act.publish_result(npc.user("leader"), vote)
    revote = act.start_revote(npc.user("staff"), vote)
    assert (revote.places, revote.parent_id) == (1, vote.pk)
    assert list(revote.candidates.values_list("code", "title")) == list(
        vote.candidates.filter(code__in=["02", "03"]).values_list("code", "title"))
    with pytest.raises(ConflictError):
        act.start_revote(npc.user("staff"), vote)
    act.open_vote(npc.user("leader"), revote)
    for i, code in enumerate(["02", "02", "02", "03", "03"]):  # every deputy votes again
        act.cast_ballot(d[i], revote, {code: Y})
    act.close_vote(npc.user("leader"), revote)
    revote.refresh_from_db()
    # 02 = 3 Y > 2.5 → elected for the remaining place.
    assert [(c["code"], c["result"]) for c in revote.result["candidates"]] == [("02", "elected"),
                                                                               ("03", "not_elected")]


def test_satisfaction_evaluation(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3)
    d = [npc.user(f"deputy{i}") for i in range(5)]
    for i in range(3):
        act.cast_ballot(d[i], vote, {"01": Y})
    act.close_vote(npc.user("leader"), vote)
    project = Candidate.objects.get(vote=vote, code="01")
    loser = Candidate.objects.get(vote=vote, code="02")
    with pytest.raises(DomainError, match="不是本机构票决产生"):
        act.create_evaluation(npc.user("staff"), npc.council, year=2026, projects=[loser], electorate=5)
    ev = act.create_evaluation(npc.user("staff"), npc.council, year=2026, projects=[project], electorate=5)
    with pytest.raises(DomainError, match="未在进行中"):
        act.submit_evaluation(d[0], ev, {project.pk: "满意"})
    act.open_evaluation(npc.user("leader"), ev)
    for i, rating in enumerate(["满意", "满意", "基本满意", "基本满意", "不满意"]):
        act.submit_evaluation(d[i], ev, {project.pk: rating})
    with pytest.raises(ConflictError):
        act.submit_evaluation(d[0], ev, {project.pk: "不满意"})
    with pytest.raises(DomainError, match="测评项目不存在"):
        act.submit_evaluation(npc.user("deputy0"), ev, {loser.pk: "满意"})
    act.close_evaluation(npc.user("leader"), ev)
    ev.refresh_from_db()
    # 5 valid forms: 满意 2 is not more than 2.5; 满意 + 基本满意 = 4 > 2.5 → 基本满意.
    assert ev.result[str(project.pk)] | {} == {"title": project.title, "forms": 5, "valid": 5, "satisfied": 2,
                                               "fairly_satisfied": 2, "dissatisfied": 1, "result": "基本满意"}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_ballots_of_one_deputy(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3)
    user = npc.user("deputy0")
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def cast(i: int) -> None:
        barrier.wait(timeout=10)
        try:
            results[i] = act.cast_ballot(user, vote, {"01": Y} if i == 0 else {"02": Y})
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    receipts = [r for r in results if isinstance(r, str)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(receipts) == 1 and len(errors) == 1 and isinstance(errors[0], ConflictError), results
    assert (VoteRoll.objects.filter(vote=vote).count(), Ballot.objects.filter(vote=vote).count()) == (1, 1)


def test_project_pool_carries_over_to_a_later_year(npc: NPC) -> None:
    staff = npc.user("staff")
    today = timezone.localdate()
    old = act.open_collection(staff, npc.council, year=2024, opens=today, closes=today)
    new = act.open_collection(staff, npc.council, year=2025, opens=today, closes=today)
    item = act.submit_project(npc.user("deputy0"), old, title="河涌整治", investment="5000")
    with pytest.raises(DomainError, match="项目库"):
        act.carry_over(staff, item, new)
    act.screen_project(staff, item, outcome=Screening.POOL, reason="资金未落实，转入项目库")
    with pytest.raises(DomainError, match="以后年度"):
        act.carry_over(staff, item, old)
    with pytest.raises(ForbiddenError):
        act.carry_over(npc.user("deputy0"), item, new)
    copy = act.carry_over(staff, item, new)
    assert (copy.window, copy.carried_from, copy.screening, copy.member) == (new, item, Screening.PENDING,
                                                                             npc.deputies[0])
    with pytest.raises(ConflictError):
        act.carry_over(staff, item, new)


def test_no_more_ballots_than_deputies(npc: NPC) -> None:
    # A vote set up with an electorate of 2 (all deputies) cannot take a third ballot or paper ballot.
    vote = make_vote(npc, places=1, candidates=3, electorate=2)
    act.cast_ballot(npc.user("deputy0"), vote, {"01": Y})
    with pytest.raises(DomainError, match="发出选票将多于全体代表人数"):
        act.issue_paper_ballots(npc.user("staff"), vote, [npc.deputies[1], npc.deputies[2]])
    act.cast_ballot(npc.user("deputy1"), vote, {"01": Y})
    with pytest.raises(DomainError, match="投票人数已达全体代表人数"):
        act.cast_ballot(npc.user("deputy2"), vote, {"01": Y})
    act.close_vote(npc.user("leader"), vote)
    vote.refresh_from_db()
    # 2 of 2 deputies 赞成 01 → more than half → elected.
    assert vote.result["ballots"] == 2 and vote.result["candidates"][0]["result"] == "elected"


def test_assessment_in_screening_by_staff_and_units(npc: NPC) -> None:
    staff = npc.user("staff")
    today = timezone.localdate()
    window = act.open_collection(staff, npc.council, year=2026, opens=today, closes=today)
    item = act.submit_project(npc.user("deputy0"), window, title="新建体育馆", investment="98000")
    a = act.assess_project(npc.user("clerk0"), item, aspect="debt", conclusion="fail", opinion="需举债建设，增加债务风险")
    assert a.unit == npc.units[0]
    b = act.assess_project(staff, item, aspect="legality", conclusion="pass", opinion="符合规定")
    assert b.unit is None
    with pytest.raises(ForbiddenError):
        act.assess_project(npc.user("deputy1"), item, aspect="cost", conclusion="pass", opinion="x")
    with pytest.raises(DomainError) as e:
        act.assess_project(staff, item, aspect="beauty", conclusion="pass", opinion="x")
    assert e.value.field == "aspect"
    act.screen_project(staff, item, outcome=Screening.REJECTED, reason="债务风险")
    with pytest.raises(DomainError, match="已审查"):
        act.assess_project(staff, item, aspect="cost", conclusion="pass", opinion="x")
    assert [x.get_aspect_display() for x in item.assessments.all()] == ["债务风险", "合法性审查"]
    from django.test import Client

    page = Client()
    page.force_login(staff)
    assert "需举债建设，增加债务风险" in page.get(f"/livelihood/collections/{window.pk}/").content.decode()
    # The API: a unit assesses an item still pending.
    from lvzhi.core.api_auth import issue_token

    other = act.submit_project(npc.user("deputy1"), window, title="口袋公园", investment="300")
    key = issue_token(npc.user("clerk1"), name="t")[1]
    answer = Client().post(f"/api/livelihood/projects/{other.pk}/assessments", data={
        "aspect": "cost", "conclusion": "pass", "opinion": "估算合理"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 201 and answer.json()["unit"] == npc.units[1].name
