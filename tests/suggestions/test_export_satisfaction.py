"""The satisfaction columns of the suggestion export (满意度, 满意度测评) and the reply date, recounted from
the opinion forms (意见征询表) with a plain loop, and checked against values worked out by hand."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Evaluation, Reply
from lvzhi.suggestions.exports import SUGGESTION_HEADERS
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, answer
from tests.cases.npc import NPC

pytestmark = pytest.mark.django_db

LEVELS = ["满意", "基本满意", "不满意"]  # the opinion form's levels, best first
CODES = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}


def _rows(npc: NPC) -> dict[str, dict[str, Any]]:
    client = Client()
    client.force_login(npc.user("staff"))
    response = client.get(reverse("suggestion-list-xlsx"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["代表建议清单"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == SUGGESTION_HEADERS
    return {r[1]: dict(zip(SUGGESTION_HEADERS, r, strict=True)) for r in rows[1:]}


def _form(contact: str, attitude: str, result: str) -> dict[str, str]:
    return {"contact": contact, "attitude": attitude, "result": result}


def test_satisfaction_and_reply_date_columns(npc: NPC) -> None:
    # 甲: one deputy, 基本满意 on the result → 基本满意
    a = accepted(npc, title="甲建议")
    cases.assign(npc.user("staff"), Suggestion, a.pk, [(npc.units[0], "sole")])
    ra = answer(npc, Assignment.objects.get(suggestion=a))
    cases.evaluate(npc.user("deputy0"), ra.pk, scores=_form("satisfied", "satisfied", "basically"))
    # 乙: joint, each deputy answers; the seconder is 不满意 with the attitude → 不满意 (and re-handling)
    b = accepted(npc, deputy="deputy2", seconders=(3,), title="乙建议")
    cases.assign(npc.user("staff"), Suggestion, b.pk, [(npc.units[1], "sole")])
    rb = answer(npc, Assignment.objects.get(suggestion=b))
    cases.evaluate(npc.user("deputy2"), rb.pk, scores=_form("satisfied", "satisfied", "satisfied"))
    cases.evaluate(npc.user("deputy3"), rb.pk, scores=_form("basically", "unsatisfied", "satisfied"))
    # 丙: two units separately, one form on one unit's letter
    c = accepted(npc, deputy="deputy1", title="丙建议")
    cases.assign(npc.user("staff"), Suggestion, c.pk, [(npc.units[0], "separate"), (npc.units[2], "separate")])
    rc0 = answer(npc, Assignment.objects.get(suggestion=c, unit=npc.units[0]))
    answer(npc, Assignment.objects.get(suggestion=c, unit=npc.units[2]))
    cases.evaluate(npc.user("deputy1"), rc0.pk, scores=_form("satisfied", "satisfied", "satisfied"))
    # 丁: answered, no form yet; 戊: not answered
    d = accepted(npc, deputy="deputy4", title="丁建议")
    cases.assign(npc.user("staff"), Suggestion, d.pk, [(npc.units[2], "sole")])
    answer(npc, Assignment.objects.get(suggestion=d))
    accepted(npc, title="戊建议")

    rows = _rows(npc)
    # worked out by hand
    assert rows["甲建议"]["满意度"] == "基本满意"
    assert rows["甲建议"]["满意度测评"] == "陈代表：联系沟通满意，办理态度满意，办理结果基本满意"
    assert rows["乙建议"]["满意度"] == "不满意"
    assert rows["乙建议"]["满意度测评"] == ("黄代表：联系沟通满意，办理态度满意，办理结果满意；"
                                         "吴代表：联系沟通基本满意，办理态度不满意，办理结果满意")
    assert rows["丙建议"]["满意度"] == "满意"
    assert rows["丙建议"]["满意度测评"] == "市住房和城乡建设局／林代表：联系沟通满意，办理态度满意，办理结果满意"
    assert rows["丁建议"]["满意度"] is None and rows["戊建议"]["满意度"] is None  # empty cells
    today = timezone.localdate().isoformat()
    assert rows["甲建议"]["答复日期"] == today
    assert rows["丙建议"]["答复日期"] == f"市住房和城乡建设局：{today}；市教育局：{today}"
    assert rows["戊建议"]["答复日期"] is None

    # recounted from the records with a plain loop: per suggestion, the lowest level of the forms on the
    # latest signed answer of each replying unit
    recount: dict[str, str] = {}
    for s in Suggestion.objects.all():
        worst = -1
        for assignment in Assignment.objects.filter(suggestion=s):
            answers = list(Reply.objects.filter(assignment=assignment, status="signed", kind="answer")
                           .order_by("round", "id"))
            if not answers:
                continue
            for form in Evaluation.objects.filter(reply=answers[-1]):
                for code in form.scores.values():
                    worst = max(worst, LEVELS.index(CODES[code]))
        recount[s.title] = LEVELS[worst] if worst >= 0 else ""
    assert {title: row["满意度"] or "" for title, row in rows.items()} == recount
    counts: dict[str, int] = {}
    for level in recount.values():
        counts[level] = counts.get(level, 0) + 1
    exported: dict[str, int] = {}
    for row in rows.values():
        exported[row["满意度"] or ""] = exported.get(row["满意度"] or "", 0) + 1
    assert exported == counts == {"基本满意": 1, "不满意": 1, "满意": 1, "": 2}
