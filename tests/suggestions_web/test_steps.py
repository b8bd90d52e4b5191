"""The steps of a suggestion's page by POST: expected outcomes, and bad input answered with a Chinese
message naming the field, never a 500, the data unchanged (missing fields, out of window, double submit,
stale version, a step forged by a wrong role)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Evaluation, FollowUp, Instruction, KeyGroup, KeyGroupNote, Reply
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from tests.cases.helpers import accepted, answer, assigned, today
from tests.cases.npc import NPC
from tests.suggestions_web.helpers import errors_of, step, step_names, version_of

pytestmark = pytest.mark.django_db

SATISFIED = {"score_contact": "satisfied", "score_attitude": "satisfied", "score_result": "satisfied"}


def _state(pk: int) -> tuple[int, int]:
    s = Suggestion.objects.get(pk=pk)
    return s.state_id, s.version


def test_new_suggestion_bad_input_names_the_field(npc: NPC, login: Any) -> None:
    deputy = login("deputy0")
    r = deputy.post("/suggestions/new/", {"session": npc.session.pk, "title": "", "content": "内容"})
    assert r.status_code == 400 and "标题" in errors_of(r)
    r = deputy.post("/suggestions/new/", {"session": "abc", "title": "关于某事的建议"})
    assert r.status_code == 400 and errors_of(r)
    r = deputy.post("/suggestions/new/", {"session": npc.session.pk, "title": "关于某事的建议",
                                          "delegation": npc.committee.pk})
    assert r.status_code == 400  # a committee is not a delegation: not among the choices
    # the staff enter a paper suggestion and must name its leading deputy
    r = login("staff").post("/suggestions/new/", {"session": npc.session.pk, "title": "关于某事的建议"})
    assert r.status_code == 400 and "领衔代表" in errors_of(r)
    assert not Suggestion.objects.exists()


def test_submit_without_content_and_double_submit(npc: NPC, login: Any) -> None:
    s = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于某事的建议")
    deputy = login("deputy0")
    before = _state(s.pk)
    r = step(deputy, s.pk, "submit")
    assert r.status_code == 400 and "内容" in errors_of(r)
    assert _state(s.pk) == before
    act.update_draft(npc.user("deputy0"), s.pk, content="建议内容")
    seen = version_of(s.pk)
    assert step(deputy, s.pk, "submit", version=seen).status_code == 302
    after = _state(s.pk)
    # the same form sent again (a double click): the version moved on
    r = step(deputy, s.pk, "submit", version=seen)
    assert r.status_code == 409 and "该案件已被他人修改" in errors_of(r)
    assert _state(s.pk) == after


def test_stale_version_and_forged_steps_are_refused(npc: NPC, login: Any) -> None:
    s = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于某事的建议", content="内容")
    act.submit(npc.user("deputy0"), s.pk)
    before = _state(s.pk)
    # a deputy forging the staff's acceptance: told they may not, nothing changes
    r = step(login("deputy0"), s.pk, "accept")
    assert r.status_code == 403 and "您无权执行「受理」" in errors_of(r)
    # a unit that cannot see it: not found
    assert step(login("clerk0"), s.pk, "accept").status_code == 404
    # the staff with a stale page
    r = step(login("staff"), s.pk, "accept", version=before[1] - 1)
    assert r.status_code == 409 and "该案件已被他人修改" in errors_of(r)
    # return without a ground names the ground
    r = step(login("staff"), s.pk, "return", {"ground": "", "comment": "说明"})
    assert r.status_code == 400 and "退回理由" in errors_of(r)
    assert _state(s.pk) == before
    assert not Suggestion.objects.get(pk=s.pk).number
    # an unknown step, a target on a step without one, a target of another suggestion: 404
    assert login("staff").post(f"/suggestions/{s.pk}/do/frobnicate/").status_code == 404
    assert login("staff").post(f"/suggestions/{s.pk}/do/accept/1/").status_code == 404
    _other, made = assigned(npc, [(0, "sole")])
    assert step(login("clerk0"), s.pk, "send_back", {"reason": "x"}, target=made[0].pk).status_code == 404
    # a GET on a step URL (reloading the page shown after a form error) goes back to the case page
    response = login("staff").get(f"/suggestions/{s.pk}/do/accept/")
    assert response.status_code == 302 and response.url == f"/suggestions/{s.pk}/"


def test_late_seconding_is_refused(npc: NPC, login: Any) -> None:
    s = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="关于某事的建议", content="内容",
                              seconders=[npc.deputies[1]])
    SuggestionDeputy.objects.filter(suggestion=s, member=npc.deputies[1]).update(expires_at=today() - timedelta(days=1))
    assert "second" not in step_names(login("deputy1"), s.pk)
    r = step(login("deputy1"), s.pk, "second", {"decision": "accept"})
    assert r.status_code == 400 and "过期" in errors_of(r)
    assert SuggestionDeputy.objects.get(suggestion=s, member=npc.deputies[1]).status == "pending"


def test_assignment_bad_plans_and_send_back_window(npc: NPC, login: Any) -> None:
    s = accepted(npc)
    staff = login("staff")
    r = step(staff, s.pk, "assign", {"mode": "sole"})
    assert r.status_code == 400 and "请选择承办单位" in errors_of(r)
    r = step(staff, s.pk, "assign", {"mode": "sole", "main_unit": npc.units[0].pk, "other_units": [npc.units[1].pk]})
    assert r.status_code == 400 and "单办只能交给一个承办单位" in errors_of(r)
    assert not Assignment.objects.filter(object_id=s.pk).exists()
    assert step(staff, s.pk, "assign", {"mode": "separate", "main_unit": npc.units[0].pk,
                                        "other_units": [npc.units[1].pk]}).status_code == 302
    a0, a1 = Assignment.objects.filter(object_id=s.pk, case_type="suggestion").order_by("id")
    assert (a0.role, a1.role) == ("separate", "separate")
    # unit 1 sends back within the limit; unit 0 is past it
    r = step(login("clerk1"), s.pk, "send_back", {"reason": ""}, target=a1.pk)
    assert r.status_code == 400 and "退回理由" in errors_of(r)
    assert step(login("clerk1"), s.pk, "send_back", {"reason": "不属于本局职责，建议交市教育局"},
                target=a1.pk).status_code == 302
    assert Assignment.objects.get(pk=a1.pk).status == "sent_back"
    Assignment.objects.filter(pk=a0.pk).update(sendback_deadline=today() - timedelta(days=1))
    assert "send_back" not in step_names(login("clerk0"), s.pk)
    r = step(login("clerk0"), s.pk, "send_back", {"reason": "不属于本局职责"}, target=a0.pk)
    assert r.status_code == 400 and "退回期限已过" in errors_of(r)
    assert Assignment.objects.get(pk=a0.pk).status == "handling"
    # a unit forging another unit's act
    r = step(login("clerk0"), s.pk, "opinion", {"opinion": "x"}, target=a1.pk)
    assert r.status_code == 403
    # the staff assign anew
    assert "reassign" in step_names(staff, s.pk)
    assert step(staff, s.pk, "reassign", {"mode": "separate", "main_unit": npc.units[2].pk}).status_code == 302
    assert Assignment.objects.filter(object_id=s.pk, unit=npc.units[2], status="handling").exists()


def test_leader_returns_a_draft_then_signs_it_off(npc: NPC, login: Any) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    clerk, head = login("clerk0"), login("head0")
    r = step(clerk, s.pk, "reply", {"grade": "A", "text": "答复", "for_signoff": "on"}, target=a.pk)
    assert r.status_code == 400 and "面商" in errors_of(r)  # a talk with the deputy first
    r = step(clerk, s.pk, "reply", {"grade": "", "text": "答复"}, target=a.pk)
    assert r.status_code == 400 and "答复类别" in errors_of(r)
    assert not Reply.objects.exists()
    # the date input carries an ISO date (what <input type="date"> accepts), today by default
    assert f'value="{today().isoformat()}"' in clerk.get(f"/suggestions/{s.pk}/").content.decode()
    assert step(clerk, s.pk, "contact", {"contacted_on": today().isoformat(), "way": "phone", "with_whom": "陈代表",
                                         "notes": "电话沟通"}, target=a.pk).status_code == 302
    r = step(clerk, s.pk, "contact", {"contacted_on": (today() + timedelta(days=1)).isoformat(), "way": "phone",
                                      "with_whom": "陈代表", "notes": "x"}, target=a.pk)
    assert r.status_code == 400 and "沟通日期不能晚于今天" in errors_of(r)
    assert step(clerk, s.pk, "reply", {"grade": "A", "text": "初稿", "for_signoff": "on"}, target=a.pk).status_code == 302
    reply = Reply.objects.get(assignment=a)
    # only the leader previews with the sign-off forms; the clerk cannot sign
    assert "签发" in head.get(f"/suggestions/{s.pk}/replies/{reply.pk}/").content.decode()
    r = step(clerk, s.pk, "signoff", target=reply.pk)
    assert r.status_code == 403 and "负责人" in errors_of(r)
    r = step(head, s.pk, "return_reply", {"comment": ""}, target=reply.pk)
    assert r.status_code == 400 and "退回意见" in errors_of(r)
    assert step(head, s.pk, "return_reply", {"comment": "请补充时间表"}, target=reply.pk).status_code == 302
    assert Reply.objects.get(pk=reply.pk).status == "returned"
    assert "请补充时间表" in clerk.get(f"/suggestions/{s.pk}/").content.decode()
    assert step(clerk, s.pk, "reply", {"grade": "A", "text": "修改稿：年内完成", "for_signoff": "on"},
                target=a.pk).status_code == 302
    seen = version_of(s.pk)
    assert step(head, s.pk, "signoff", target=reply.pk, version=seen).status_code == 302
    r = step(head, s.pk, "signoff", target=reply.pk, version=seen)  # double click
    assert r.status_code == 409
    signed = Reply.objects.get(pk=reply.pk)
    assert signed.status == "signed" and signed.text == "修改稿：年内完成"


def test_unsatisfied_deputy_sends_the_unit_back_and_windows(npc: NPC, login: Any) -> None:
    s, (a,) = assigned(npc, [(0, "sole")], seconders=(1,))
    reply = answer(npc, a)
    deputy = login("deputy0")
    r = step(deputy, s.pk, "evaluate", {"score_contact": "satisfied", "score_attitude": "satisfied"}, target=reply.pk)
    assert r.status_code == 400 and "办理结果" in errors_of(r)
    r = step(login("deputy3"), s.pk, "evaluate", SATISFIED, target=reply.pk)
    assert r.status_code == 403  # not a deputy of this suggestion
    assert step(deputy, s.pk, "evaluate", {**SATISFIED, "score_result": "unsatisfied"}, target=reply.pk).status_code == 302
    r = step(deputy, s.pk, "evaluate", SATISFIED, target=reply.pk)
    assert r.status_code == 400 and "请勿重复提交" in errors_of(r)
    assert Evaluation.objects.filter(reply=reply).count() == 1
    # the staff enter the seconding deputy's paper form
    r = step(login("staff"), s.pk, "evaluate", {**SATISFIED, "on_behalf_of": npc.user("deputy1").pk}, target=reply.pk)
    assert r.status_code == 302, errors_of(r)
    s.refresh_from_db()
    assert s.state.units_may_reply  # 不满意 on the result: re-handling
    a.refresh_from_db()
    assert (a.round, a.status) == (2, "handling")
    assert "reply" in step_names(login("clerk0"), s.pk)
    second = answer(npc, a)
    # the window of the second round has passed
    Suggestion.objects.filter(pk=s.pk).update(state_deadline=today() - timedelta(days=1))
    assert "evaluate" not in step_names(deputy, s.pk)
    r = step(deputy, s.pk, "evaluate", SATISFIED, target=second.pk)
    assert r.status_code == 400 and "反馈期限已过" in errors_of(r)
    assert "close" in step_names(login("staff"), s.pk)
    assert step(login("staff"), s.pk, "close").status_code == 302
    assert Suggestion.objects.get(pk=s.pk).state.is_terminal


def test_second_answer_key_group_instructions_follow_up_and_selection(npc: NPC, login: Any) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    answer(npc, a, grade="B")
    clerk, head, staff, leader = login("clerk0"), login("head0"), login("staff"), login("leader")
    # the B reply's second answer, when the matter is done
    assert step(clerk, s.pk, "final", {"grade": "A", "text": "已全部办结", "for_signoff": "on"}, target=a.pk).status_code == 302
    final = Reply.objects.get(assignment=a, kind="final")
    assert step(head, s.pk, "signoff", target=final.pk).status_code == 302
    assert Reply.objects.get(pk=final.pk).status == "signed"
    assert "final" not in step_names(clerk, s.pk)
    # key suggestion in a new group led by the leader
    r = step(staff, s.pk, "key_group", {"theme": ""})
    assert r.status_code == 400 and "督办专题" in errors_of(r)
    assert step(staff, s.pk, "key_group", {"theme": "城市交通", "special_committee": npc.committee.pk,
                                           "leading_leader": npc.user("leader").pk, "plan": "季度督办"}).status_code == 302
    group = KeyGroup.objects.get(theme="城市交通")
    assert Suggestion.objects.get(pk=s.pk).is_key and group.leading_leader == npc.user("leader")
    assert "key_note" in step_names(leader, s.pk)
    assert step(leader, s.pk, "key_note", {"text": "已听取汇报"}, target=group.pk).status_code == 302
    assert KeyGroupNote.objects.filter(group=group).count() == 1
    # the leader's instruction, tracked by the unit
    r = step(staff, s.pk, "instruct", {"text": "请抓紧"})
    assert r.status_code == 403
    assert step(leader, s.pk, "instruct", {"text": "请抓紧落实"}).status_code == 302
    ins = Instruction.objects.get(object_id=s.pk)
    r = step(clerk, s.pk, "instruction_note", {"status": "", "text": "正在落实"}, target=ins.pk)
    assert r.status_code == 400 and "落实情况" in errors_of(r)
    assert step(clerk, s.pk, "instruction_note", {"status": "done", "text": "已落实"}, target=ins.pk).status_code == 302
    assert Instruction.objects.get(pk=ins.pk).status == "done"
    # follow-up and selections
    assert step(staff, s.pk, "follow_up", {"note": "回访：线路已开通", "delivered": "on"}).status_code == 302
    assert FollowUp.objects.get(object_id=s.pk).delivered
    r = step(staff, s.pk, "excellent", {"kind": "golden_idea", "year": "1800"})
    assert r.status_code == 400 and "年度" in errors_of(r)
    assert step(staff, s.pk, "excellent", {"kind": "golden_idea", "year": "2025"}).status_code == 302
    assert step(staff, s.pk, "excellent_handling", {"year": "2025"}, target=a.pk).status_code == 302
    s.refresh_from_db()
    assert s.golden_idea_year == 2025 and Assignment.objects.get(pk=a.pk).excellent_year == 2025
    r = step(clerk, s.pk, "excellent", {"kind": "excellent", "year": "2025"})
    assert r.status_code == 403
    page = staff.get(f"/suggestions/{s.pk}/").content.decode()
    for text in ("城市交通", "已听取汇报", "请抓紧落实", "回访：线路已开通", "2025 年度金点子", "已全部办结"):
        assert text in page


def test_extend_deadline_by_staff(npc: NPC, login: Any) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    staff = login("staff")
    r = step(staff, s.pk, "extend", {"until": "", "reason": "情况复杂"}, target=a.pk)
    assert r.status_code == 400 and "期限" in errors_of(r)
    r = step(staff, s.pk, "extend", {"until": (a.latest_deadline + timedelta(days=1)).isoformat(), "reason": "x"},
             target=a.pk)
    assert r.status_code == 400 and "最长期限" in errors_of(r)
    assert step(staff, s.pk, "extend", {"until": a.latest_deadline.isoformat(), "reason": "情况复杂"},
                target=a.pk).status_code == 302
    assert Assignment.objects.get(pk=a.pk).deadline == a.latest_deadline
    assert cases  # the writers used above are lvzhi.cases.actions
