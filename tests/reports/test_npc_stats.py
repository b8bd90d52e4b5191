"""The 数读 of a people's congress: /stats/ and ``lvzhi stats --council ID`` show the deputies' suggestion
figures (from ``lvzhi.suggestions.queries``) where a CPPCC shows its proposals. Expected values are counted
with plain loops over the stored rows, not with the queries under test."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Evaluation, Reply
from lvzhi.reports.queries import npc_statistics
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import answer, assigned
from tests.cases.npc import build_npc

pytestmark = pytest.mark.django_db
OK = {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"}
BAD = {"contact": "basically", "attitude": "unsatisfied", "result": "unsatisfied"}


def _npc_with_suggestions():
    npc = build_npc()
    in_session = timezone.make_aware(datetime.combine(npc.session.plenary_end - timedelta(days=1), time(10)))
    for i, deputy in enumerate(("deputy1", "deputy2")):  # two raised in session, one per delegation
        s = act.create_suggestion(npc.user(deputy), session=npc.session, title=f"大会期间建议{i}", content="内容",
                                  delegation=npc.delegations[i])
        act.submit(npc.user(deputy), s.pk, at=in_session)
        if i == 0:
            act.accept(npc.user("staff"), s.pk)
    s = act.create_suggestion(npc.user("deputy3"), session=npc.session, title="应为议案", content="内容")
    act.submit(npc.user("deputy3"), s.pk)
    act.return_suggestion(npc.user("staff"), s.pk, ground="motion", comment="属于议案")
    act.create_suggestion(npc.user("deputy4"), session=npc.session, title="草稿", content="内容")
    good, (a_good,) = assigned(npc, [(0, "sole")], title="答复满意")
    cases.evaluate(npc.user("deputy0"), answer(npc, a_good, "A").pk, scores=OK)
    _bad, (a_bad,) = assigned(npc, [(1, "sole")], title="答复不满意")
    cases.evaluate(npc.user("deputy0"), answer(npc, a_bad, "D").pk, scores=BAD)
    _back, (a_back,) = assigned(npc, [(2, "sole")], title="申退")
    cases.send_back(npc.user("clerk2"), a_back.pk, reason="非本单位职责")
    group = cases.create_key_group(npc.user("staff"), npc.council, "suggestion", year=2026, theme="交通",
                                   leading_leader=npc.user("leader"))
    cases.add_to_key_group(npc.user("staff"), group.pk, [good.pk])
    return npc


def _expected(council):
    rows = list(Suggestion.objects.filter(council=council).select_related("state", "delegation"))
    received = [s for s in rows if s.state.counts_as_received]
    ids = {s.pk for s in received}
    assignments = [a for a in Assignment.objects.all() if a.object_id in ids and a.council_id == council.pk]
    signed = [r for r in Reply.objects.select_related("assignment", "grade").all()
              if r.assignment in assignments and r.status == "signed" and r.kind == "answer"]
    forms = [e for e in Evaluation.objects.all() if e.reply in signed]
    delegations: dict[str, int] = {}
    for s in received:
        if s.delegation is not None:
            delegations[s.delegation.name] = delegations.get(s.delegation.name, 0) + 1
    grades: dict[str, int] = {}
    for r in signed:
        grades[r.grade.code] = grades.get(r.grade.code, 0) + 1
    return {
        "received": len(received),
        "in_session": sum(1 for s in received if s.period == "session"),
        "interim": sum(1 for s in received if s.period == "interim"),
        "by_delegation": delegations,
        "assigned": len({a.object_id for a in assignments}),
        "sent_back": sum(1 for a in assignments if a.status == "sent_back"),
        "replied": len({r.assignment.object_id for r in signed}),
        "grades": grades,
        "evaluations": len(forms),
        "satisfied_share": sum(1 for f in forms if "unsatisfied" not in f.scores.values()) / len(forms),
        "rehandled": len({a.object_id for a in assignments if a.round > 1}),
        "key": sum(1 for s in received if s.is_key),
    }


def test_npc_figures_match_plain_counts_on_the_command_and_the_page(world):
    npc = _npc_with_suggestions()
    expected = _expected(npc.council)
    # by hand: 2 in session + 3 assigned between sessions (returned and draft do not count); 3 of 5 assigned
    assert (expected["received"], expected["in_session"], expected["assigned"]) == (5, 2, 3)
    assert expected["grades"] == {"A": 1, "D": 1} and expected["satisfied_share"] == 0.5
    got = npc_statistics(npc.council)
    assert {k: got[k] for k in expected} == expected
    out = io.StringIO()
    call_command("stats", "--council", str(npc.council.pk), stdout=out)
    text = out.getvalue()
    assert "━━ 代表建议" in text and "提案者类型" not in text
    lines = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in text.splitlines()
             if line.strip() and not line.startswith(("━", "【", " ")) and len(line.split()) >= 2}
    assert lines["收到代表建议"] == "5" and lines["其中：大会期间"] == "2" and lines["其中：闭会期间"] == "3"
    assert lines["承办单位申退（件次）"] == "1" and lines["重新办理建议"] == "1" and lines["满意率（无不满意项）"] == "50.0%"
    assert "蓬江区代表团" in text and "新会区代表团" in text
    client = Client()
    client.force_login(npc.user("staff"))
    page = client.get("/stats/").content.decode()
    assert 'id="npc-figures"' in page and "收到代表建议" in page and "<dd>5</dd>" in page and "提案者类型" not in page
    # a CPPCC council keeps its proposal figures
    cppcc = io.StringIO()
    call_command("stats", "--council", str(world.council.pk), stdout=cppcc)
    assert "提案者类型" in cppcc.getvalue() and "代表建议" not in cppcc.getvalue()
    client.force_login(world.user("staff"))
    assert "提案者类型" in client.get("/stats/").content.decode()


def test_only_a_section_the_council_has(world):
    npc = build_npc()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--only suggestions"):
        call_command("stats", "--council", str(npc.council.pk), "--only", "proposals", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--only proposals"):
        call_command("stats", "--council", str(world.council.pk), "--only", "suggestions", stdout=io.StringIO())
