"""The NPC's 数读 of deputies' suggestions, checked against counts worked out by hand and by plain loops."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Evaluation, Reply
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion
from lvzhi.suggestions.queries import suggestion_figures
from tests.cases.helpers import answer
from tests.cases.npc import NPC

GOOD = {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"}
BAD = {"contact": "basically", "attitude": "basically", "result": "unsatisfied"}


def test_figures_match_hand_and_loop_counts(npc: NPC) -> None:
    in_session = timezone.make_aware(datetime.combine(npc.session.plenary_end, time(9)))
    staff = npc.user("staff")

    def new(title: str, deputy: str = "deputy0", delegation: int | None = None, during: bool = False) -> Suggestion:
        s = act.create_suggestion(npc.user(deputy), session=npc.session, title=title, content="内容",
                                  delegation=npc.delegations[delegation] if delegation is not None else None)
        return act.submit(npc.user(deputy), s.pk, at=in_session if during else None)

    s1 = act.accept(staff, new("一", delegation=0, during=True).pk)
    s2 = act.accept(staff, new("二", "deputy1", delegation=0, during=True).pk)
    s3 = act.accept(staff, new("三", "deputy2", delegation=1, during=True).pk)
    s4 = act.accept(staff, new("四", "deputy3").pk)
    act.return_suggestion(staff, new("五").pk, ground="motion", comment="属于议案")  # returned: not received
    act.create_suggestion(npc.user("deputy4"), session=npc.session, title="六（草稿）")  # draft: not received
    act.withdraw(npc.user("deputy4"), new("七", "deputy4").pk)  # withdrawn: not received
    new("八", "deputy2")  # submitted, awaiting acceptance: received, not numbered

    (a1,) = cases.assign(staff, Suggestion, s1.pk, [(npc.units[0], "sole")])
    (a2,) = cases.assign(staff, Suggestion, s2.pk, [(npc.units[1], "sole")])
    a3, a3b = cases.assign(staff, Suggestion, s3.pk, [(npc.units[0], "separate"), (npc.units[2], "separate")])
    cases.send_back(npc.user("clerk2"), a3b.pk, reason="不属于本单位")
    answer(npc, a1, "A")
    answer(npc, a2, "B")
    answer(npc, a3, "C")
    r1 = Reply.objects.get(assignment=a1)
    cases.evaluate(npc.user("deputy0"), r1.pk, scores=GOOD)
    r2 = Reply.objects.get(assignment=a2)
    cases.evaluate(npc.user("deputy1"), r2.pk, scores=BAD)  # re-handling of s2
    a2.refresh_from_db()
    answer(npc, a2, "A")  # the second round's grade is the one that counts
    group = cases.create_key_group(staff, npc.council, "suggestion", year=2026, theme="教育",
                                   leading_leader=npc.user("leader"))
    cases.add_to_key_group(staff, group.pk, [s1.pk, s4.pk])
    cases.select_excellent(staff, Suggestion, s1.pk, kind="golden_idea", year=2026)

    f = suggestion_figures(npc.council.pk)
    # by hand: received = 一二三四八 (五 returned, 六 draft, 七 withdrawn)
    assert (f["received"], f["in_session"], f["interim"], f["accepted"]) == (5, 3, 2, 4)
    assert f["by_delegation"] == {"蓬江区代表团": 2, "新会区代表团": 1}
    assert (f["assigned"], f["sent_back"], f["replied"], f["rehandled"]) == (3, 1, 3, 1)
    assert f["grades"] == {"A": 2, "C": 1}
    assert f["grade_shares"] == {"A": round(2 / 3, 4), "C": round(1 / 3, 4)}
    assert f["evaluations"] == 2 and f["satisfied_share"] == 0.5
    assert f["satisfaction"]["result"] == {"satisfied": 1, "basically": 0, "unsatisfied": 1}
    assert (f["key"], f["key_groups"], f["golden_ideas"], f["excellent"]) == (2, 1, 1, 0)

    # the same by plain loops over the rows
    received = [s for s in Suggestion.objects.filter(council=npc.council) if s.state.counts_as_received]
    assert f["received"] == len(received)
    assert f["in_session"] == sum(1 for s in received if s.period == "session")
    delegations = Counter(s.delegation.name for s in received if s.delegation is not None)
    assert f["by_delegation"] == dict(delegations)
    ids = {s.pk for s in received}
    rows = [a for a in Assignment.objects.all() if a.object_id in ids]
    assert f["assigned"] == len({a.object_id for a in rows})
    assert f["sent_back"] == sum(1 for a in rows if a.status == "sent_back")
    latest: dict[int, Reply] = {}
    for r in Reply.objects.filter(status="signed", kind="answer"):
        if r.assignment_id not in latest or r.round > latest[r.assignment_id].round:
            latest[r.assignment_id] = r
    assert f["grades"] == dict(Counter(r.grade.code for r in latest.values()))
    assert f["rehandled"] == len({a.object_id for a in rows if a.round > 1})
    forms = list(Evaluation.objects.all())
    assert f["satisfied_share"] == sum(1 for e in forms if "unsatisfied" not in e.scores.values()) / len(forms)
    assert suggestion_figures(npc.council.pk, session_id=npc.session.pk + 1000)["received"] == 0
