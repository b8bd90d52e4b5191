"""Workflow configuration as data: the admin audits every save, and changed data changes behaviour
(time limits, transitions, the reply-grade scale) without code changes."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from lvzhi.core.calendar import add_months
from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal, Reply
from lvzhi.workflow.actions import current_scale, set_grade_scale
from lvzhi.workflow.models import ReplyGrade, State, Transition, Workflow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world, client):
    root = org.create_account(None, username="root", password=PASSWORD, role=Role.ADMIN, council=None)
    client.force_login(root)
    client.user = root
    return client


def state(world, code: str) -> State:
    return State.objects.get(workflow__council=world.council, workflow__case_type="proposal", code=code)


def state_form(s: State, **changes) -> dict:
    data = {f: getattr(s, f) for f in ("code", "name", "order", "time_unit", "color")}
    data["workflow"] = s.workflow_id
    data["time_limit"] = s.time_limit if s.time_limit is not None else ""
    for flag in ("is_initial", "is_terminal", "submitter_may_edit", "units_may_reply", "proposer_may_rate",
                 "counts_as_received", "is_public", "takes_number", "assignable", "mergeable"):
        if getattr(s, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def filed(world) -> Proposal:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于改善公交线路的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    return act.file_proposal(world.user("staff"), p.pk)


def test_saving_a_state_in_admin_writes_an_audit_entry(world, admin_client):
    s = state(world, "replied")
    url = reverse("admin:workflow_state_change", args=[s.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, state_form(s, time_limit=20))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(event="admin_state_changed", target_id=s.pk,
                                   target_type=ContentType.objects.get_for_model(State))
    assert entry.actor == admin_client.user and entry.council_id == world.council.pk
    assert entry.old_values == {"time_limit": 15} and entry.new_values == {"time_limit": 20}


def test_admin_deletes_and_inline_saves_are_audited(world, admin_client):
    grade = ReplyGrade.objects.create(council=world.council, code="E", label="临时", order=9)
    response = admin_client.post(reverse("admin:workflow_replygrade_delete", args=[grade.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(event="admin_replygrade_deleted", target_id=grade.pk,
                                     council_id=world.council.pk).exists()
    workflow = Workflow.objects.get(council=world.council, case_type="proposal")
    page = admin_client.get(reverse("admin:workflow_workflow_change", args=[workflow.pk]))
    assert page.status_code == 200 and "待审查" in page.content.decode()


def test_admin_can_view_but_not_change_audit_log_and_proposals(world, admin_client):
    p = filed(world)
    entry = AuditEntry.objects.first()
    assert admin_client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    assert admin_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert admin_client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
                             ).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert admin_client.get(reverse("admin:proposals_proposal_change", args=[p.pk])).status_code == 200
    assert admin_client.get(reverse("admin:proposals_proposal_add")).status_code == 403
    before = Proposal.objects.get(pk=p.pk).title
    admin_client.post(reverse("admin:proposals_proposal_change", args=[p.pk]), {"title": "改了"})
    assert Proposal.objects.get(pk=p.pk).title == before
    for name in ("members_council", "members_member", "members_handlingunit", "members_term", "members_session",
                 "members_organisation", "workflow_workflow", "workflow_transition", "workflow_replygrade",
                 "proposals_category", "proposals_assignment", "proposals_reply", "auth_user"):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    user_page = admin_client.get(reverse("admin:auth_user_change", args=[world.user("clerk0").pk]))
    assert "承办单位" in user_page.content.decode()


def test_assigned_time_limit_of_two_months_changes_next_deadline(world, admin_client, today):
    first = filed(world)
    act.assign_proposal(world.user("staff"), first.pk, [(world.units[0], "sole")])
    assert Assignment.objects.get(proposal=first).deadline == add_months(today, 3)
    s = state(world, "assigned")
    response = admin_client.post(reverse("admin:workflow_state_change", args=[s.pk]),
                                 state_form(s, time_limit=2, time_unit="months"))
    assert response.status_code == 302
    second = filed(world)
    act.assign_proposal(world.user("staff"), second.pk, [(world.units[0], "sole")])
    assert Assignment.objects.get(proposal=second).deadline == add_months(today, 2)
    second.refresh_from_db()
    assert second.state_deadline == add_months(today, 2)
    assert Assignment.objects.get(proposal=first).deadline == add_months(today, 3)  # earlier ones unchanged


def test_adding_a_transition_lets_a_role_do_what_it_could_not(world, admin_client):
    p = filed(world)
    with pytest.raises(DomainError, match="不能转为"):
        act.withdraw_proposal(world.user("member0"), p.pk)
    workflow = Workflow.objects.get(council=world.council, case_type="proposal")
    response = admin_client.post(reverse("admin:workflow_transition_add"), {
        "workflow": workflow.pk, "act": "withdraw", "source": state(world, "filed").pk,
        "target": state(world, "withdrawn").pk, "name": "撤回已立案提案", "roles": ["proposer"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    transition = Transition.objects.get(source__code="filed", target__code="withdrawn", workflow=workflow)
    assert transition.roles == ["proposer"]
    assert AuditEntry.objects.filter(event="admin_transition_created", target_id=transition.pk).exists()
    with pytest.raises(DomainError):  # a co-signer or another member still may not
        act.withdraw_proposal(world.user("member1"), p.pk)
    act.withdraw_proposal(world.user("member0"), p.pk)
    p.refresh_from_db()
    assert p.state.code == "withdrawn"


def test_transition_form_refuses_states_of_another_workflow(world, admin_client):
    other = org.create_council(None, name="另一市政协")
    workflow = Workflow.objects.get(council=world.council, case_type="proposal")
    foreign = State.objects.get(workflow__council=other, workflow__case_type="proposal", code="withdrawn")
    before = Transition.objects.count()
    response = admin_client.post(reverse("admin:workflow_transition_add"), {
        "workflow": workflow.pk, "act": "withdraw", "source": state(world, "filed").pk, "target": foreign.pk,
        "name": "错误", "roles": ["proposer"]})
    assert response.status_code == 200 and "所选状态不属于该流程" in response.content.decode()
    assert Transition.objects.count() == before


def _assigned(world):
    p = filed(world)
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    return Assignment.objects.get(proposal=p)


def test_three_grade_scale_refuses_d_and_accepts_c(world):
    a = _assigned(world)
    assert current_scale(world.council) == "abcd"
    set_grade_scale(world.user("staff"), world.council, "abc")
    assert current_scale(world.council) == "abc"
    with pytest.raises(DomainError, match="答复类别「D」不在本机构的答复分类中") as err:
        act.draft_reply(world.user("clerk0"), a.pk, grade_code="D", text="留作参考")
    assert err.value.field == "grade"
    assert not Reply.objects.filter(assignment=a).exists()
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="C", text="留作参考")
    assert reply.grade.code == "C" and reply.grade.label == "留作参考"
    entry = AuditEntry.objects.get(event="grade_scale_changed")
    assert entry.old_values == {"grades": ["A", "B", "C", "D"]} and entry.new_values["grades"] == ["A", "B", "C"]


def test_switching_scales_keeps_grades_used_by_replies(world):
    a = _assigned(world)
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="D", text="留作参考")
    act.sign_off_reply(world.user("head0"), reply.pk)
    c_grade = ReplyGrade.objects.get(council=world.council, code="C")
    act_c = _assigned(world)
    act.draft_reply(world.user("clerk0"), act_c.pk, grade_code="C", text="以后解决")
    set_grade_scale(world.user("staff"), world.council, "abc")
    d = ReplyGrade.objects.get(council=world.council, code="D")
    assert not d.active  # deactivated, not deleted
    reply.refresh_from_db()
    assert reply.grade == d and reply.grade.label == "留作参考"
    c_grade.refresh_from_db()
    assert c_grade.active and c_grade.label == "因条件限制以后解决"  # used: its meaning is kept
    set_grade_scale(world.user("staff"), world.council, "abcd")
    assert ReplyGrade.objects.get(pk=d.pk).active
    assert current_scale(world.council) == "abcd"
    count = AuditEntry.objects.filter(event="grade_scale_changed").count()
    set_grade_scale(world.user("staff"), world.council, "abcd")  # already in force: nothing recorded
    assert AuditEntry.objects.filter(event="grade_scale_changed").count() == count
    with pytest.raises(DomainError) as err:
        set_grade_scale(world.user("staff"), world.council, "abcdef")
    assert err.value.field == "scale"


def _post_data(response) -> dict:
    """The POST data of an admin change page as rendered (main form and inline formsets)."""
    data: dict = {}

    def add(form, prefix_fields=True):
        for name in form.fields:
            key = form.add_prefix(name) if prefix_fields else name
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            else:
                data[key] = value
    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_workflow_page_with_inlines_saves_and_audits_each_changed_row(world, admin_client):
    workflow = Workflow.objects.get(council=world.council, case_type="proposal")
    url = reverse("admin:workflow_workflow_change", args=[workflow.pk])
    page = admin_client.get(url)
    data = _post_data(page)
    states = page.context["inline_admin_formsets"][0].formset
    index = next(i for i, f in enumerate(states.forms) if f.instance.code == "rehandling")
    data[f"{states.prefix}-{index}-time_limit"] = 2
    response = admin_client.post(url, data)
    assert response.status_code == 302, [f.errors for i in response.context["inline_admin_formsets"]
                                         for f in i.formset.forms if f.errors]
    rehandling = state(world, "rehandling")
    assert rehandling.time_limit == 2
    entries = AuditEntry.objects.filter(event__startswith="admin_", actor=admin_client.user)
    assert [(e.event, e.target_id, e.new_values) for e in entries] == [
        ("admin_state_changed", rehandling.pk, {"time_limit": 2})]


def test_adding_an_account_in_admin_is_audited_without_the_password(world, admin_client):
    response = admin_client.post(reverse("admin:auth_user_add"), {
        "username": "new-admin-user", "password1": "Secret-pass-2026", "password2": "Secret-pass-2026",
        "usable_password": "true",
        "profiles-TOTAL_FORMS": "1", "profiles-INITIAL_FORMS": "0", "profiles-MIN_NUM_FORMS": "0",
        "profiles-MAX_NUM_FORMS": "1000", "profiles-0-primary": "on", "profiles-0-role": "staff",
        "profiles-0-council": world.council.pk, "profiles-0-display_name": "吴十"})
    assert response.status_code == 302, response.content.decode()[:3000]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="new-admin-user")
    assert profile_of(user).role == "staff"
    entries = AuditEntry.objects.filter(event__startswith="admin_", actor=admin_client.user)
    assert {e.event for e in entries} == {"admin_user_created", "admin_profile_created"}
    assert all("Secret" not in str(e.new_values) for e in entries)


def test_password_change_in_admin_is_audited(world, admin_client):
    clerk = world.user("clerk0")
    response = admin_client.post(reverse("admin:auth_user_password_change", args=[clerk.pk]), {
        "password1": "Changed-pass-2026", "password2": "Changed-pass-2026", "usable_password": "true"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Changed-pass-2026")
    entry = AuditEntry.objects.get(event="password_reset", target_id=clerk.pk)
    assert entry.actor == admin_client.user and entry.council_id == world.council.pk
